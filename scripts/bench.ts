// npm run bench [-- --duration 10 --api-n 30 --no-peers --no-pglite]
// Issue 7: tiles and analyses for the whole country, measured against peers in one run.
// Our server (a child process, PostGIS with the national data), a naive ST_AsMVT server
// and MapServer 8 over the same tables replay the same tile list, cold then warm (wrk at
// 1, 16, 64 connections); then API timings on PostGIS and PGlite, server memory, targets.
// Prints a table and writes bench-results/bench.json. Loopback only.
// Length: the bench's sequence in one script; each measure lives in scripts/bench/.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../core/config.ts';
import { DEFAULT_BENCH_URL, prepareDb } from './bench/db-setup.ts';
import { get, percentile } from './bench/http.ts';
import { measureEditVisibility } from './bench/edit.ts';
import { measureRebuilds } from './bench/rebuild.ts';
import { formatSearchGaps, measureSearchGaps } from './bench/search-gaps.ts';
import { writeMapfile } from './bench/mapfile.ts';
import { childPids, memoryOf, startChild, type Child } from './bench/processes.ts';
import { formatResults, judge, type ApiResult, type BenchResults, type PassResult, type TileServerResult } from './bench/report.ts';
import { buildTileList, COLD_SAMPLES, LAYER_SETS, shuffled, tilePath, type TileRequest } from './bench/tile-list.ts';
import { hasWrk, runWrk } from './bench/wrk.ts';

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    'api-n': { type: 'string', default: '30' },
    'cold-limit': { type: 'string', default: '60' },
    'no-peers': { type: 'boolean', default: false },
    'no-pglite': { type: 'boolean', default: false },
  },
});

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const OUT_DIR = path.join(ROOT, 'bench-results');
const WORK_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'mf-bench-'));
const DB_URL = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? DEFAULT_BENCH_URL;
const PGLITE_DIR = path.resolve(ROOT, process.env.BENCH_PGLITE_DIR ?? '.data/bench-pglite');
const GEODATA_DIR = loadConfig({ ...process.env, DATABASE_URL: undefined }).geodataDir;
const BASE_PORT = Number(process.env.BENCH_PORT ?? 3410);
const PORTS = { ours: BASE_PORT, naive: BASE_PORT + 1, mapserver: BASE_PORT + 2, pglite: BASE_PORT + 3 };
const DURATION_S = Number(args.duration);
const API_N = Number(args['api-n']);
const COLD_LIMIT_S = Number(args['cold-limit']);
const CONNECTIONS = [1, 16, 64];
const SEARCH_GAPS_RUNS = 200;
const TSX = ['--import', 'tsx'];

const log = (s: string) => console.log(`[bench] ${s}`);
const children: Child[] = [];

async function start(
  name: string,
  script: string,
  port: number,
  env: Record<string, string | undefined>,
  readyPath: string,
  readyTimeoutMs = 120_000,
) {
  // node --import tsx rather than the tsx CLI: one process, so its RSS is the server's own
  const child = await startChild({
    name,
    command: process.execPath,
    args: [...TSX, script],
    cwd: ROOT,
    env: { PORT: String(port), HOST: '127.0.0.1', ...env },
    port,
    readyPath,
    logFile: path.join(OUT_DIR, `${name}.log`),
    readyTimeoutMs,
  });
  children.push(child);
  return child;
}

async function stop(child: Child) {
  await child.stop();
  children.splice(children.indexOf(child), 1);
}

/** The first pass over the list, one request at a time, bounded in time. */
async function coldPass(baseUrl: string, list: TileRequest[], limitS = COLD_LIMIT_S): Promise<PassResult> {
  const t0 = Date.now();
  const done: { r: TileRequest; ms: number; bytes: number; status: number }[] = [];
  for (const r of list) {
    if ((Date.now() - t0) / 1000 > limitS) break;
    const res = await get(baseUrl + r.path);
    done.push({ r, ms: res.ms, bytes: res.bytes, status: res.status });
  }
  const ms = done.map((d) => d.ms);
  const byZoom: PassResult['byZoom'] = {};
  for (const z of [...new Set(done.map((d) => d.r.z))].sort((a, b) => a - b)) {
    const zs = done.filter((d) => d.r.z === z).map((d) => d.ms);
    byZoom[z] = { n: zs.length, p50Ms: percentile(zs, 50), p99Ms: percentile(zs, 99) };
  }
  const z5 = done.filter((d) => d.r.z === 5 && LAYER_SETS.find((s) => s.id === d.r.set)!.layers.includes('commune')).map((d) => d.ms);
  return {
    requests: list.length,
    completed: done.length,
    totalS: (Date.now() - t0) / 1000,
    cutShort: done.length < list.length,
    p50Ms: percentile(ms, 50),
    p99Ms: percentile(ms, 99),
    maxMs: Math.max(...ms),
    firstMs: ms[0] ?? Number.NaN,
    bytesPerRequest: done.reduce((s, d) => s + d.bytes, 0) / Math.max(1, done.length),
    errors: done.filter((d) => d.status !== 200 && d.status !== 204).length,
    byZoom,
    z5CommunesP99Ms: percentile(z5, 99),
  };
}

async function warmRuns(baseUrl: string, list: TileRequest[]) {
  const paths = shuffled(list).map((r) => r.path);
  const out = [];
  for (const c of CONNECTIONS) {
    const r = await runWrk({ baseUrl, paths, connections: c, durationS: DURATION_S, workDir: WORK_DIR });
    log(
      `  ${c} conn: ${r.rps.toFixed(0)} req/s, p50 ${r.p50Ms.toFixed(2)} ms, p99 ${r.p99Ms.toFixed(1)} ms, errors ${r.errors + r.timeouts}`,
    );
    out.push(r);
  }
  return out;
}

const API_CALLS: { name: string; path: string }[] = [
  { name: 'territory commune (Cahors)', path: '/api/territories/commune/46042' },
  { name: 'territory EPCI (Grand Cahors)', path: '/api/territories/epci/200023737' },
  { name: 'territory PETR Grand Quercy', path: '/api/territories/petr/PETR-GRAND-QUERCY' },
  {
    name: 'compare 4 perimeters',
    path: '/api/compare?p=scheme:cls-grand-quercy&p=petr:PETR-GRAND-QUERCY&p=epci:200023737&p=departement:46',
  },
  { name: 'gaps national (cls)', path: '/api/gaps?layer=cls' },
  { name: 'gaps région Occitanie (cls)', path: '/api/gaps?layer=cls&within=region:76' },
  { name: 'panorama France', path: '/api/panorama?within=france' },
  { name: 'search "saint etienne"', path: '/api/search?q=saint%20etienne' },
  { name: 'search "cls issoire"', path: '/api/search?q=cls%20issoire' },
  { name: 'search "sa" (short prefix)', path: '/api/search?q=sa' },
  { name: 'search "montbelliard" (typo)', path: '/api/search?q=montbelliard' },
  { name: 'search "sa" in région 84', path: '/api/search?q=sa&region=84' },
  { name: 'search "lille" in région 84 (none there)', path: '/api/search?q=lille&region=84' },
  { name: 'OGC items: 100 communes', path: '/ogc/collections/commune/items?limit=100' },
  { name: 'OGC items: EPCI in a bbox (Lot)', path: '/ogc/collections/epci/items?bbox=1.0,44.2,2.2,45.0' },
];

async function apiTimings(baseUrl: string): Promise<ApiResult[]> {
  const out: ApiResult[] = [];
  for (const call of API_CALLS) {
    let last = await get(baseUrl + call.path);
    for (let i = 0; i < 2; i++) last = await get(baseUrl + call.path);
    const ms: number[] = [];
    for (let i = 0; i < API_N; i++) {
      last = await get(baseUrl + call.path);
      ms.push(last.ms);
    }
    if (last.status !== 200) log(`  ! ${call.path} answered ${last.status}: ${last.body.toString().slice(0, 200)}`);
    out.push({ ...call, n: API_N, p50Ms: percentile(ms, 50), p99Ms: percentile(ms, 99), bytes: last.bytes, status: last.status });
  }
  return out;
}

/** Builds every layer's index by asking a z5 tile of each, then reads the RSS. */
async function loadAllLayers(server: Child): Promise<{ rssMb: number; peakMb: number } | null> {
  const layers = ((await (await fetch(`${server.url}/api/layers`)).json()) as { layers: { id: string }[] }).layers.map((l) => l.id);
  for (const l of layers) await get(server.url + tilePath(l, 5, 16, 11));
  return memoryOf(server.proc.pid!);
}

function version(cmd: string, argv: string[], pattern: RegExp): string {
  const r = spawnSync(cmd, argv, { encoding: 'utf8' });
  return pattern.exec(`${r.stdout}${r.stderr}`)?.[0] ?? `${cmd}: not found`;
}

async function main() {
  const startedAt = new Date();
  fs.mkdirSync(OUT_DIR, { recursive: true });
  if (!hasWrk()) throw new Error('wrk is missing: apt-get install -y wrk');
  const machine = {
    cpus: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model.trim() ?? '?',
    memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    node: process.version,
    postgis: '',
    mapserver: version('mapserv', ['-v'], /MapServer version [\d.]+/),
    wrk: version('wrk', ['-v'], /wrk \S+/),
    loadStart: os.loadavg()[0]!.toFixed(1),
    loadEnd: '',
  };

  log(`database ${DB_URL.replace(/:[^:@/]*@/, ':***@')}`);
  const db = await prepareDb({ url: DB_URL, geodataDir: GEODATA_DIR, log });
  const [pv] = await db.query<{ v: string }>(
    `SELECT 'PostgreSQL ' || current_setting('server_version') || ', PostGIS ' || postgis_lib_version() AS v`,
  );
  machine.postgis = pv!.v;
  // warm runs replay `list`; cold passes read `coldList`, the same with more deep tiles
  const list = await buildTileList(db);
  const coldList = await buildTileList(db, COLD_SAMPLES);
  const byZoom: Record<string, number> = {};
  for (const r of list) byZoom[r.z] = (byZoom[r.z] ?? 0) + 1;
  const coldByZoom: Record<string, number> = {};
  for (const r of coldList) coldByZoom[r.z] = (coldByZoom[r.z] ?? 0) + 1;
  log(`${list.length} tile requests (${coldList.length} in the cold passes)`);

  const servers: TileServerResult[] = [];
  // --- our server, PostGIS
  log('our server (PostGIS): fresh process, cold pass…');
  const ours = await start('server-postgis', 'server/main.ts', PORTS.ours, { DATABASE_URL: DB_URL, LOG_LEVEL: 'info' }, '/api/health');
  const oursCold = await coldPass(ours.url, coldList, 600);
  log(`  cold: ${oursCold.totalS.toFixed(1)} s, p99 ${oursCold.p99Ms.toFixed(0)} ms, first ${oursCold.firstMs.toFixed(0)} ms`);
  const allLayers = await loadAllLayers(ours);
  log(`  RSS with all layers loaded: ${allLayers?.rssMb.toFixed(0)} MB`);
  log('our server: warm runs…');
  const oursWarm = await warmRuns(ours.url, list);
  const afterLoad = memoryOf(ours.proc.pid!);
  log('API timings (PostGIS)…');
  const apiPostgis = await apiTimings(ours.url);
  const oursMem = memoryOf(ours.proc.pid!);
  log('edit → visible (registry PATCH, then the scheme tile)…');
  let editHttp: BenchResults['edit']['http'];
  try {
    editHttp = await measureEditVisibility(db, ours.url);
  } catch (err) {
    editHttp = `skipped (${(err as Error).message.slice(0, 200)})`;
  }
  servers.push({ name: 'ours', label: 'ours', cold: oursCold, warm: oursWarm, memory: oursMem });
  await stop(ours);

  // --- peers on the same PostGIS and the same list
  if (!args['no-peers']) {
    log('peer: naive ST_AsMVT server…');
    const naive = await start('peer-naive', 'scripts/bench/naive-server.ts', PORTS.naive, { DATABASE_URL: DB_URL }, '/health');
    const naiveCold = await coldPass(naive.url, coldList);
    log(`  cold: ${naiveCold.completed}/${naiveCold.requests} in ${naiveCold.totalS.toFixed(1)} s`);
    const naiveWarm = await warmRuns(naive.url, list);
    servers.push({ name: 'naive', label: 'naive ST_AsMVT', cold: naiveCold, warm: naiveWarm, memory: memoryOf(naive.proc.pid!) });
    await stop(naive);

    if (fs.existsSync('/usr/lib/cgi-bin/mapserv')) {
      const { mapfile, configFile } = writeMapfile(path.join(WORK_DIR, 'mapserver'), DB_URL);
      const workers = Math.max(2, os.availableParallelism() * 2);
      log(`peer: MapServer (${workers} FastCGI workers)…`);
      const ms = await start(
        'peer-mapserver',
        'scripts/bench/mapserver-bridge.ts',
        PORTS.mapserver,
        { MAPFILE: mapfile, MAPSERVER_CONFIG_FILE: configFile, WORKERS: String(workers) },
        '/health',
      );
      const health = (await (await fetch(`${ms.url}/health`)).json()) as { mode: string; workers: number };
      const msCold = await coldPass(ms.url, coldList);
      log(`  cold: ${msCold.completed}/${msCold.requests} in ${msCold.totalS.toFixed(1)} s`);
      const msWarm = await warmRuns(ms.url, list);
      const pids = [ms.proc.pid!, ...childPids(ms.proc.pid!)];
      const mems = pids.map(memoryOf).filter((m): m is NonNullable<typeof m> => m !== null);
      const mem = { rssMb: mems.reduce((s, m) => s + m.rssMb, 0), peakMb: mems.reduce((s, m) => s + m.peakMb, 0) };
      const label = `${machine.mapserver.replace('MapServer version ', 'MapServer ')} (${health.mode}${health.mode === 'fastcgi' ? `×${health.workers}` : ''})`;
      servers.push({ name: 'mapserver', label, cold: msCold, warm: msWarm, memory: mem });
      await stop(ms);
    } else {
      log('MapServer not installed (apt-get install -y mapserver-bin cgi-mapserver spawn-fcgi): skipped');
    }
  }

  // --- embedded database
  let apiPglite: ApiResult[] = [];
  let pgliteTiles: BenchResults['pgliteTiles'] = null;
  if (!args['no-pglite']) {
    log(`embedded database (PGlite, ${path.relative(ROOT, PGLITE_DIR)})…`);
    await (await prepareDb({ dataDir: PGLITE_DIR, geodataDir: GEODATA_DIR, log })).close();
    const lite = await start(
      'server-pglite',
      'server/main.ts',
      PORTS.pglite,
      { DATABASE_URL: '', DATA_DIR: PGLITE_DIR, LOG_LEVEL: 'info' },
      '/api/health',
      600_000,
    );
    const cold = await coldPass(lite.url, coldList, 600);
    log(`  tiles cold: ${cold.totalS.toFixed(1)} s, p99 ${cold.p99Ms.toFixed(0)} ms, first ${cold.firstMs.toFixed(0)} ms`);
    const liteAllLayers = await loadAllLayers(lite);
    log(`  RSS with all layers loaded: ${liteAllLayers?.rssMb.toFixed(0)} MB`);
    const warm = await warmRuns(lite.url, list);
    const afterWarm = memoryOf(lite.proc.pid!);
    log(`  RSS after the warm runs: ${afterWarm?.rssMb.toFixed(0)} MB`);
    apiPglite = await apiTimings(lite.url);
    pgliteTiles = {
      cold,
      warm,
      memory: memoryOf(lite.proc.pid!),
      allLayersMb: liteAllLayers?.rssMb ?? Number.NaN,
      afterWarmMb: afterWarm?.rssMb ?? Number.NaN,
    };
    await stop(lite);
  }

  // --- what a change costs the tiles: the longest wait while a layer is indexed again
  log('tiles after a change (in process)…');
  const rebuilds = await measureRebuilds(db, list);
  // --- issue 15's search and national gaps, in process (scripts/bench/search-gaps.ts)
  log('search and national gaps (in process)…');
  const searchGaps = [await measureSearchGaps(db, SEARCH_GAPS_RUNS)];
  await db.close();
  if (!args['no-pglite']) {
    const lite = await prepareDb({ dataDir: PGLITE_DIR, geodataDir: GEODATA_DIR, log });
    try {
      searchGaps.push(await measureSearchGaps(lite, SEARCH_GAPS_RUNS));
    } finally {
      await lite.close();
    }
  }
  machine.loadEnd = os.loadavg()[0]!.toFixed(1);

  const partial = {
    startedAt: startedAt.toISOString(),
    durationS: (Date.now() - startedAt.getTime()) / 1000,
    machine,
    settings: {
      database: DB_URL.replace(/:[^:@/]*@/, ':***@'),
      wrkDurationS: DURATION_S,
      connections: CONNECTIONS.join(','),
      apiN: API_N,
      coldLimitS: COLD_LIMIT_S,
    },
    tileList: { paths: list.length, tiles: list.length / LAYER_SETS.length, byZoom, coldPaths: coldList.length, coldByZoom },
    servers,
    memory: allLayers
      ? { afterAllLayersMb: allLayers.rssMb, peakMb: oursMem?.peakMb ?? allLayers.peakMb, rssAfterLoadMb: afterLoad?.rssMb ?? Number.NaN }
      : null,
    api: { postgis: apiPostgis, pglite: apiPglite },
    pgliteTiles,
    edit: { http: editHttp, rebuilds },
  };
  const results: BenchResults = { ...partial, targets: judge(partial) };
  fs.writeFileSync(path.join(OUT_DIR, 'bench.json'), JSON.stringify({ ...results, searchGaps }, null, 2));
  console.log('\n' + formatResults(results));
  console.log('\n' + formatSearchGaps(searchGaps));
  console.log(`\n(JSON: ${path.relative(ROOT, path.join(OUT_DIR, 'bench.json'))}; server logs in ${path.relative(ROOT, OUT_DIR)}/)`);
}

try {
  await main();
} catch (err) {
  console.error(err);
  process.exitCode = 1;
} finally {
  for (const c of [...children]) await c.stop();
  fs.rmSync(WORK_DIR, { recursive: true, force: true });
  // nproc / free for the record, as the issue asks
  try {
    log(
      `nproc ${execFileSync('nproc').toString().trim()}; ${execFileSync('free', ['-h']).toString().split('\n')[1]?.replace(/\s+/g, ' ')}`,
    );
  } catch {
    /* not Linux */
  }
}
