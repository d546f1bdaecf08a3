// npm run bench:instances [-- --duration 10 --connections 64]
// Two identical app instances on one PostgreSQL + PostGIS database, as deployed behind a
// reverse proxy (README, "Déploiement"): requests/s and latency for warm tiles and an
// API mix with one instance, then with two sharing the load (wrk on each port, half the
// connections each); and, under that load, how long a registry edit made on A takes to
// change the scheme tile served by B (LISTEN/NOTIFY). On 2 cores the gain is small; the
// point is that nothing breaks and nothing is served stale.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_BENCH_URL, prepareDb } from './bench/db-setup.ts';
import { measureEditVisibility } from './bench/edit.ts';
import { percentile } from './bench/http.ts';
import { startChild, type Child } from './bench/processes.ts';
import { buildTileList } from './bench/tile-list.ts';
import { hasWrk, runWrk, type LoadResult } from './bench/wrk.ts';

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '64' },
  },
});
const DURATION_S = Number(args.duration);
const CONNECTIONS = Number(args.connections);
const DB_URL = process.env.BENCH_DATABASE_URL ?? DEFAULT_BENCH_URL;
const GEODATA_DIR = path.resolve(process.env.GEODATA_DIR ?? '../shared/geodata');
const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const OUT_DIR = path.join(ROOT, 'bench-results');
const WORK_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'millefeuille-bench-instances-'));
const PORTS = [3961, 3962];

const API_MIX = [
  '/api/territories/commune/46042',
  '/api/territories/epci/200023737',
  '/api/search?q=cls%20issoire',
  '/api/search?q=saint%20etienne',
  '/api/compare?p=scheme:cls-grand-quercy&p=petr:PETR-GRAND-QUERCY&p=epci:200023737',
  '/api/gaps?layer=cls&within=region:76',
  '/api/layers',
];

const log = (s: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${s}`);

/** The same load spread over the given instances (wrk per instance, connections split). */
async function load(urls: string[], paths: string[]): Promise<{ rps: number; p99Ms: number; errors: number }> {
  const runs: LoadResult[] = await Promise.all(
    urls.map((baseUrl, i) =>
      runWrk({
        baseUrl,
        paths,
        connections: Math.max(1, Math.floor(CONNECTIONS / urls.length)),
        durationS: DURATION_S,
        workDir: fs.mkdtempSync(path.join(WORK_DIR, `wrk-${i}-`)),
      }),
    ),
  );
  return {
    rps: runs.reduce((s, r) => s + r.rps, 0),
    p99Ms: Math.max(...runs.map((r) => r.p99Ms)),
    errors: runs.reduce((s, r) => s + r.errors + r.timeouts, 0),
  };
}

/** Every path once, eight at a time, so the timed runs measure warm caches. */
async function warm(baseUrl: string, paths: string[]): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < paths.length) {
      const res = await fetch(baseUrl + paths[next++]!);
      await res.arrayBuffer();
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

async function main() {
  if (!hasWrk()) throw new Error('wrk est nécessaire (paquet Debian wrk)');
  fs.mkdirSync(OUT_DIR, { recursive: true });
  log(`database ${DB_URL.replace(/:[^:@/]*@/, ':***@')}`);
  const db = await prepareDb({ url: DB_URL, geodataDir: GEODATA_DIR, log });
  const tiles = (await buildTileList(db)).map((t) => t.path);
  const children: Child[] = [];
  try {
    for (const [i, port] of PORTS.entries()) {
      log(`instance ${'AB'[i]} on port ${port}…`);
      children.push(
        await startChild({
          name: `instance-${i}`,
          command: process.execPath,
          args: ['--import', 'tsx', 'server/main.ts'],
          env: { DATABASE_URL: DB_URL, PORT: String(port), LOG_LEVEL: 'warn' },
          port,
          readyPath: '/api/health',
          logFile: path.join(OUT_DIR, `instance-${i}.log`),
          readyTimeoutMs: 300_000,
          cwd: ROOT,
        }),
      );
    }
    const [a, b] = children as [Child, Child];
    log(`warming both instances on ${tiles.length} tiles and ${API_MIX.length} API calls…`);
    for (const url of [a.url, b.url]) await warm(url, [...tiles, ...API_MIX]);
    const results = {
      tiles: { one: await load([a.url], tiles), two: await load([a.url, b.url], tiles) },
      api: { one: await load([a.url], API_MIX), two: await load([a.url, b.url], API_MIX) },
      crossEdit: [] as { patchMs: number; visibleMs: number }[],
    };
    log('registry edit on A, scheme tile read on B, while both serve tiles…');
    const background = load([a.url, b.url], tiles);
    results.crossEdit = await measureEditVisibility(db, a.url, b.url);
    await background;
    const alive = children.every((c) => c.alive());
    const out = {
      startedAt: new Date().toISOString(),
      machine: { cpus: os.cpus().length, load: os.loadavg()[0]!.toFixed(1) },
      settings: { durationS: DURATION_S, connections: CONNECTIONS, tilePaths: tiles.length, apiPaths: API_MIX.length },
      ...results,
      bothAlive: alive,
    };
    fs.writeFileSync(path.join(OUT_DIR, 'bench-instances.json'), JSON.stringify(out, null, 2));
    const row = (name: string, one: { rps: number; p99Ms: number; errors: number }, two: typeof one) =>
      `| ${name} | ${one.rps.toFixed(0)} req/s, p99 ${one.p99Ms.toFixed(1)} ms | ${two.rps.toFixed(0)} req/s, p99 ${two.p99Ms.toFixed(1)} ms | ${one.errors + two.errors} |`;
    console.log(
      [
        '',
        `| ${CONNECTIONS} connexions, ${DURATION_S} s | 1 instance | 2 instances | erreurs |`,
        '|---|---|---|---|',
        row('tuiles à chaud', results.tiles.one, results.tiles.two),
        row('API (fiches, recherche, comparaison, lacunes)', results.api.one, results.api.two),
        '',
        `modification sur A visible dans la tuile servie par B : ${results.crossEdit.map((s) => `${s.visibleMs.toFixed(0)} ms`).join(', ')} ` +
          `(médiane ${percentile(
            results.crossEdit.map((s) => s.visibleMs),
            50,
          ).toFixed(0)} ms), sous charge ; instances vivantes à la fin : ${alive ? 'oui' : 'NON'}`,
        `machine : ${os.cpus().length} cœurs, charge ${os.loadavg()[0]!.toFixed(1)}`,
      ].join('\n'),
    );
  } finally {
    for (const c of children) await c.stop();
    await db.close();
    fs.rmSync(WORK_DIR, { recursive: true, force: true });
  }
}

try {
  await main();
} catch (err) {
  console.error(err);
  process.exitCode = 1;
}
