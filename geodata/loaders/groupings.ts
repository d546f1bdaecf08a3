// PETR / Pays (lists of EPCI) and regional nature parks (lists of communes by decree,
// re-keyed to the current COG; a commune nouvelle only partly listed is a partial member).
import { rekeyList, type CogIndex } from '../../core/cog.ts';
import type { CsvTable } from '../../core/csv/read.ts';
import type { LayerReport, MembershipRow, PerimeterRow } from '../../core/model.ts';

type Loaded = { perimeters: PerimeterRow[]; memberships: MembershipRow[]; report: LayerReport };

function groupBy(rows: Record<string, string>[], key: string): Map<string, Record<string, string>[]> {
  const groups = new Map<string, Record<string, string>[]>();
  for (const row of rows) {
    const k = row[key] ?? '';
    if (!k) continue;
    const list = groups.get(k) ?? [];
    list.push(row);
    groups.set(k, list);
  }
  return groups;
}

export function loadPnr(table: CsvTable, cog: CogIndex, vintage: string): Loaded {
  const perimeters: PerimeterRow[] = [];
  const memberships: MembershipRow[] = [];
  const report: LayerReport = { rows: 0, rekeyed: [], unknown: [], partial: [] };
  for (const [code, rows] of groupBy(table.rows, 'code_perimetre')) {
    const r = rekeyList(
      cog,
      rows.map((row) => row.insee_com ?? ''),
    );
    perimeters.push({
      layer: 'pnr',
      code,
      name: rows[0]!.nom_perimetre ?? code,
      subtype: 'PNR',
      attrs: { listedCommunes: rows.length, listVintage: vintage, source: rows[0]!.source ?? null },
    });
    for (const m of r.members) memberships.push({ layer: 'pnr', code, commune: m.code, share: m.share });
    report.rekeyed!.push(...r.rekeyed);
    report.unknown!.push(...r.unknown);
    report.partial!.push(...r.partial);
  }
  report.rows = perimeters.length;
  return { perimeters, memberships, report };
}

export function loadPetr(table: CsvTable, epciMembers: MembershipRow[]): Loaded {
  const byEpci = groupBy(
    epciMembers.map((m) => ({ code: m.code, commune: m.commune })),
    'code',
  );
  const perimeters: PerimeterRow[] = [];
  const memberships: MembershipRow[] = [];
  const unknown: string[] = [];
  for (const [code, rows] of groupBy(table.rows, 'code_perimetre')) {
    const epci = rows.map((r) => r.siren_epci ?? '');
    perimeters.push({ layer: 'petr', code, name: rows[0]!.nom_perimetre ?? code, subtype: 'PETR', attrs: { epci } });
    for (const siren of epci) {
      const members = byEpci.get(siren);
      if (!members) {
        unknown.push(siren);
        continue;
      }
      for (const m of members) memberships.push({ layer: 'petr', code, commune: m.commune!, share: 1 });
    }
  }
  return { perimeters, memberships, report: { rows: perimeters.length, unknown } };
}
