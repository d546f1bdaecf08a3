// SQL for the OGC API – Features collections and the TileJSON documents: the codes a
// selection matches (bbox, attribute filters), the features of one page (generalised
// geometry), single features, and a summary of each layer (extent, whether its features
// carry a type or a fictif flag).
//
// Conditions are assembled from the fixed fragments below; every value travels as a
// parameter. A perimeter's département is its main one: the département holding most of
// its inhabitants (a commune's own for communes), and its région is that département's.
import type { Queryable } from '../../core/db/db.ts';

export interface FeatureFilters {
  departement?: string;
  region?: string;
  epci?: string;
  arrondissement?: string;
  type?: string;
  status?: string;
}

export interface FeatureSelection {
  /** Table-level layer ('scheme' for a scheme type). */
  layer: string;
  schemeType: string | null;
  bbox: [number, number, number, number] | null;
  filters: FeatureFilters;
}

/** One feature: its code, its GeoJSON geometry as text (null: none known), its columns. */
export type FeatureRow = { code: string; geometry: string | null } & Record<string, unknown>;

/** Where the main département of a perimeter comes from (its members, weighted by population). */
const MAIN_DEPARTEMENT = `LEFT JOIN LATERAL (
    SELECT c.departement, c.region FROM atlas.membership m JOIN atlas.commune c ON c.code = m.commune
    WHERE m.layer = p.layer AND m.code = p.code
    GROUP BY c.departement, c.region
    ORDER BY sum(c.population * coalesce(m.share, 1)) DESC, c.departement
    LIMIT 1) d ON true`;

const SCHEME_JOIN = `LEFT JOIN registry.scheme s ON p.layer = 'scheme' AND s.code = p.code`;

const COMMUNE_COLUMNS = `c.code, c.name, c.departement, c.region, c.arrondissement, c.epci, c.population,
  round(c.area_km2::numeric, 2)::float8 AS area_km2`;

const PERIMETER_COLUMNS = `p.code, p.name, p.subtype AS type, d.departement, d.region,
  round(p.population)::int AS population, round(p.area_km2::numeric, 2)::float8 AS area_km2,
  p.commune_count, p.fictif,
  s.status, s.bearer_type, s.bearer_name, s.signature_date AS start_date, s.end_date, s.generation,
  s.coordination_fte, s.source AS scheme_source, s.source_kind, s.source_date::text AS source_date`;

interface Where {
  conditions: string[];
  params: unknown[];
  /** The main département is needed to filter. */
  needsMain: boolean;
}

function where(sel: FeatureSelection, geom: string, params: unknown[] = []): Where {
  const conditions: string[] = [];
  const p = (v: unknown) => `$${params.push(v)}`;
  const isCommune = sel.layer === 'commune';
  let needsMain = false;
  if (!isCommune) {
    conditions.push(`p.layer = ${p(sel.layer)}`);
    if (sel.schemeType) conditions.push(`p.subtype = ${p(sel.schemeType)}`);
  }
  if (sel.bbox) {
    const env = `ST_MakeEnvelope(${sel.bbox.map(p).join(', ')}, 4326)`;
    conditions.push(`${geom} && ${env} AND ST_Intersects(${geom}, ${env})`);
  }
  const f = sel.filters;
  if (isCommune) {
    if (f.departement) conditions.push(`c.departement = ${p(f.departement)}`);
    if (f.region) conditions.push(`c.region = ${p(f.region)}`);
    if (f.epci) conditions.push(`c.epci = ${p(f.epci)}`);
    if (f.arrondissement) conditions.push(`c.arrondissement = ${p(f.arrondissement)}`);
  } else {
    if (f.departement) conditions.push(`d.departement = ${p(f.departement)}`);
    if (f.region) conditions.push(`d.region = ${p(f.region)}`);
    if (f.type) conditions.push(`p.subtype = ${p(f.type)}`);
    if (f.status) conditions.push(`s.status = ${p(f.status)}`);
    needsMain = Boolean(f.departement || f.region);
  }
  return { conditions, params, needsMain };
}

const clause = (conditions: string[]) => (conditions.length ? `WHERE ${conditions.join(' AND ')}` : '');

/** The table a selection reads, with the joins its filters need. */
function source(sel: FeatureSelection, w: Where): string {
  if (sel.layer === 'commune') return 'atlas.commune c';
  return `atlas.perimeter p ${w.needsMain ? MAIN_DEPARTEMENT : ''} ${sel.filters.status ? SCHEME_JOIN : ''}`;
}

/** Codes of every matching feature, in code order: the pages are slices of it. */
export async function matchingCodes(db: Queryable, sel: FeatureSelection): Promise<string[]> {
  const alias = sel.layer === 'commune' ? 'c' : 'p';
  const w = where(sel, `${alias}.geom`);
  const rows = await db.query<{ code: string }>(
    `SELECT ${alias}.code FROM ${source(sel, w)} ${clause(w.conditions)} ORDER BY ${alias}.code`,
    w.params,
  );
  return rows.map((r) => r.code);
}

/**
 * The geometry as GeoJSON text, simplified to `tolerance` degrees when above 0 and still a
 * MultiPolygon (GDAL gives a layer one geometry type, and a GeoPackage refuses a Polygon
 * in a MultiPolygon table).
 */
function geometrySql(geom: string, tolerance: string | null): string {
  return `ST_AsGeoJSON(${tolerance ? `ST_Multi(ST_SimplifyPreserveTopology(${geom}, ${tolerance}))` : geom}, 5)`;
}

/** The features of these codes (one page), in the order given. */
export async function featuresByCode(db: Queryable, layer: string, codes: string[], tolerance: number): Promise<FeatureRow[]> {
  if (!codes.length) return [];
  const commune = layer === 'commune';
  const params: unknown[] = commune ? [codes] : [codes, layer];
  const t = tolerance > 0 ? `$${params.push(tolerance)}::float8` : null;
  const rows = await db.query<FeatureRow>(
    commune
      ? `SELECT ${COMMUNE_COLUMNS}, ${geometrySql('c.geom', t)} AS geometry FROM atlas.commune c WHERE c.code = ANY($1::text[])`
      : `SELECT ${PERIMETER_COLUMNS}, ${geometrySql('p.geom', t)} AS geometry
         FROM atlas.perimeter p ${MAIN_DEPARTEMENT} ${SCHEME_JOIN}
         WHERE p.layer = $2 AND p.code = ANY($1::text[])`,
    params,
  );
  const position = new Map(codes.map((c, i) => [c, i]));
  return rows.sort((x, y) => position.get(x.code)! - position.get(y.code)!);
}

/** One feature at full detail, or null. */
export async function findFeature(db: Queryable, layer: string, schemeType: string | null, code: string): Promise<FeatureRow | null> {
  if (layer === 'commune') {
    const [row] = await db.query<FeatureRow>(
      `SELECT ${COMMUNE_COLUMNS}, ${geometrySql('c.geom', null)} AS geometry FROM atlas.commune c WHERE c.code = $1`,
      [code],
    );
    return row ?? null;
  }
  const [row] = await db.query<FeatureRow>(
    `SELECT ${PERIMETER_COLUMNS}, ${geometrySql('p.geom', null)} AS geometry
     FROM atlas.perimeter p ${MAIN_DEPARTEMENT} ${SCHEME_JOIN}
     WHERE p.layer = $1 AND p.code = $2 AND ($3::text IS NULL OR p.subtype = $3)`,
    [layer, code, schemeType],
  );
  return row ?? null;
}

export interface LayerSummaryRow {
  layer: string;
  /** Scheme type for the scheme layer's rows, null otherwise. */
  schemeType: string | null;
  bbox: [number, number, number, number] | null;
  hasType: boolean;
  hasFictif: boolean;
}

/** Extent and feature properties of every layer (and of each scheme type). */
export async function layerSummaries(db: Queryable): Promise<LayerSummaryRow[]> {
  const bbox = (e: string) => `CASE WHEN ${e} IS NULL THEN NULL ELSE json_build_array(
    round(ST_XMin(${e})::numeric, 5)::float8, round(ST_YMin(${e})::numeric, 5)::float8,
    round(ST_XMax(${e})::numeric, 5)::float8, round(ST_YMax(${e})::numeric, 5)::float8) END`;
  return db.query<LayerSummaryRow>(
    `SELECT 'commune' AS layer, NULL::text AS "schemeType", ${bbox('e')} AS bbox, false AS "hasType", false AS "hasFictif"
     FROM (SELECT ST_Extent(geom)::box2d AS e FROM atlas.commune) x
     UNION ALL
     SELECT layer, "schemeType", ${bbox('e')}, "hasType", "hasFictif"
     FROM (SELECT layer, CASE WHEN layer = 'scheme' THEN subtype END AS "schemeType", ST_Extent(geom)::box2d AS e,
             bool_or(subtype IS NOT NULL) AS "hasType", bool_or(fictif) AS "hasFictif"
           FROM atlas.perimeter GROUP BY 1, 2) y`,
  );
}
