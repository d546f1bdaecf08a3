// The reference import: reads GEODATA_DIR and the COG package, writes the atlas in one
// transaction (schema swap), records the run and returns its report.
import type { Db } from '../core/db/db.ts';
import type { Dataset, LayerReport } from '../core/model.ts';
import { ensureExampleLayers, formatExampleReport, type ExampleReport } from './examples/index.ts';
import { buildReferenceDataset } from './reference.ts';
import { COG_VINTAGE, REFERENCE_LAYERS, sourceFiles } from './sources.ts';
import { writeDataset } from './write.ts';

export interface ImportReport {
  vintage: string;
  durationMs: number;
  layers: Record<string, LayerReport & { stored: number }>;
  rekeyed: number;
  unknown: number;
  partial: number;
  /** Fictitious CPTS and psychiatric sectors generated where no real data exists. */
  examples: ExampleReport;
}

export async function importReference(db: Db, geodataDir: string, progress: (step: string) => void = () => {}): Promise<ImportReport> {
  const started = Date.now();
  const [run] = await db.query<{ id: number }>(`INSERT INTO public.import_run (status, vintage) VALUES ('running', $1) RETURNING id`, [
    COG_VINTAGE,
  ]);
  try {
    const data: Dataset = buildReferenceDataset(sourceFiles(geodataDir), progress);
    await db.transaction((tx) => writeDataset(tx, data, { layers: REFERENCE_LAYERS, progress }));
    progress('exemples fictifs (CPTS, secteurs de psychiatrie)');
    const examples = await ensureExampleLayers(db);
    const counts = await db.query<{ layer: string; n: number }>(
      `SELECT 'commune' AS layer, count(*)::int AS n FROM atlas.commune
       UNION ALL SELECT layer, count(*)::int FROM atlas.perimeter GROUP BY layer`,
    );
    const stored = new Map(counts.map((c) => [c.layer, c.n]));
    const layers = Object.fromEntries(Object.entries(data.report).map(([layer, r]) => [layer, { ...r, stored: stored.get(layer) ?? 0 }]));
    const sum = (f: (r: LayerReport) => unknown[] | undefined) => Object.values(data.report).reduce((n, r) => n + (f(r)?.length ?? 0), 0);
    const report: ImportReport = {
      vintage: COG_VINTAGE,
      durationMs: Date.now() - started,
      layers,
      rekeyed: sum((r) => r.rekeyed),
      unknown: sum((r) => r.unknown),
      partial: sum((r) => r.partial),
      examples,
    };
    await db.query(`UPDATE public.import_run SET status = 'ok', finished_at = now(), report = $2::jsonb WHERE id = $1`, [
      run!.id,
      JSON.stringify(report),
    ]);
    return report;
  } catch (err) {
    await db.query(`UPDATE public.import_run SET status = 'failed', finished_at = now(), report = $2::jsonb WHERE id = $1`, [
      run!.id,
      JSON.stringify({ error: (err as Error).message }),
    ]);
    throw err;
  }
}

/** A human-readable summary of a report, in French, for the CLI and the server log. */
export function formatReport(r: ImportReport): string {
  const lines = [`Import terminé en ${(r.durationMs / 1000).toFixed(1)} s (COG ${r.vintage})`];
  for (const [layer, l] of Object.entries(r.layers)) {
    lines.push(`  ${layer.padEnd(15)} ${String(l.stored).padStart(6)} lignes`);
    for (const p of l.partial ?? [])
      lines.push(`      membre partiel ${p.code} (part ${p.share.toFixed(2)}, anciens codes ${p.listed.join(', ')})`);
    if (l.rekeyed?.length) lines.push(`      codes recodés : ${l.rekeyed.map((x) => `${x.from}→${x.to}`).join(', ')}`);
    if (l.unknown?.length) lines.push(`      codes inconnus : ${l.unknown.join(', ')}`);
    for (const w of l.warnings ?? []) lines.push(`      ${w}`);
  }
  lines.push(`  total : ${r.rekeyed} codes recodés, ${r.unknown} inconnus, ${r.partial} membres partiels`);
  lines.push(formatExampleReport(r.examples));
  return lines.join('\n');
}
