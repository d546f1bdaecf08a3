// Derivation of perimeters from their memberships, shared by the reference import
// (geodata/write.ts), perimeter uploads (staging) and registry edits (scheme
// materialisation): contoured perimeters' communes and shares, union geometry of member
// communes, and statistics (communes, population and area counted by share).
import type { Queryable } from '../db/db.ts';

/** An uploaded contour (column x.geometry: GeoJSON as jsonb or as text) made valid, as a MultiPolygon in EPSG:4326. */
export const CONTOUR = `CASE WHEN x.geometry IS NULL THEN NULL ELSE
  ST_Multi(ST_CollectionExtract(ST_UnaryUnion(ST_MakeValid(ST_SetSRID(ST_GeomFromGeoJSON(x.geometry::text), 4326))), 3)) END`;

/** Schemas the derivation SQL may run in (a constant, never user input). */
export type AtlasSchema = 'atlas' | 'atlas_next';

/**
 * The communes contoured perimeters lie in and the part of each they cover (rows of layer,
 * code, commune, share). `perimeters` and `communes` are FROM items (tables or subqueries)
 * read as p (layer, code, geom) and c (code, geom); `where` filters their pairs. Also used
 * by an import's staging (perimeters/stage.ts), one département of communes at a time.
 */
export const polygonShareSelect = (perimeters: string, communes: string, where: string) =>
  `SELECT layer, code, commune, CASE WHEN share >= 0.95 THEN 1 ELSE share END AS share
    FROM (SELECT p.layer, p.code, c.code AS commune, p.geom AS pg, c.geom AS cg, i.geom AS ig,
            least(1, ST_Area(i.geom::geography) / nullif(ST_Area(c.geom::geography), 0)) AS share
          FROM ${perimeters} p
          JOIN ${communes} c ON ST_Intersects(p.geom, c.geom)
          CROSS JOIN LATERAL (SELECT ST_Intersection(p.geom, c.geom) AS geom) i
          WHERE ${where}) o
    WHERE ST_Area(ig) >= 0.05 * ST_Area(pg) OR ST_Area(ig) >= 0.10 * ST_Area(cg)`;

export const deriveSql = (schema: AtlasSchema) => ({
  communeArea: `UPDATE ${schema}.commune SET area_km2 = ST_Area(geom::geography) / 1e6 WHERE geom IS NOT NULL`,
  // Contoured perimeters (QPV 2015 polygons, sectors drawn as polygons): the communes
  // each lies in and the part of each commune it covers. A commune belongs when the
  // overlap is 5 % of the perimeter or 10 % of the commune (smaller overlaps are slivers
  // between generalised contours); 95 % covered or more counts as the whole commune.
  polygonMemberships: `INSERT INTO ${schema}.membership (layer, code, commune, share)
    ${polygonShareSelect(`${schema}.perimeter`, `${schema}.commune`, 'p.layer = ANY($1::text[]) AND p.geom IS NOT NULL AND ($2::text[] IS NULL OR p.code = ANY($2::text[]))')}
    ON CONFLICT (layer, code, commune) DO UPDATE SET share = excluded.share`,
  unionGeometry: `UPDATE ${schema}.perimeter p SET geom = u.geom
    FROM (SELECT m.code, ST_Multi(ST_CollectionExtract(ST_Union(c.geom), 3)) AS geom
          FROM ${schema}.membership m JOIN ${schema}.commune c ON c.code = m.commune
          WHERE m.layer = $1 AND ($2::text[] IS NULL OR m.code = ANY($2::text[])) GROUP BY m.code) u
    WHERE p.layer = $1 AND p.code = u.code AND p.geom IS NULL`,
  // Statistics: population and area counted by share; unknown when a share is unknown
  // (then the perimeter's own figures, if any, stand).
  stats: `UPDATE ${schema}.perimeter p SET
      commune_count = s.n,
      population = coalesce(p.population, s.population),
      area_km2 = coalesce(s.area, ST_Area(p.geom::geography) / 1e6)
    FROM (SELECT m.layer, m.code, count(*)::int AS n,
            CASE WHEN bool_and(m.share IS NOT NULL) THEN sum(c.population * m.share) END AS population,
            CASE WHEN bool_and(m.share IS NOT NULL) THEN sum(c.area_km2 * m.share) END AS area
          FROM ${schema}.membership m
          JOIN ${schema}.commune c ON c.code = m.commune
          WHERE $1::text IS NULL OR (m.layer = $1 AND m.code = ANY($2::text[]))
          GROUP BY m.layer, m.code) s
    WHERE p.layer = s.layer AND p.code = s.code`,
  // Perimeters known by an outline only (national PNR and PETR, see loaders/outlines.ts):
  // whole member communes when at least $2 of the commune's area lies inside; then the
  // outline gives way to the union of those communes.
  outlineMemberships: `INSERT INTO ${schema}.membership (layer, code, commune, share)
    SELECT p.layer, p.code, c.code, 1
    FROM ${schema}.perimeter p
    JOIN ${schema}.commune c ON ST_Intersects(p.geom, c.geom)
    WHERE p.layer = ANY($1::text[]) AND p.geom IS NOT NULL AND p.attrs->>'approximation' IS NOT NULL
      AND (ST_CoveredBy(c.geom, p.geom)
        OR ST_Area(ST_Intersection(p.geom, c.geom)::geography) >= $2 * ST_Area(c.geom::geography))
    ON CONFLICT (layer, code, commune) DO NOTHING`,
  dropOutlines: `UPDATE ${schema}.perimeter SET geom = NULL
    WHERE layer = ANY($1::text[]) AND attrs->>'approximation' IS NOT NULL`,
  areaOnly: `UPDATE ${schema}.perimeter SET area_km2 = ST_Area(geom::geography) / 1e6
    WHERE area_km2 IS NULL AND geom IS NOT NULL AND ($1::text IS NULL OR (layer = $1 AND code = ANY($2::text[])))`,
});

/**
 * Membership of contoured perimeters (QPV polygons, sectors drawn as polygons): the
 * communes each lies in and the part of each commune it covers.
 */
export async function computePolygonMemberships(tx: Queryable, schema: AtlasSchema, layers: string[], codes: string[] | null = null) {
  await tx.query(deriveSql(schema).polygonMemberships, [layers, codes]);
}

/**
 * Geometry (union of member communes) for perimeters without their own, then
 * commune count, population and area, from the memberships. With `only`, just those
 * perimeters of one layer are derived (after a registry edit); else every perimeter.
 */
export async function derivePerimeters(
  tx: Queryable,
  schema: AtlasSchema,
  layers: string[],
  progress: (s: string) => void = () => {},
  only?: { layer: string; codes: string[] },
) {
  const sql = deriveSql(schema);
  for (const layer of layers) {
    progress(`contours dérivés : ${layer}`);
    await tx.query(sql.unionGeometry, [layer, only && only.layer === layer ? only.codes : null]);
  }
  progress('statistiques des périmètres');
  const scope = only ? [only.layer, only.codes] : [null, null];
  await tx.query(sql.stats, scope);
  await tx.query(sql.areaOnly, scope);
}
