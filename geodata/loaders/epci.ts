// EPCI: contours from IGN, type (CC, CA, CU, METRO) and members from the COG.
import type { FeatureCollection, Geometry } from 'geojson';
import type { Decoupage } from '../decoupage.ts';
import type { LayerReport, MembershipRow, PerimeterRow } from '../../core/model.ts';

export function loadEpci(
  contours: FeatureCollection<Geometry, Record<string, unknown>>,
  decoupage: Decoupage,
  current: Set<string>,
): { perimeters: PerimeterRow[]; memberships: MembershipRow[]; report: LayerReport } {
  const geometryByCode = new Map(contours.features.map((f) => [String(f.properties.code), f.geometry]));
  const perimeters: PerimeterRow[] = [];
  const memberships: MembershipRow[] = [];
  const unknown: string[] = [];
  for (const e of decoupage.epci) {
    perimeters.push({
      layer: 'epci',
      code: e.code,
      name: e.nom,
      subtype: e.type,
      attrs: {},
      geometry: geometryByCode.get(e.code) ?? null,
    });
    for (const m of e.membres) {
      if (current.has(m.code)) memberships.push({ layer: 'epci', code: e.code, commune: m.code, share: 1 });
      else unknown.push(m.code);
    }
  }
  const warnings = [...geometryByCode.keys()]
    .filter((code) => !decoupage.epci.some((e) => e.code === code))
    .map((code) => `contour d'EPCI sans composition : ${code}`);
  return { perimeters, memberships, report: { rows: perimeters.length, unknown, warnings } };
}
