// npm run bench:load [-- --duration 20 --connections 64 --upload-cap 300 --no-pglite --no-postgis]
// Issue 11's figures, on each backend (our server as a child process): a wrk mix at 64
// connections (warm tiles, territory sheets, search, gaps) with its p99; then the health
// check's and a territory sheet's latency while the heaviest upload runs: a 49 MB GeoJSON
// of about 2,300 polygons of 1,000 vertices spread over metropolitan France (under every
// parser limit), imported as a job by an administrator. Measures only, asserts nothing;
// prints a table with the load average and writes bench-results/bench-load.json.
// The bench layer and its account are removed afterwards. Loopback only.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { hashPassword } from '../server/auth/passwords.ts';
import { heavyGeojson } from '../test/support/heavy-geojson.ts';
import type { Db } from '../core/db/db.ts';
import { createUser } from '../server/queries/users.ts';
import { DEFAULT_BENCH_URL, prepareDb } from './bench/db-setup.ts';
import { percentile } from './bench/http.ts';
import { startChild, type Child } from './bench/processes.ts';
import { buildTileList } from './bench/tile-list.ts';
import { hasWrk, runWrk, type LoadResult } from './bench/wrk.ts';

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '20' },
    connections: { type: 'string', default: '64' },
    'upload-cap': { type: 'string', default: '300' },
    'no-pglite': { type: 'boolean', default: false },
    'no-postgis': { type: 'boolean', default: false },
  },
});
const DURATION_S = Number(args.duration);
const CONNECTIONS = Number(args.connections);
const UPLOAD_CAP_S = Number(args['upload-cap']);
const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const DB_URL = process.env.BENCH_DATABASE_URL ?? DEFAULT_BENCH_URL;
const PGLITE_DIR = path.resolve(ROOT, process.env.BENCH_PGLITE_DIR ?? '.data/bench-pglite');
const GEODATA_DIR = path.resolve(process.env.GEODATA_DIR ?? '../shared/geodata');
const OUT_DIR = path.join(ROOT, 'bench-results');
const WORK_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'millefeuille-bench-load-'));
const PORT = Number(process.env.BENCH_PORT ?? 3970);
const ADMIN = { email: 'admin@bench-load.test', password: 'une phrase de passe de banc de mesure' };
const LAYER_NAME = 'Banc de charge (fictif)';

const API_MIX = [
  '/api/territories/commune/46042',
  '/api/territories/epci/200023737',
  '/api/search?q=cls%20issoire',
  '/api/search?q=saint%20etienne',
  '/api/gaps?layer=cls&within=region:76',
  '/api/gaps?layer=asv&within=region:84',
];

const log = (s: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${s}`);

async function removeBenchData(db: Db): Promise<void> {
  const layers = (await db.query<{ id: string }>(`SELECT id FROM atlas.layer WHERE name = $1`, [LAYER_NAME])).map((r) => r.id);
  await db.transaction(async (tx) => {
    await tx.query(`DELETE FROM atlas.membership WHERE layer = ANY($1::text[])`, [layers]);
    await tx.query(`DELETE FROM atlas.perimeter WHERE layer = ANY($1::text[])`, [layers]);
    await tx.query(`DELETE FROM atlas.layer WHERE id = ANY($1::text[])`, [layers]);
    await tx.query(`DELETE FROM public.perimeter_version WHERE layer = ANY($1::text[])`, [layers]);
    await tx.query(`DELETE FROM registry.app_user WHERE email = $1`, [ADMIN.email]);
  });
}

async function login(base: string): Promise<Record<string, string>> {
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(ADMIN),
  });
  if (res.status !== 200) throw new Error(`login: ${res.status} ${await res.text()}`);
  return { cookie: res.headers.get('set-cookie')!.split(';')[0]!, 'x-csrf-token': ((await res.json()) as { csrfToken: string }).csrfToken };
}

async function warm(base: string, paths: string[]): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < paths.length) await (await fetch(base + paths[next++]!)).arrayBuffer();
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

/** Latencies of a GET repeated (one at a time) until `until` resolves. */
async function probe(url: string, until: Promise<unknown>): Promise<{ ms: number[]; failures: number }> {
  let done = false;
  void until.finally(() => (done = true));
  const ms: number[] = [];
  let failures = 0;
  while (!done) {
    const t0 = performance.now();
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(60_000) });
      await res.arrayBuffer();
      if (res.status !== 200) failures++;
    } catch {
      failures++;
    }
    ms.push(performance.now() - t0);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { ms, failures };
}

interface UploadResult {
  fileMb: number;
  jobS: number;
  outcome: string;
  health: { n: number; p50Ms: number; p99Ms: number; maxMs: number; failures: number };
  sheet: { n: number; p50Ms: number; p99Ms: number; maxMs: number; failures: number };
}

async function heavyUpload(base: string, file: string): Promise<UploadResult> {
  const headers = await login(base);
  const q = new URLSearchParams({ layer: 'other', name: LAYER_NAME, scope: 'pays', filename: 'banc.geojson' });
  const body = fs.readFileSync(file);
  const t0 = Date.now();
  const accepted = await fetch(`${base}/api/perimeters/import?${q}`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/geo+json' },
    body,
  });
  if (accepted.status !== 202) throw new Error(`upload: ${accepted.status} ${await accepted.text()}`);
  const location = accepted.headers.get('location')!;
  const finished = (async () => {
    for (;;) {
      // a kept-alive socket the server has just closed may fail once: poll again
      type JobState = { status: string; step: string; done: number; total: number };
      const job = (await fetch(base + location, { headers })
        .then((r) => r.json())
        .catch(() => null)) as JobState | null;
      if (job && job.status !== 'running') return job.status;
      if (Date.now() - t0 > UPLOAD_CAP_S * 1000)
        return `toujours en cours après ${UPLOAD_CAP_S} s${job ? ` (${job.step} ${job.done}/${job.total})` : ''}`;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  })();
  const [health, sheet, outcome] = await Promise.all([
    probe(`${base}/api/health`, finished),
    probe(`${base}/api/territories/commune/46042`, finished),
    finished,
  ]);
  const summary = (p: { ms: number[]; failures: number }) => ({
    n: p.ms.length,
    p50Ms: percentile(p.ms, 50),
    p99Ms: percentile(p.ms, 99),
    maxMs: Math.max(...p.ms),
    failures: p.failures,
  });
  return { fileMb: body.length / 1024 / 1024, jobS: (Date.now() - t0) / 1000, outcome, health: summary(health), sheet: summary(sheet) };
}

async function bench(name: string, env: Record<string, string>, db: Db, file: string) {
  const tiles = (await buildTileList(db)).map((t) => t.path);
  await removeBenchData(db);
  await createUser(db, {
    email: ADMIN.email,
    name: 'Banc de charge',
    role: 'admin',
    region: null,
    passwordHash: await hashPassword(ADMIN.password),
    schemes: [],
  });
  // the embedded database is one process's: the bench lets go of it while the server runs
  await db.close();
  const child: Child = await startChild({
    name: `server-${name}`,
    command: process.execPath,
    args: ['--import', 'tsx', 'server/main.ts'],
    env: { ...env, PORT: String(PORT), LOG_LEVEL: 'warn' },
    port: PORT,
    readyPath: '/api/health',
    logFile: path.join(OUT_DIR, `bench-load-${name}.log`),
    readyTimeoutMs: 600_000,
    cwd: ROOT,
  });
  let mix: LoadResult;
  let upload: UploadResult;
  try {
    // one list alternating tiles and API calls, so every connection mixes both
    const paths = tiles.flatMap((t, i) => [t, API_MIX[i % API_MIX.length]!]);
    log(`${name}: warming ${paths.length} paths…`);
    await warm(child.url, paths);
    log(`${name}: wrk mix, ${CONNECTIONS} connections, ${DURATION_S} s…`);
    mix = await runWrk({ baseUrl: child.url, paths, connections: CONNECTIONS, durationS: DURATION_S, workDir: WORK_DIR });
    log(`${name}: heavy upload…`);
    upload = await heavyUpload(child.url, file);
  } finally {
    await child.stop();
  }
  return { mix, upload, load: os.loadavg()[0]!.toFixed(1) };
}

async function main() {
  if (!hasWrk()) throw new Error('wrk est nécessaire (paquet Debian wrk)');
  fs.mkdirSync(OUT_DIR, { recursive: true });
  const file = path.join(WORK_DIR, 'banc.geojson');
  fs.writeFileSync(file, heavyGeojson({ columns: 50, rows: 46, vertices: 1000 }));
  const results: Record<string, Awaited<ReturnType<typeof bench>>> = {};
  const runs: [string, Record<string, string>, () => Promise<Db>][] = [];
  if (!args['no-pglite'])
    runs.push([
      'pglite',
      { DATABASE_URL: '', DATA_DIR: PGLITE_DIR },
      () => prepareDb({ dataDir: PGLITE_DIR, geodataDir: GEODATA_DIR, log }),
    ]);
  if (!args['no-postgis']) runs.push(['postgis', { DATABASE_URL: DB_URL }, () => prepareDb({ url: DB_URL, geodataDir: GEODATA_DIR, log })]);
  for (const [name, env, open] of runs) {
    log(`${name}: load average before ${os.loadavg()[0]!.toFixed(1)}`);
    results[name] = await bench(name, env, await open(), file);
    const db = await open();
    await removeBenchData(db);
    await db.close();
  }
  fs.writeFileSync(path.join(OUT_DIR, 'bench-load.json'), JSON.stringify({ startedAt: new Date().toISOString(), results }, null, 2));
  const ms = (n: number) => `${n.toFixed(0)} ms`;
  console.log(
    [
      '',
      `| base | mix wrk ${CONNECTIONS} conn. ${DURATION_S} s (tuiles, fiches, recherche, lacunes) | import lourd | /api/health pendant l'import | fiche commune pendant l'import | charge |`,
      '|---|---|---|---|---|---|',
      ...Object.entries(results).map(
        ([name, r]) =>
          `| ${name} | ${r.mix.rps.toFixed(0)} req/s, p50 ${ms(r.mix.p50Ms)}, p99 ${ms(r.mix.p99Ms)}, erreurs ${r.mix.errors + r.mix.timeouts} | ` +
          `${r.upload.fileMb.toFixed(1)} Mo, ${r.upload.jobS.toFixed(0)} s, ${r.upload.outcome} | ` +
          `×${r.upload.health.n}, p50 ${ms(r.upload.health.p50Ms)}, p99 ${ms(r.upload.health.p99Ms)}, max ${ms(r.upload.health.maxMs)} | ` +
          `×${r.upload.sheet.n}, p50 ${ms(r.upload.sheet.p50Ms)}, max ${ms(r.upload.sheet.maxMs)}, échecs ${r.upload.sheet.failures} | ${r.load} |`,
      ),
      `machine : ${os.cpus().length} cœurs`,
    ].join('\n'),
  );
}

main()
  .catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => fs.rmSync(WORK_DIR, { recursive: true, force: true }));
