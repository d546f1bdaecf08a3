// npx tsx scripts/bench/search-gaps.ts [--runs 200 --no-pglite]   (also run at the end of npm run bench)
// Issue 15's search and national gaps targets measured in process, away from the noise of
// the tile runs: p50 / p99 of each search of the bench over the national index (pure
// JavaScript, no HTTP), and of GET /api/gaps?layer=cls over loopback (the route, its
// queries and its compression included) on each backend, with the cost of the first answer
// after a data change (the national query itself, no cache).
import http from 'node:http';
import os from 'node:os';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import type { Db } from '../../core/db/db.ts';
import { loadConfig } from '../../core/config.ts';
import { createApp } from '../../server/app.ts';
import { DataVersion } from '../../server/data-changes.ts';
import { loadSearchEntries } from '../../server/queries/search.ts';
import { SearchIndex, type SearchOptions } from '../../server/search/index.ts';
import { SearchParts } from '../../server/search/parts.ts';
import { parseQuery } from '../../server/search/query.ts';
import { TileStore } from '../../server/tiles/store.ts';
import { DEFAULT_BENCH_URL, prepareDb } from './db-setup.ts';
import { get, percentile } from './http.ts';

/** The searches of the HTTP bench (scripts/bench.ts), plus the worst cases met while tuning. */
export const SEARCHES: { q: string; options?: Partial<SearchOptions> }[] = [
  { q: 'saint etienne' },
  { q: 'cls issoire' },
  { q: 'sa' },
  { q: 'montbelliard' },
  { q: 'sa', options: { region: '84' } },
  { q: 'lille', options: { region: '84' } },
  { q: 's' },
  { q: 'st' },
  { q: 'la' },
  { q: 'cls' },
  { q: 'communaute de communes' },
  { q: 'saint-jean-de-luz' },
  { q: 'chateauneuf sur loire' },
  { q: 'villefranche' },
  { q: 'bourg en bresse' },
  { q: 'qzxw' },
  { q: 'montpelier' },
  { q: 'aix en provance' },
];

export interface Timing {
  name: string;
  n: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface SearchGapsResult {
  backend: string;
  load: string;
  /** Reading and indexing the reference territories (after an import of them). */
  indexBuildMs: number;
  /** Reading and indexing the registry's schemes (after any edit). */
  registryBuildMs: number;
  entries: number;
  search: Timing[];
  gaps: { cached: Timing; uncached: Timing; bytes: number };
}

function timing(name: string, ms: number[]): Timing {
  return { name, n: ms.length, p50Ms: percentile(ms, 50), p99Ms: percentile(ms, 99), maxMs: Math.max(...ms) };
}

const now = () => Number(process.hrtime.bigint()) / 1e6;

export function searchTimings(index: SearchParts, runs: number): Timing[] {
  return SEARCHES.map(({ q, options }) => {
    const ms: number[] = [];
    for (let i = 0; i < runs + 3; i++) {
      const t0 = now();
      index.search(parseQuery(q), { limit: 10, ...options });
      if (i >= 3) ms.push(now() - t0);
    }
    const where = options?.region ? ` in région ${options.region}` : '';
    return timing(`search "${q}"${where}`, ms);
  });
}

/** The national gaps through the real app: cached answers, then first answers after a change. */
async function gapTimings(db: Db, runs: number): Promise<SearchGapsResult['gaps']> {
  const tiles = new TileStore(db);
  const version = new DataVersion(tiles);
  const app = createApp({ db, logger: pino({ level: 'silent' }), tiles }, { version });
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/gaps?layer=cls`;
  try {
    let last = await get(url);
    if (last.status !== 200) throw new Error(`${url} answered ${last.status}: ${last.body.toString().slice(0, 200)}`);
    const cached: number[] = [];
    for (let i = 0; i < runs; i++) cached.push((last = await get(url)).ms);
    // a registry change before each request: the answer is computed again
    const uncached: number[] = [];
    for (let i = 0; i < Math.max(5, Math.round(runs / 10)); i++) {
      version.changed('scheme');
      uncached.push((await get(url)).ms);
    }
    return {
      cached: timing('gaps national (cls), cached', cached),
      uncached: timing('gaps national (cls), after a change', uncached),
      bytes: last.bytes,
    };
  } finally {
    await new Promise((resolve) => server.close(resolve));
    await tiles.close();
  }
}

export async function measureSearchGaps(db: Db, runs: number): Promise<SearchGapsResult> {
  const t0 = now();
  const entries = await loadSearchEntries(db, 'reference');
  const reference = new SearchIndex(entries);
  const indexBuildMs = now() - t0;
  const t1 = now();
  const schemes = await loadSearchEntries(db, 'registry');
  const index = new SearchParts([reference, new SearchIndex(schemes)]);
  const registryBuildMs = now() - t1;
  const search = searchTimings(index, runs);
  const gaps = await gapTimings(db, runs);
  return {
    backend: db.kind,
    load: os.loadavg()[0]!.toFixed(1),
    indexBuildMs,
    registryBuildMs,
    entries: entries.length + schemes.length,
    search,
    gaps,
  };
}

export function formatSearchGaps(results: SearchGapsResult[]): string {
  const f = (v: number) => v.toFixed(1).padStart(7);
  const lines = [`in process (p50 / p99 / max ms)  ${results.map((r) => `${r.backend} (load ${r.load})`.padEnd(28)).join('')}`];
  const rows = (pick: (r: SearchGapsResult) => Timing[]) => {
    for (const [i, t] of pick(results[0]!).entries())
      lines.push(
        `${t.name.padEnd(33)}${results.map((r) => `${f(pick(r)[i]!.p50Ms)}${f(pick(r)[i]!.p99Ms)}${f(pick(r)[i]!.maxMs)}       `).join('')}`,
      );
  };
  rows((r) => r.search);
  rows((r) => [r.gaps.cached, r.gaps.uncached]);
  lines.push(
    `${'search index build (ms)'.padEnd(33)}${results.map((r) => `${f(r.indexBuildMs)} (${r.entries} entries)`.padEnd(28)).join('')}`,
    `${'  after a registry edit (ms)'.padEnd(33)}${results.map((r) => `${f(r.registryBuildMs)} (schemes only)`.padEnd(28)).join('')}`,
  );
  return lines.join('\n');
}

async function main() {
  const { values: args } = parseArgs({
    options: { runs: { type: 'string', default: '200' }, 'no-pglite': { type: 'boolean', default: false } },
  });
  const runs = Number(args.runs);
  const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
  const geodataDir = loadConfig({ ...process.env, DATABASE_URL: undefined }).geodataDir;
  const log = (s: string) => console.log(`[bench] ${s}`);
  const out: SearchGapsResult[] = [];
  const targets: { url?: string; dataDir?: string }[] = [
    { url: process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? DEFAULT_BENCH_URL },
  ];
  if (!args['no-pglite']) targets.push({ dataDir: path.resolve(root, process.env.BENCH_PGLITE_DIR ?? '.data/bench-pglite') });
  for (const t of targets) {
    const db = await prepareDb({ ...t, geodataDir, log });
    try {
      out.push(await measureSearchGaps(db, runs));
    } finally {
      await db.close();
    }
  }
  console.log(formatSearchGaps(out));
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) await main();
