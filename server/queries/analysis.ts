// SQL feeding the pure analysis functions of server/analysis/: member shares of
// perimeters, commune facts, overlaps of other layers, zone coverage, scheme geography.
import type { UnitOverlap } from '../analysis/entanglement.ts';
import type { LoadCommune } from '../analysis/load.ts';
import type { Queryable } from '../../core/db/db.ts';

export interface ShareRow {
  commune: string;
  share: number | null;
}

export async function perimeterShares(db: Queryable, layer: string, code: string): Promise<ShareRow[]> {
  if (layer === 'commune') return [{ commune: code, share: 1 }];
  return db.query<ShareRow>(`SELECT commune, share FROM atlas.membership WHERE layer = $1 AND code = $2`, [layer, code]);
}

export interface FactRow {
  code: string;
  name: string;
  population: number;
  areaKm2: number;
}

export async function communeFacts(db: Queryable, codes: string[]): Promise<FactRow[]> {
  return db.query<FactRow>(
    `SELECT code, name, population, coalesce(area_km2, 0) AS "areaKm2" FROM atlas.commune WHERE code = ANY($1::text[])`,
    [codes],
  );
}

export type OverlapRow = UnitOverlap;

/**
 * Every unit of the other layers meeting a territory: the part of the territory's
 * population in it, and the part of its own population inside the territory.
 */
export async function overlapsWith(db: Queryable, layer: string, code: string): Promise<OverlapRow[]> {
  // a NULL share (a part of unknown size, e.g. a QPV without contour) on either side makes
  // the overlap unknown: never counted as the whole commune
  return db.query<OverlapRow>(
    `WITH t AS (
       SELECT c.code AS commune, CASE WHEN $1 = 'commune' THEN 1 ELSE m.share END AS s,
              greatest(c.population, 0)::float8 AS pop
       FROM atlas.commune c
       LEFT JOIN atlas.membership m ON m.commune = c.code AND m.layer = $1 AND m.code = $2
       WHERE ($1 = 'commune' AND c.code = $2) OR m.commune IS NOT NULL
     ),
     total AS (SELECT nullif(sum(pop * s), 0) AS pop, count(*) AS n, bool_or(s IS NULL) AS unknown FROM t),
     o AS (
       SELECT m.layer, m.code, sum(t.pop * least(t.s, m.share)) AS pop, count(*) AS n,
              bool_or(t.s IS NULL OR m.share IS NULL) AS unknown
       FROM t JOIN atlas.membership m ON m.commune = t.commune
       WHERE NOT (m.layer = $1 AND m.code = $2)
       GROUP BY m.layer, m.code
     )
     SELECT p.layer, p.code, p.name, p.subtype AS type, p.fictif,
       CASE WHEN o.unknown OR total.unknown THEN NULL
            ELSE least(1, coalesce(o.pop / total.pop, o.n::float8 / total.n)) END AS "shareOfTerritory",
       CASE WHEN o.unknown THEN NULL
            WHEN p.population > 0 THEN least(1, o.pop / p.population)
            WHEN p.commune_count > 0 THEN least(1, o.n::float8 / p.commune_count) END AS "insideShare"
     FROM o CROSS JOIN total
     JOIN atlas.perimeter p ON p.layer = o.layer AND p.code = o.code
     JOIN atlas.layer l ON l.id = p.layer
     ORDER BY l.sort, p.layer, 6 DESC NULLS LAST, p.code`,
    [layer, code],
  );
}

export interface ZoneRow {
  code: string;
  name: string;
  population: number;
  areaKm2: number;
  covered: number | null;
  departement: string;
  departementName: string | null;
  epci: string | null;
  epciName: string | null;
  geometry?: string;
}

/**
 * Communes of a zone (a perimeter, or all of France when zoneLayer is null), each
 * with the largest share of it inside a perimeter of the layer (scheme type optional).
 */
export async function zoneCoverage(
  db: Queryable,
  layer: string,
  schemeType: string | null,
  zoneLayer: string | null,
  zoneCode: string | null,
  withGeometry: boolean,
): Promise<ZoneRow[]> {
  return db.query<ZoneRow>(
    `WITH zone AS (
       SELECT c.code, c.name, c.population, round(coalesce(c.area_km2, 0)::numeric, 2)::float8 AS area, c.geom,
              c.departement, c.epci
       FROM atlas.commune c
       WHERE $3::text IS NULL
          OR ($3 = 'commune' AND c.code = $4)
          OR c.code IN (SELECT commune FROM atlas.membership WHERE layer = $3 AND code = $4)
     ),
     cover AS (
       SELECT m.commune, max(coalesce(m.share, 1)) AS share
       FROM atlas.membership m
       JOIN atlas.perimeter p ON p.layer = m.layer AND p.code = m.code
       WHERE m.layer = $1 AND ($2::text IS NULL OR p.subtype = $2)
       GROUP BY m.commune
     )
     SELECT z.code, z.name, z.population, z.area AS "areaKm2", cover.share AS covered,
            z.departement, d.name AS "departementName", z.epci, e.name AS "epciName"
       ${withGeometry ? ', ST_AsGeoJSON(z.geom, 5) AS geometry' : ''}
     FROM zone z LEFT JOIN cover ON cover.commune = z.code
     LEFT JOIN atlas.perimeter d ON d.layer = 'departement' AND d.code = z.departement
     LEFT JOIN atlas.perimeter e ON e.layer = 'epci' AND e.code = z.epci`,
    [layer, schemeType, zoneLayer, zoneCode],
  );
}

export type ReferenceRow = Omit<ZoneRow, 'covered' | 'geometry'>;

/**
 * Every commune with its département and EPCI names: the national zone of every gap
 * answer, whatever the layer (zoneCoverage's columns, without the coverage).
 */
export async function communeReference(db: Queryable): Promise<ReferenceRow[]> {
  return db.query<ReferenceRow>(
    `SELECT c.code, c.name, c.population, round(coalesce(c.area_km2, 0)::numeric, 2)::float8 AS "areaKm2",
            c.departement, d.name AS "departementName", c.epci, e.name AS "epciName"
     FROM atlas.commune c
     LEFT JOIN atlas.perimeter d ON d.layer = 'departement' AND d.code = c.departement
     LEFT JOIN atlas.perimeter e ON e.layer = 'epci' AND e.code = c.epci
     ORDER BY c.code`,
  );
}

/** The largest share of each commune inside a perimeter of the layer (scheme type optional), as in zoneCoverage. */
export async function layerCover(db: Queryable, layer: string, schemeType: string | null): Promise<{ commune: string; share: number }[]> {
  return db.query(
    `SELECT m.commune, max(coalesce(m.share, 1)) AS share
     FROM atlas.membership m
     JOIN atlas.perimeter p ON p.layer = m.layer AND p.code = m.code
     WHERE m.layer = $1 AND ($2::text IS NULL OR p.subtype = $2)
     GROUP BY m.commune`,
    [layer, schemeType],
  );
}

/** Names and vintages of layers, for the first lines of an analysis CSV. */
export async function layerVintages(db: Queryable, layers: string[]): Promise<{ name: string; vintage: string }[]> {
  return db.query(`SELECT name, vintage FROM atlas.layer WHERE id = ANY($1::text[]) ORDER BY sort, id`, [layers]);
}

export interface QpvGapRow {
  code: string;
  name: string;
  generation: string | null;
  communes: string[];
  /** Names of `communes`, in the same order. */
  communeNames: string[];
  population: number | null;
}

/** QPV of a zone lying in no commune covered by an ASV or a CLS. */
export async function qpvWithoutScheme(
  db: Queryable,
  zoneLayer: string | null,
  zoneCode: string | null,
): Promise<{ total: number; uncovered: QpvGapRow[] }> {
  const rows = await db.query<QpvGapRow & { covered: boolean }>(
    `WITH q AS (
       SELECT p.code, p.name, p.subtype AS generation, round(p.population)::float8 AS population,
              array_agg(m.commune ORDER BY m.commune) AS communes,
              array_agg(coalesce(c.name, m.commune) ORDER BY m.commune) AS "communeNames",
              bool_or(EXISTS (
                SELECT 1 FROM atlas.membership s JOIN atlas.perimeter sp ON sp.layer = s.layer AND sp.code = s.code
                WHERE s.layer = 'scheme' AND sp.subtype IN ('ASV', 'CLS') AND s.commune = m.commune
                  AND coalesce(s.share, 1) >= 1)) AS covered
       FROM atlas.perimeter p JOIN atlas.membership m ON m.layer = p.layer AND m.code = p.code
       LEFT JOIN atlas.commune c ON c.code = m.commune
       WHERE p.layer = 'qpv'
         AND ($1::text IS NULL OR ($1 = 'commune' AND m.commune = $2)
              OR m.commune IN (SELECT commune FROM atlas.membership WHERE layer = $1 AND code = $2))
       GROUP BY p.code, p.name, p.subtype, p.population
     )
     SELECT * FROM q ORDER BY code`,
    [zoneLayer, zoneCode],
  );
  return { total: rows.length, uncovered: rows.filter((r) => !r.covered).map(({ covered: _c, ...r }) => r) };
}

export type LoadInputRow = LoadCommune;

export async function schemeGeography(db: Queryable, code: string): Promise<LoadInputRow[]> {
  return db.query<LoadInputRow>(
    `SELECT c.code, c.name, c.population, round(coalesce(c.area_km2, 0)::numeric, 2)::float8 AS "areaKm2",
       coalesce(m.share, 1) AS share,
       ST_X(ST_PointOnSurface(c.geom)) AS lon, ST_Y(ST_PointOnSurface(c.geom)) AS lat
     FROM atlas.membership m JOIN atlas.commune c ON c.code = m.commune
     WHERE m.layer = 'scheme' AND m.code = $1 AND c.geom IS NOT NULL`,
    [code],
  );
}
