// National PNR and PETR known only by an outline (INPN parks ≈ 2020; PETR of the
// contrats de ruralité, 2016–2019). Each outline becomes a perimeter carrying its own
// geometry for one step only: at write, its member communes are derived in PostGIS by
// the rule of OUTLINE_RULE (write.ts, outlineMemberships), then the outline is dropped
// and the geometry re-derived from the communes like every other perimeter. Each of these
// perimeters says it is approximate (attrs.approximation: the sheet, tiles and exports
// show it). Where a current list exists (Doubs Horloger decree, Grand Quercy 2025), the
// list wins and the outline is not loaded.
import type { FeatureCollection, Geometry } from 'geojson';
import type { LayerReport, PerimeterRow } from '../../core/model.ts';
import { searchKey } from '../../core/search-key.ts';
import { PNR_NAMES } from './pnr-names.ts';

export const PNR_APPROXIMATION = 'périmètre approché (contour INPN ≈ 2020)';
export const PNR_OUTLINE_SOURCE = 'MNHN – INPN, couche « Parcs naturels régionaux » (≈ 2020)';

/**
 * A commune belongs to an outlined park or PETR when at least half of its area (on the
 * ground: geography) lies inside the outline; it is then a whole member (share 1), as
 * decrees and EPCI lists count whole communes. Half rather than the centroid: outlines
 * are simplified (~130 points a park), so a border commune is in when most of it is.
 */
export const OUTLINE_RULE = { minCommuneShare: 0.5 } as const;
export const OUTLINE_RULE_TEXT = 'communes dont au moins 50 % de la superficie est dans le contour';

/** PETR outlines superseded by a current list (code of the outline -> code of the list). */
export const SUPERSEDED_PETR: Record<string, string> = { CR0281: 'PETR-GRAND-QUERCY' };

type Loaded = { perimeters: PerimeterRow[]; report: LayerReport };

const polygonal = (g: Geometry | null) => !!g && (g.type === 'Polygon' || g.type === 'MultiPolygon');

export function loadPnrOutlines(fc: FeatureCollection<Geometry, Record<string, unknown>>, listed: Set<string>): Loaded {
  const perimeters: PerimeterRow[] = [];
  const warnings: string[] = [];
  for (const f of fc.features) {
    const code = String(f.properties?.DRGP_C_COD ?? '').trim();
    const label = String(f.properties?.DRGP_L_LIB ?? '').trim();
    if (!code || !polygonal(f.geometry)) {
      warnings.push(`contour INPN ignoré (code ou géométrie manquant) : ${label || code}`);
      continue;
    }
    const name = PNR_NAMES[code] ?? `Parc naturel régional ${label}`;
    if (listed.has(name)) continue;
    perimeters.push({
      layer: 'pnr',
      code,
      name,
      subtype: 'PNR',
      attrs: { approximation: PNR_APPROXIMATION, source: PNR_OUTLINE_SOURCE, millesime: '≈ 2020', regle: OUTLINE_RULE_TEXT },
      geometry: f.geometry,
    });
  }
  return { perimeters, report: { rows: perimeters.length, warnings } };
}

/** "Date de signature : 22 mars 2017" -> "22 mars 2017". */
const signature = (info: unknown) =>
  String(info ?? '')
    .replace(/^\s*Date de signature\s*:\s*/i, '')
    .trim();

export function loadPetrOutlines(fc: FeatureCollection<Geometry, Record<string, unknown>>): Loaded {
  const perimeters: PerimeterRow[] = [];
  const warnings: string[] = [];
  // The source gives one id to two different PETR twice (CR0306, CR0383): those take the
  // id followed by their name, e.g. CR0306-MARENNES-OLERON.
  const seen = new Map<string, number>();
  for (const f of fc.features) seen.set(String(f.properties?.id ?? '').trim(), (seen.get(String(f.properties?.id ?? '').trim()) ?? 0) + 1);
  for (const f of fc.features) {
    const id = String(f.properties?.id ?? '').trim();
    const lib = String(f.properties?.lib ?? '').trim();
    const code = (seen.get(id) ?? 0) > 1 ? `${id}-${searchKey(lib).split(' ').join('-').toUpperCase()}` : id;
    if (code !== id) warnings.push(`${id} porté par plusieurs PETR dans la source : ${lib} codé ${code}`);
    if (!code || !polygonal(f.geometry)) {
      warnings.push(`contour de PETR ignoré (code ou géométrie manquant) : ${lib || code}`);
      continue;
    }
    if (SUPERSEDED_PETR[id]) {
      warnings.push(`${id} (${lib}) : contour 2017 remplacé par la liste actuelle ${SUPERSEDED_PETR[id]}`);
      continue;
    }
    const signed = signature(f.properties?.info1);
    const year = /\d{4}/.exec(signed)?.[0] ?? '2016-2019';
    perimeters.push({
      layer: 'petr',
      code,
      name: /^(PETR|Pays)\b/i.test(lib) ? lib : `PETR ${lib}`,
      subtype: 'PETR',
      attrs: {
        approximation: `périmètre approché (contour ANCT du contrat de ruralité, ${year})`,
        source: 'ANCT (CGET), carte des contrats de ruralité',
        millesime: signed ? `contrat de ruralité signé le ${signed}` : '2016-2019',
        communesAlors: typeof f.properties?.nbcom === 'number' ? f.properties.nbcom : null,
        regle: OUTLINE_RULE_TEXT,
      },
      geometry: f.geometry,
    });
  }
  return { perimeters, report: { rows: perimeters.length, warnings } };
}
