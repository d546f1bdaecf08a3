// The report of a perimeter import (dry run, real run or refusal) and its French text
// for the CLI.
import { emptyReport, type PlanReport } from './plan.ts';
import type { ScopeInfo } from './scope.ts';
import type { UnitChanges, UnitRef } from './write.ts';

export interface PerimeterImportReport extends PlanReport {
  status: 'imported' | 'dry-run' | 'rejected';
  file: string;
  format: 'csv' | 'geojson' | 'shapefile' | null;
  layer: { id: string; name: string } | null;
  /** CSV: encoding, separator and the columns used; polygons: projection and attributes used. */
  source: Record<string, string | null>;
  /** Fatal problems: when not empty, nothing was written. */
  errors: string[];
  /** Units of the layer within the scope before the import (deleted by a real run). */
  replaced: { perimeters: number; fictif: number } | null;
  /** The units of the layer this import replaces: those within this scope. */
  scope: Pick<ScopeInfo, 'kind' | 'code' | 'label'> | null;
  /** Units added, replaced and removed within the scope (by a real run, or by it if confirmed). */
  changes: UnitChanges | null;
  /** Number of the version recorded by a real run (to undo it). */
  version: number | null;
  durationMs: number;
}

export function emptyImportReport(file: string): PerimeterImportReport {
  return {
    status: 'rejected',
    file,
    format: null,
    layer: null,
    source: {},
    errors: [],
    replaced: null,
    scope: null,
    changes: null,
    version: null,
    durationMs: 0,
    ...emptyReport(0, [], []),
  };
}

const LIMIT = 15;
const list = (items: string[]) =>
  items.length > LIMIT ? `${items.slice(0, LIMIT).join(', ')}… (+${items.length - LIMIT})` : items.join(', ');
const pct = (share: number) =>
  share < 0.1 ? `${(share * 100).toLocaleString('fr-FR', { maximumFractionDigits: 1 })} %` : `${Math.round(share * 100)} %`;

export function formatPerimeterReport(r: PerimeterImportReport): string {
  const lines: string[] = [];
  const title = {
    imported: 'Import des périmètres terminé',
    'dry-run': "Essai à blanc (rien n'a été écrit)",
    rejected: "Import refusé : rien n'a été modifié",
  }[r.status];
  lines.push(
    `${title} — ${r.file}${r.layer ? ` → couche « ${r.layer.name} » (${r.layer.id})` : ''} en ${(r.durationMs / 1000).toFixed(1)} s`,
  );
  for (const e of r.errors) lines.push(`  ERREUR : ${e}`);
  const src = Object.entries(r.source).filter(([, v]) => v);
  if (r.format) lines.push(`  format : ${r.format}${src.length ? ` (${src.map(([k, v]) => `${k} : ${v}`).join(' ; ')})` : ''}`);
  if (r.rowsRead || r.status !== 'rejected') {
    lines.push(`  ${r.format === 'csv' ? 'lignes lues' : 'objets lus'} : ${r.rowsRead}, ignorés : ${r.rowsIgnored.length}`);
    lines.push(`  périmètres : ${r.perimeters}, communes rattachées : ${r.communesMatched} (${r.memberships} appartenances)`);
  }
  if (r.rowsIgnored.length) {
    lines.push(`  ignorés : ${list(r.rowsIgnored.map((x) => `${r.format === 'csv' ? 'ligne' : 'objet'} ${x.line} (${x.reason})`))}`);
  }
  if (r.rekeyed.length) lines.push(`  codes recodés (COG actuel) : ${list(r.rekeyed.map((x) => `${x.from} → ${x.to}`))}`);
  if (r.unknown.length) lines.push(`  codes commune inconnus : ${list(r.unknown.map((x) => `${x.code} (${x.perimeters.join(', ')})`))}`);
  if (r.partial.length) {
    lines.push(
      `  communes partielles : ${list(r.partial.map((p) => `${p.commune} dans ${p.perimeter} (part ${pct(p.share)}${p.listed.length ? `, anciens codes ${p.listed.join(', ')}` : ''})`))}`,
    );
  }
  if (r.duplicates.length) lines.push(`  doublons ignorés : ${list(r.duplicates.map((d) => `${d.commune} dans ${d.perimeter}`))}`);
  if (r.sharedCommunes.length) {
    lines.push(`  communes dans plusieurs périmètres : ${list(r.sharedCommunes.map((s) => `${s.commune} (${s.perimeters.join(', ')})`))}`);
  }
  if (r.outsideRegion.length) {
    lines.push(
      `  communes hors de la région déclarée : ${list(r.outsideRegion.map((o) => `${o.commune} ${o.name} (région ${o.region})`))}`,
    );
  }
  if (r.emptyPerimeters.length) lines.push(`  périmètres sans commune, ignorés : ${list(r.emptyPerimeters)}`);
  if (r.invalidGeometries.length) {
    lines.push(
      `  géométries invalides corrigées (ST_MakeValid) : ${list(r.invalidGeometries.map((g) => `${g.perimeter} (objet ${g.feature} : ${g.reason})`))}`,
    );
  }
  for (const w of r.warnings) lines.push(`  attention : ${w}`);
  if (r.scope) lines.push(`  zone d'import : ${r.scope.label} (les périmètres hors de cette zone ne sont pas touchés)`);
  if (r.replaced && r.status !== 'rejected') {
    const verb = r.status === 'imported' ? 'remplacés' : 'seraient remplacés';
    lines.push(
      `  périmètres de la zone ${verb} : ${r.replaced.perimeters}${r.replaced.fictif ? ` (dont ${r.replaced.fictif} exemples fictifs)` : ''}`,
    );
  }
  if (r.changes && r.status !== 'rejected') {
    const c = r.changes;
    const units = (u: UnitRef[]) => list(u.map((x) => `${x.name} (${x.code})`));
    const dry = r.status === 'dry-run';
    lines.push(`  ${dry ? 'ajouterait' : 'ajoutés'} : ${c.added.length}${c.added.length ? ` — ${units(c.added)}` : ''}`);
    lines.push(`  ${dry ? 'remplacerait' : 'remplacés'} : ${c.replaced.length}${c.replaced.length ? ` — ${units(c.replaced)}` : ''}`);
    lines.push(`  ${dry ? 'supprimerait' : 'supprimés'} : ${c.removed.length}${c.removed.length ? ` — ${units(c.removed)}` : ''}`);
  }
  if (r.version) lines.push(`  version n° ${r.version} : annulable (npm run import -- perimeters --undo ${r.version})`);
  return lines.join('\n');
}
