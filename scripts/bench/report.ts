// The benchmark's results: their shape, the targets of issue 7 judged on them, and the
// printed table (our figures, each peer's, and the ratio: > 1 means we do better).
// Length: the result types, the judgement of every target and the printed table, one place per figure.
import type { RebuildResult } from './rebuild.ts';
import type { LoadResult } from './wrk.ts';

export interface PassResult {
  requests: number;
  completed: number;
  totalS: number;
  cutShort: boolean;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  firstMs: number;
  bytesPerRequest: number;
  errors: number;
  /** p50 / p99 per zoom, and for z5 tiles that carry every commune of France. */
  byZoom: Record<string, { n: number; p50Ms: number; p99Ms: number }>;
  z5CommunesP99Ms: number;
}

export interface TileServerResult {
  name: string;
  label: string;
  cold: PassResult;
  warm: LoadResult[];
  memory?: { rssMb: number; peakMb: number } | null;
}

export interface ApiResult {
  name: string;
  path: string;
  n: number;
  p50Ms: number;
  p99Ms: number;
  bytes: number;
  status: number;
}

export interface BenchResults {
  startedAt: string;
  durationS: number;
  machine: Record<string, string | number>;
  settings: Record<string, string | number>;
  /** Warm runs replay `paths`; cold passes read `coldPaths` (more tiles at z9–z12, scripts/bench/tile-list.ts). */
  tileList: { paths: number; tiles: number; byZoom: Record<string, number>; coldPaths: number; coldByZoom: Record<string, number> };
  servers: TileServerResult[];
  memory: { afterAllLayersMb: number; peakMb: number; rssAfterLoadMb: number } | null;
  api: { postgis: ApiResult[]; pglite: ApiResult[] };
  pgliteTiles: {
    cold: PassResult;
    warm: LoadResult[];
    memory: { rssMb: number; peakMb: number } | null;
    allLayersMb: number;
    afterWarmMb: number;
  } | null;
  edit: { http: { patchMs: number; visibleMs: number; polls: number }[] | string; rebuilds: RebuildResult[] };
  targets: { target: string; value: string; pass: boolean }[];
}

const f = (v: number, d = 1) => (Number.isFinite(v) ? v.toFixed(d) : '—');
const ratio = (v: number) => (Number.isFinite(v) && v > 0 ? `×${v >= 10 ? v.toFixed(0) : v.toFixed(1)}` : '—');

export function judge(r: Omit<BenchResults, 'targets'>): BenchResults['targets'] {
  const ours = r.servers.find((s) => s.name === 'ours');
  const mapserver = r.servers.find((s) => s.name === 'mapserver');
  const at64 = (s: TileServerResult | undefined) => s?.warm.find((w) => w.connections === 64);
  const api = (name: string) => r.api.postgis.find((a) => a.name === name);
  const t: BenchResults['targets'] = [];
  const o64 = at64(ours);
  if (o64) t.push({ target: 'warm tiles p99 < 15 ms at 64 connections', value: `${f(o64.p99Ms)} ms`, pass: o64.p99Ms < 15 });
  const m64 = at64(mapserver);
  if (o64 && m64 && m64.rps <= 0) {
    // a peer that served nothing proves nothing: never a PASS by division by zero
    t.push({
      target: 'warm tiles ≥ 100× MapServer requests/s (64 connections)',
      value: 'MapServer served nothing: not judged',
      pass: false,
    });
  } else if (o64 && m64) {
    const x = o64.rps / m64.rps;
    t.push({
      target: 'warm tiles ≥ 100× MapServer requests/s (64 connections)',
      value: `${f(x)}× (${f(o64.rps, 0)} vs ${f(m64.rps, 0)})`,
      pass: x >= 100,
    });
  }
  if (ours) {
    t.push({
      target: 'cold tiles p99 < 150 ms at z5 (all communes of France)',
      value: `${f(ours.cold.z5CommunesP99Ms)} ms`,
      pass: ours.cold.z5CommunesP99Ms < 150,
    });
    const peers = r.servers.filter((s) => s !== ours);
    if (peers.length) {
      const behind = Object.entries(ours.cold.byZoom).flatMap(([z, o]) => {
        const best = Math.min(...peers.map((p) => p.cold.byZoom[z]?.p99Ms ?? Number.POSITIVE_INFINITY));
        return o.p99Ms > best ? [`z${z} ${f(o.p99Ms)} vs ${f(best)} ms`] : [];
      });
      t.push({
        target: 'cold tiles p99 at every zoom no worse than the best peer',
        value: behind.length ? `behind at ${behind.join(', ')}` : 'ahead or level at every zoom',
        pass: behind.length === 0,
      });
    }
  }
  const gaps = api('gaps national (cls)');
  if (gaps) t.push({ target: 'national gap analysis < 150 ms (p99)', value: `${f(gaps.p99Ms)} ms`, pass: gaps.p99Ms < 150 });
  const compare = api('compare 4 perimeters');
  if (compare) t.push({ target: '4-perimeter compare < 100 ms (p99)', value: `${f(compare.p99Ms)} ms`, pass: compare.p99Ms < 100 });
  const searches = r.api.postgis.filter((a) => a.name.startsWith('search'));
  if (searches.length) {
    const worst = Math.max(...searches.map((a) => a.p99Ms));
    t.push({ target: 'search < 30 ms (p99, every query)', value: `${f(worst)} ms at worst`, pass: worst < 30 });
  }
  const panorama = api('panorama France');
  if (panorama) t.push({ target: 'panorama of France < 300 ms (p99)', value: `${f(panorama.p99Ms)} ms`, pass: panorama.p99Ms < 300 });
  if (r.memory) {
    const rss = Math.max(r.memory.afterAllLayersMb, r.memory.rssAfterLoadMb);
    t.push({
      target: 'server RSS < 600 MB on PostGIS, all layers loaded and after the warm runs',
      value: `${f(rss, 0)} MB (${f(r.memory.afterAllLayersMb, 0)} MB with every layer, ${f(r.memory.rssAfterLoadMb, 0)} MB after the warm runs, peak ${f(r.memory.peakMb, 0)})`,
      pass: rss < 600,
    });
  }
  if (r.pgliteTiles) {
    const { allLayersMb, afterWarmMb } = r.pgliteTiles;
    const rss = Math.max(allLayersMb, afterWarmMb);
    t.push({
      target: 'server RSS < 800 MB on PGlite, all layers loaded and after the warm runs',
      value: `${f(rss, 0)} MB (${f(allLayersMb, 0)} MB with every layer, ${f(afterWarmMb, 0)} MB after the warm runs)`,
      pass: rss < 800,
    });
  }
  const rebuildWait = Math.max(...r.edit.rebuilds.map((e) => e.maxWaitMs));
  if (r.edit.rebuilds.length) {
    t.push({ target: 'no tile waits more than 200 ms after a change', value: `${f(rebuildWait, 0)} ms`, pass: rebuildWait < 200 });
  }
  return t;
}

function row(cells: string[], widths: number[]): string {
  return cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
}

export function formatResults(r: BenchResults): string {
  const lines: string[] = [];
  const m = r.machine;
  lines.push(`Millefeuille benchmark — ${r.startedAt} — ${f(r.durationS, 0)} s`);
  lines.push(`machine: ${m.cpus} CPU (${m.cpuModel}), ${m.memory} RAM; ${m.node}; ${m.postgis}; ${m.mapserver}; ${m.wrk}`);
  lines.push(
    `load average (1 min) at start ${m.loadStart}, at end ${m.loadEnd}${Number(m.loadStart) > Number(m.cpus) / 2 ? ' — the machine was busy with other work: latencies are pessimistic' : ''}`,
  );
  const zooms = (byZoom: Record<string, number>) =>
    Object.entries(byZoom)
      .map(([z, n]) => `z${z} ${n}`)
      .join(', ');
  lines.push(
    `tile list: ${r.tileList.paths} requests in the warm runs (${r.tileList.tiles} tiles × communes, EPCI, schemes, composite), ${zooms(r.tileList.byZoom)}`,
  );
  lines.push(`cold passes: ${r.tileList.coldPaths} requests, ${zooms(r.tileList.coldByZoom)}`);
  const ours = r.servers.find((s) => s.name === 'ours');
  const peers = r.servers.filter((s) => s.name !== 'ours');
  const widths = [30, 17, ...peers.flatMap(() => [26, 8])];
  lines.push('');
  lines.push(row(['TILES', 'ours', ...peers.flatMap((p) => [p.label, 'ratio'])], widths));
  if (ours) {
    for (const w of ours.warm) {
      const c = w.connections;
      const pw = peers.map((p) => p.warm.find((x) => x.connections === c));
      lines.push(
        row([`warm ${c} conn: req/s`, f(w.rps, 0), ...pw.flatMap((x) => [x ? f(x.rps, 1) : '—', x ? ratio(w.rps / x.rps) : '—'])], widths),
      );
      lines.push(
        row(
          [
            `   p50 / p99 ms`,
            `${f(w.p50Ms, 2)} / ${f(w.p99Ms, 1)}`,
            ...pw.flatMap((x) => [x ? `${f(x.p50Ms)} / ${f(x.p99Ms)}` : '—', x ? ratio(x.p99Ms / w.p99Ms) : '—']),
          ],
          widths,
        ),
      );
      lines.push(
        row(
          [
            `   kB/request, errors`,
            `${f(w.bytesPerRequest / 1024)}, ${w.errors + w.timeouts}`,
            ...pw.flatMap((x) => [
              x ? `${f(x.bytesPerRequest / 1024)}, ${x.errors + x.timeouts}` : '—',
              x ? ratio(x.bytesPerRequest / w.bytesPerRequest) : '—',
            ]),
          ],
          widths,
        ),
      );
    }
    const c = ours.cold;
    const pc = peers.map((p) => p.cold);
    lines.push(
      row(
        [
          'cold first pass: total s',
          `${f(c.totalS)}`,
          ...pc.flatMap((x) => [
            `${f(x.totalS)}${x.cutShort ? ` (${x.completed}/${x.requests}, cut)` : ''}`,
            x.cutShort ? '—' : ratio(x.totalS / c.totalS),
          ]),
        ],
        widths,
      ),
    );
    lines.push(
      row(
        [
          '   p50 / p99 ms',
          `${f(c.p50Ms)} / ${f(c.p99Ms)}`,
          ...pc.flatMap((x) => [`${f(x.p50Ms)} / ${f(x.p99Ms)}`, ratio(x.p99Ms / c.p99Ms)]),
        ],
        widths,
      ),
    );
    lines.push(row(['   first request ms', f(c.firstMs), ...pc.flatMap((x) => [f(x.firstMs), ratio(x.firstMs / c.firstMs)])], widths));
    lines.push(
      row(
        [
          '   z5 with communes: p99 ms',
          f(c.z5CommunesP99Ms),
          ...pc.flatMap((x) => [f(x.z5CommunesP99Ms), ratio(x.z5CommunesP99Ms / c.z5CommunesP99Ms)]),
        ],
        widths,
      ),
    );
    for (const z of Object.keys(c.byZoom)) {
      const o = c.byZoom[z]!;
      lines.push(
        row(
          [
            `   z${z} p50 / p99 ms`,
            `${f(o.p50Ms)} / ${f(o.p99Ms)}`,
            ...pc.flatMap((x) => {
              const p = x.byZoom[z];
              return [p ? `${f(p.p50Ms)} / ${f(p.p99Ms)}` : '—', p ? ratio(p.p99Ms / o.p99Ms) : '—'];
            }),
          ],
          widths,
        ),
      );
    }
    lines.push(
      row(
        [
          '   kB/request, errors',
          `${f(c.bytesPerRequest / 1024)}, ${c.errors}`,
          ...pc.flatMap((x) => [`${f(x.bytesPerRequest / 1024)}, ${x.errors}`, ratio(x.bytesPerRequest / c.bytesPerRequest)]),
        ],
        widths,
      ),
    );
    const mem = (s: TileServerResult) => (s.memory ? `${f(s.memory.rssMb, 0)} (peak ${f(s.memory.peakMb, 0)})` : '—');
    lines.push(row(['server RSS MB', mem(ours), ...peers.flatMap((p) => [mem(p), ''])], widths));
  }
  lines.push('');
  const aw = [30, 17, 17];
  lines.push(row(['API (sequential), ms', 'PostGIS p50/p99', 'PGlite p50/p99'], aw));
  for (const a of r.api.postgis) {
    const p = r.api.pglite.find((x) => x.name === a.name);
    lines.push(row([a.name, `${f(a.p50Ms)} / ${f(a.p99Ms)}`, p ? `${f(p.p50Ms)} / ${f(p.p99Ms)}` : '—'], aw));
  }
  if (r.pgliteTiles) {
    const c = r.pgliteTiles.cold;
    lines.push('');
    lines.push(
      `PGlite tiles, cold first pass: ${f(c.totalS)} s, p50/p99 ${f(c.p50Ms)} / ${f(c.p99Ms)} ms, first ${f(c.firstMs)} ms, z5 communes p99 ${f(c.z5CommunesP99Ms)} ms`,
    );
    lines.push(
      `   by zoom p50 / p99 ms: ${Object.entries(c.byZoom)
        .map(([z, o]) => `z${z} ${f(o.p50Ms)} / ${f(o.p99Ms)}`)
        .join(', ')}`,
    );
    for (const w of r.pgliteTiles.warm)
      lines.push(`   warm ${w.connections} conn: ${f(w.rps, 0)} req/s, p50 / p99 ${f(w.p50Ms, 2)} / ${f(w.p99Ms)} ms`);
    lines.push(
      `   server RSS with every layer ${f(r.pgliteTiles.allLayersMb, 0)} MB, after the warm runs ${f(r.pgliteTiles.afterWarmMb, 0)} MB (at the end ${f(r.pgliteTiles.memory?.rssMb ?? Number.NaN, 0)} MB, peak ${f(r.pgliteTiles.memory?.peakMb ?? Number.NaN, 0)})`,
    );
  }
  lines.push('');
  const http = r.edit.http;
  lines.push(
    typeof http === 'string'
      ? `edit → visible over HTTP: ${http}`
      : `edit → visible over HTTP (PATCH /api/schemes/:code, then the scheme tile until its ETag changes): ${http.map((e) => `${f(e.visibleMs, 0)} ms (PATCH ${f(e.patchMs, 0)})`).join(', ')}`,
  );
  for (const e of r.edit.rebuilds) {
    lines.push(
      `after TileStore.invalidate('${e.layer}') (in process): longest tile wait ${f(e.maxWaitMs, 0)} ms (first ${f(e.firstMs, 0)} ms, ${e.tilesDuring} tiles cut meanwhile), new data served after ${f(e.rebuildMs, 0)} ms`,
    );
  }
  lines.push('');
  lines.push('TARGETS');
  for (const t of r.targets) lines.push(`  ${t.pass ? 'PASS' : 'FAIL'}  ${t.target}: ${t.value}`);
  return lines.join('\n');
}
