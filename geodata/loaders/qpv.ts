// Priority neighbourhoods: the 2024 generation known by its communes (no contours
// offline), and the 2015 generation with contours and INSEE population (Occitanie).
import type { FeatureCollection, Geometry } from 'geojson';
import { rekey, type CogIndex } from '../../core/cog.ts';
import type { CsvTable } from '../../core/csv/read.ts';
import type { LayerReport, MembershipRow, PerimeterRow } from '../../core/model.ts';

export function loadQpv(
  list2024: CsvTable,
  contours2015: FeatureCollection<Geometry, Record<string, unknown>>,
  indicators2015: CsvTable,
  cog: CogIndex,
): { perimeters: PerimeterRow[]; memberships: MembershipRow[]; report: LayerReport } {
  const perimeters = new Map<string, PerimeterRow>();
  const memberships: MembershipRow[] = [];
  const rekeyed: { from: string; to: string }[] = [];
  const unknown: string[] = [];

  for (const row of list2024.rows) {
    const code = row.code_qp ?? '';
    if (!code) continue;
    if (!perimeters.has(code)) {
      perimeters.set(code, {
        layer: 'qpv',
        code,
        name: row.lib_qp ?? code,
        subtype: '2024',
        attrs: { generation: 2024 },
        population: null,
      });
    }
    const r = rekey(cog, row.insee_com ?? '');
    if (!r.code) {
      unknown.push(row.insee_com ?? '');
      continue;
    }
    if (r.status === 'rekeyed') rekeyed.push({ from: row.insee_com!, to: r.code });
    if (!memberships.some((m) => m.code === code && m.commune === r.code)) {
      memberships.push({ layer: 'qpv', code, commune: r.code, share: null });
    }
  }

  const population = new Map(indicators2015.rows.map((r) => [r.code_qp, Number(r.pop_mun)]));
  for (const f of contours2015.features) {
    const code = String(f.properties.code_qp ?? '');
    if (!code) continue;
    const pop = population.get(code);
    perimeters.set(code, {
      layer: 'qpv',
      code,
      name: String(f.properties.nom_qp ?? code),
      subtype: '2015',
      attrs: { generation: 2015 },
      population: pop !== undefined && Number.isFinite(pop) ? pop : null,
      geometry: f.geometry,
    });
    // memberships of contoured QPV are computed from their geometry by the writer
  }
  return {
    perimeters: [...perimeters.values()],
    memberships,
    report: { rows: perimeters.size, rekeyed, unknown },
  };
}
