// SQL for territory sheets and member lists. A territory is a commune or a perimeter
// (any layer of atlas.perimeter). Overlaps are measured on the commune memberships,
// weighted by population: share = part of this territory's population lying in the
// other perimeter; shareOfOther = part of the other perimeter's population lying here.
import type { Queryable } from '../../core/db/db.ts';

export interface TerritoryRow {
  layer: string;
  code: string;
  name: string;
  type: string | null;
  population: number | null;
  areaKm2: number | null;
  communeCount: number;
  bbox: [number, number, number, number] | null;
  fictif: boolean;
  attrs: Record<string, unknown>;
}

export interface MembershipOut {
  layer: string;
  code: string;
  name: string;
  type: string | null;
  share: number | null;
  shareOfOther: number | null;
  fictif: boolean;
}

export interface MemberCommune {
  code: string;
  name: string;
  population: number;
  share: number | null;
  departement: string;
  geometry?: string | null;
}

const BBOX = `CASE WHEN geom IS NULL THEN NULL ELSE json_build_array(
  round(ST_XMin(geom)::numeric, 5)::float8, round(ST_YMin(geom)::numeric, 5)::float8,
  round(ST_XMax(geom)::numeric, 5)::float8, round(ST_YMax(geom)::numeric, 5)::float8) END`;

export async function findCommune(db: Queryable, code: string): Promise<TerritoryRow | null> {
  const [row] = await db.query<TerritoryRow>(
    `SELECT 'commune' AS layer, code, name, NULL::text AS type, population::float8 AS population,
       area_km2 AS "areaKm2", 1 AS "communeCount", ${BBOX} AS bbox, false AS fictif,
       json_build_object('departement', departement, 'region', region, 'arrondissement', arrondissement, 'epci', epci,
         'formerCodes', (SELECT coalesce(json_agg(json_build_object('code', a.old_code, 'name', a.name, 'kind', a.kind)
            ORDER BY a.old_code), '[]'::json) FROM atlas.commune_alias a WHERE a.code = c.code AND a.kind <> 'fusion')) AS attrs
     FROM atlas.commune c WHERE code = $1`,
    [code],
  );
  return row ?? null;
}

/** Current commune code for a former one (merger, commune déléguée, arrondissement municipal). */
export async function currentCommuneCode(db: Queryable, oldCode: string): Promise<string | null> {
  const [row] = await db.query<{ code: string }>(`SELECT code FROM atlas.commune_alias WHERE old_code = $1 ORDER BY code LIMIT 1`, [
    oldCode,
  ]);
  return row?.code ?? null;
}

export async function findPerimeter(db: Queryable, layer: string, code: string, type: string | null): Promise<TerritoryRow | null> {
  const [row] = await db.query<TerritoryRow>(
    `SELECT layer, code, name, subtype AS type, population, area_km2 AS "areaKm2", commune_count AS "communeCount",
       ${BBOX} AS bbox, fictif, attrs
     FROM atlas.perimeter WHERE layer = $1 AND code = $2 AND ($3::text IS NULL OR subtype = $3)`,
    [layer, code, type],
  );
  return row ?? null;
}

export async function schemeDetails(db: Queryable, code: string): Promise<Record<string, unknown> | null> {
  const [row] = await db.query(
    `SELECT type, bearer_type AS "bearerType", bearer_name AS "bearerName", perimeter_ref AS "perimeterRef",
       signature_date AS "startDate", generation, coordination_fte AS "coordinationFte", status,
       end_date AS "endDate", themes, signatories, region, source, source_kind AS "sourceKind",
       to_char(source_date, 'YYYY-MM-DD') AS "sourceDate", remark, version
     FROM registry.scheme WHERE code = $1`,
    [code],
  );
  return row ?? null;
}

/** Perimeters a single commune belongs to, with the share of the commune inside each. */
export async function communeMemberships(db: Queryable, code: string): Promise<MembershipOut[]> {
  return db.query<MembershipOut>(
    `SELECT p.layer, p.code, p.name, p.subtype AS type, m.share,
       CASE WHEN m.share IS NULL OR p.population IS NULL OR p.population = 0 THEN NULL
            ELSE least(1, c.population * m.share / p.population) END AS "shareOfOther",
       p.fictif
     FROM atlas.membership m
     JOIN atlas.perimeter p ON p.layer = m.layer AND p.code = m.code
     JOIN atlas.commune c ON c.code = m.commune
     JOIN atlas.layer l ON l.id = p.layer
     WHERE m.commune = $1
     ORDER BY l.sort, p.layer, m.share DESC NULLS LAST, p.name`,
    [code],
  );
}

/**
 * Perimeters overlapping a perimeter. Parts of unknown size (NULL share), or two partial
 * parts of the same commune, make the overlap unknown (NULL) rather than wrong. A sub-communal territory (QPV) is measured
 * against the communes it lies in, and those communes are listed too.
 */
export async function perimeterMemberships(db: Queryable, layer: string, code: string): Promise<MembershipOut[]> {
  return db.query<MembershipOut>(
    `WITH t AS (
       SELECT m.commune, m.share AS raw, coalesce(m.share, 1) AS s, c.population::float8 AS pop
       FROM atlas.membership m JOIN atlas.commune c ON c.code = m.commune
       WHERE m.layer = $1 AND m.code = $2
     ),
     total AS (SELECT sum(pop * s) AS pop, count(*) AS n FROM t),
     overlap AS (
       SELECT o.layer, o.code,
         -- two parts of one commune overlap in a known way only when one is the whole commune
         CASE WHEN bool_and(o.share IS NOT NULL AND (o.share >= 1 OR coalesce(t.raw, 0) >= 1))
              THEN sum(t.pop * least(t.s, o.share)) END AS pop,
         count(*) AS n
       FROM t JOIN atlas.membership o ON o.commune = t.commune
       WHERE NOT (o.layer = $1 AND o.code = $2)
       GROUP BY o.layer, o.code
     )
     SELECT p.layer, p.code, p.name, p.subtype AS type,
       CASE WHEN ov.pop IS NULL THEN NULL
            WHEN total.pop > 0 THEN least(1, ov.pop / total.pop)
            ELSE ov.n::float8 / total.n END AS share,
       CASE WHEN ov.pop IS NULL OR p.population IS NULL OR p.population = 0 THEN NULL
            ELSE least(1, ov.pop / p.population) END AS "shareOfOther",
       p.fictif, l.sort
     FROM overlap ov CROSS JOIN total
     JOIN atlas.perimeter p ON p.layer = ov.layer AND p.code = ov.code
     JOIN atlas.layer l ON l.id = p.layer
     UNION ALL
     SELECT 'commune', c.code, c.name, NULL, CASE WHEN total.n = 1 THEN 1 END, m.share, false,
       (SELECT sort FROM atlas.layer WHERE id = 'commune')
     FROM atlas.membership m JOIN atlas.commune c ON c.code = m.commune CROSS JOIN total
     WHERE $1 = 'qpv' AND m.layer = $1 AND m.code = $2
     ORDER BY sort, layer, share DESC NULLS LAST, name`,
    [layer, code],
  );
}

export async function memberCommunes(db: Queryable, layer: string, code: string, withGeometry: boolean): Promise<MemberCommune[]> {
  if (layer === 'commune') {
    return db.query<MemberCommune>(
      `SELECT code, name, population, 1::float8 AS share, departement
         ${withGeometry ? ', ST_AsGeoJSON(geom, 5) AS geometry' : ''}
       FROM atlas.commune WHERE code = $1`,
      [code],
    );
  }
  return db.query<MemberCommune>(
    `SELECT c.code, c.name, c.population, m.share, c.departement
       ${withGeometry ? ', ST_AsGeoJSON(c.geom, 5) AS geometry' : ''}
     FROM atlas.membership m JOIN atlas.commune c ON c.code = m.commune
     WHERE m.layer = $1 AND m.code = $2
     ORDER BY c.population DESC, c.code`,
    [layer, code],
  );
}

/** The commune containing a point (WGS84), if any. */
export async function communeAt(db: Queryable, lon: number, lat: number): Promise<{ code: string; name: string } | null> {
  const [row] = await db.query<{ code: string; name: string }>(
    `SELECT code, name FROM atlas.commune
     WHERE ST_Intersects(geom, ST_SetSRID(ST_MakePoint($1, $2), 4326)) ORDER BY code LIMIT 1`,
    [lon, lat],
  );
  return row ?? null;
}
