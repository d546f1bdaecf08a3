// Communes (IGN contours + COG population), the codes that lead to them, and the
// administrative layers made of them: départements, régions, arrondissements.
import type { FeatureCollection, Geometry } from 'geojson';
import type { Decoupage } from '../decoupage.ts';
import type { Passage } from '../../core/cog.ts';
import type { AliasRow, CommuneRow, LayerReport, MembershipRow, PerimeterRow } from '../../core/model.ts';

export function loadCommunes(
  contours: FeatureCollection<Geometry, Record<string, unknown>>,
  decoupage: Decoupage,
): { communes: CommuneRow[]; report: LayerReport } {
  const cog = new Map(decoupage.communes.filter((c) => c.type === 'commune-actuelle').map((c) => [c.code, c]));
  const warnings: string[] = [];
  const communes: CommuneRow[] = [];
  const seen = new Set<string>();
  for (const f of contours.features) {
    const p = f.properties;
    const code = String(p.code ?? '');
    if (!code || seen.has(code)) {
      warnings.push(`contour ignoré (code vide ou en double) : "${code}"`);
      continue;
    }
    seen.add(code);
    const info = cog.get(code);
    if (!info) warnings.push(`commune ${code} absente du COG`);
    communes.push({
      code,
      name: String(p.nom ?? info?.nom ?? code),
      departement: String(p.departement ?? info?.departement ?? ''),
      region: String(p.region ?? info?.region ?? ''),
      arrondissement: info?.arrondissement ?? null,
      epci: p.epci ? String(p.epci) : null,
      population: info?.population ?? 0,
      geometry: f.geometry,
    });
  }
  const withoutContour = [...cog.keys()].filter((c) => !seen.has(c));
  if (withoutContour.length) {
    const deps = [...new Set(withoutContour.map((c) => cog.get(c)!.departement))].sort();
    warnings.push(`${withoutContour.length} communes du COG sans contour (collectivités d'outre-mer ${deps.join(', ')}) : non chargées`);
  }
  return { communes, report: { rows: communes.length, warnings } };
}

/** Every code that must still lead to a current commune. */
export function communeAliases(passages: Passage[], decoupage: Decoupage, current: Set<string>): AliasRow[] {
  const byKey = new Map<string, AliasRow>();
  const add = (row: AliasRow) => {
    if (row.oldCode === row.code || !current.has(row.code)) return;
    const key = `${row.oldCode}>${row.code}`;
    if (!byKey.has(key) || row.name) byKey.set(key, row);
  };
  for (const { from, to } of passages) add({ oldCode: from, code: to, kind: 'fusion', name: null });
  for (const c of decoupage.communes) {
    if (c.type === 'commune-deleguee' || c.type === 'commune-associee') {
      if (c.chefLieu) add({ oldCode: c.code, code: c.chefLieu, kind: c.type, name: c.nom });
    } else if (c.type === 'arrondissement-municipal' && c.commune) {
      add({ oldCode: c.code, code: c.commune, kind: 'arrondissement-municipal', name: c.nom });
    }
  }
  return [...byKey.values()];
}

/** Départements, régions and arrondissements as perimeters whose members are whole communes. */
export function administrativeLayers(
  communes: CommuneRow[],
  decoupage: Decoupage,
): { perimeters: PerimeterRow[]; memberships: MembershipRow[] } {
  const perimeters: PerimeterRow[] = [];
  const memberships: MembershipRow[] = [];
  const layers = [
    { layer: 'region', units: decoupage.regions, key: (c: CommuneRow) => c.region },
    { layer: 'departement', units: decoupage.departements, key: (c: CommuneRow) => c.departement },
    { layer: 'arrondissement', units: decoupage.arrondissements, key: (c: CommuneRow) => c.arrondissement },
  ];
  for (const { layer, units, key } of layers) {
    const used = new Set<string>();
    for (const c of communes) {
      const code = key(c);
      if (!code) continue;
      used.add(code);
      memberships.push({ layer, code, commune: c.code, share: 1 });
    }
    for (const u of units) {
      if (!used.has(u.code)) continue;
      const attrs: Record<string, unknown> = {};
      if (u.chefLieu) attrs.chefLieu = u.chefLieu;
      if (u.departement) attrs.departement = u.departement;
      if (u.region) attrs.region = u.region;
      perimeters.push({ layer, code: u.code, name: u.nom, subtype: null, attrs });
    }
  }
  return { perimeters, memberships };
}
