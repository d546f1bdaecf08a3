// Writes a dataset into fresh tables (schema atlas_next, shaped LIKE atlas) inside one
// transaction, derives geometry and statistics from the memberships, then swaps the
// schemas. Any failure rolls back the whole transaction: the previous data keeps serving.
import type { Queryable } from '../server/db/db.ts';
import { materializeSchemes, seedRegistryIfEmpty } from '../server/registry/materialize.ts';
import { searchKey } from '../server/search/normalize.ts';
import type { Dataset } from './model.ts';
import { OUTLINE_RULE } from './loaders/outlines.ts';
import { PARTLY_REFERENCE_LAYERS, type LayerMeta } from './sources.ts';

const TABLES = ['layer', 'commune', 'commune_alias', 'perimeter', 'membership'] as const;
const BATCH = 1000;

async function insertBatches<T>(tx: Queryable, sql: string, rows: T[], toJson: (r: T) => object) {
  for (let i = 0; i < rows.length; i += BATCH) {
    await tx.query(sql, [JSON.stringify(rows.slice(i, i + BATCH).map(toJson))]);
  }
}

// Contours are made valid on the way in (ST_MakeValid may yield a collection: keep polygons).
const GEOM = `CASE WHEN x.geometry IS NULL OR jsonb_typeof(x.geometry) <> 'object' THEN NULL
  ELSE ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_SetSRID(ST_GeomFromGeoJSON(x.geometry::text), 4326)), 3)) END`;

const SQL = {
  layer: `INSERT INTO atlas_next.layer (id, name, kind, vintage, source, licence, fictif, sort)
    SELECT id, name, kind, vintage, source, licence, coalesce(fictif, false), sort
    FROM jsonb_to_recordset($1::jsonb) AS x(id text, name text, kind text, vintage text, source text, licence text, fictif boolean, sort int)`,
  commune: `INSERT INTO atlas_next.commune (code, name, departement, region, arrondissement, epci, population, geom, search_key)
    SELECT x.code, x.name, x.departement, x.region, x.arrondissement, x.epci, x.population, ${GEOM}, x.search_key
    FROM jsonb_to_recordset($1::jsonb) AS x(code text, name text, departement text, region text, arrondissement text,
      epci text, population int, geometry jsonb, search_key text)`,
  alias: `INSERT INTO atlas_next.commune_alias (old_code, code, kind, name)
    SELECT old_code, code, kind, name FROM jsonb_to_recordset($1::jsonb) AS x(old_code text, code text, kind text, name text)
    ON CONFLICT DO NOTHING`,
  perimeter: `INSERT INTO atlas_next.perimeter (layer, code, name, subtype, attrs, fictif, population, geom, search_key)
    SELECT x.layer, x.code, x.name, x.subtype, coalesce(x.attrs, '{}'::jsonb), coalesce(x.fictif, false), x.population, ${GEOM}, x.search_key
    FROM jsonb_to_recordset($1::jsonb) AS x(layer text, code text, name text, subtype text, attrs jsonb, fictif boolean,
      population double precision, geometry jsonb, search_key text)`,
  // previous units of a partly-owned layer whose communes lie mostly outside the région
  // the reference fills, and whose code the reference does not reuse
  keepOutside: `INSERT INTO atlas_next.perimeter SELECT p.* FROM atlas.perimeter p
    WHERE p.layer = $1
      AND NOT EXISTS (SELECT 1 FROM atlas_next.perimeter n WHERE n.layer = p.layer AND n.code = p.code)
      AND (SELECT count(*) FILTER (WHERE c.region = $2) * 2 < count(*) OR count(*) = 0
           FROM atlas.membership m JOIN atlas.commune c ON c.code = m.commune
           WHERE m.layer = p.layer AND m.code = p.code)`,
  membership: `INSERT INTO atlas_next.membership (layer, code, commune, share)
    SELECT layer, code, commune, share FROM jsonb_to_recordset($1::jsonb) AS x(layer text, code text, commune text, share double precision)
    ON CONFLICT (layer, code, commune) DO UPDATE SET share = greatest(atlas_next.membership.share, excluded.share)`,
};

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

const deriveSql = (schema: AtlasSchema) => ({
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

export interface WriteOptions {
  layers: LayerMeta[];
  progress?: (step: string) => void;
}

export async function writeDataset(tx: Queryable, data: Dataset, { layers, progress = () => {} }: WriteOptions) {
  const owned = layers.map((l) => l.id);
  await tx.exec('DROP SCHEMA IF EXISTS atlas_next CASCADE; CREATE SCHEMA atlas_next;');
  for (const t of TABLES) await tx.exec(`CREATE TABLE atlas_next.${t} (LIKE atlas.${t} INCLUDING ALL)`);

  progress(`écriture de ${data.communes.length} communes`);
  await insertBatches(tx, SQL.layer, layers, (l) => ({ ...l, sort: l.sort ?? layers.indexOf(l) }));
  await insertBatches(tx, SQL.commune, data.communes, (c) => ({ ...c, search_key: searchKey(c.name) }));
  await tx.query(deriveSql('atlas_next').communeArea);
  await insertBatches(tx, SQL.alias, data.aliases, (a) => ({ old_code: a.oldCode, code: a.code, kind: a.kind, name: a.name }));

  progress(`écriture de ${data.perimeters.length} périmètres et ${data.memberships.length} appartenances`);
  // Schemes come from the registry (seeded from the reference CSV the first time).
  await seedRegistryIfEmpty(
    tx,
    data.schemes,
    data.memberships.filter((m) => m.layer === 'scheme'),
  );
  const perimeters = data.perimeters.filter((p) => p.layer !== 'scheme');
  const memberships = data.memberships.filter((m) => m.layer !== 'scheme');
  await insertBatches(tx, SQL.perimeter, perimeters, (p) => ({
    ...p,
    geometry: p.geometry ?? null,
    population: p.population ?? null,
    search_key: searchKey(p.name),
  }));
  await insertBatches(tx, SQL.membership, memberships, (m) => m);
  await materializeSchemes(tx, 'atlas_next', null);
  await computePolygonMemberships(tx, 'atlas_next', ['qpv']);
  progress('communes des PNR et PETR connus par un contour');
  const outlined = ['pnr', 'petr'];
  await tx.query(deriveSql('atlas_next').outlineMemberships, [outlined, OUTLINE_RULE.minCommuneShare]);
  await tx.query(deriveSql('atlas_next').dropOutlines, [outlined]);

  // Layers other imports own (CPTS, sectors…) survive a reference re-import.
  await tx.query(`INSERT INTO atlas_next.layer SELECT * FROM atlas.layer WHERE id <> ALL($1::text[])`, [owned]);
  await tx.query(`INSERT INTO atlas_next.perimeter SELECT * FROM atlas.perimeter WHERE layer <> ALL($1::text[])`, [owned]);
  await tx.query(
    `INSERT INTO atlas_next.membership SELECT m.* FROM atlas.membership m
    JOIN atlas_next.commune c ON c.code = m.commune WHERE m.layer <> ALL($1::text[])`,
    [owned],
  );

  // Layers the reference fills in one région only: the units of other régions survive.
  for (const [layer, { region }] of Object.entries(PARTLY_REFERENCE_LAYERS)) {
    await tx.query(SQL.keepOutside, [layer, region]);
    await tx.query(
      `INSERT INTO atlas_next.membership SELECT m.* FROM atlas.membership m
      JOIN atlas_next.perimeter p ON p.layer = m.layer AND p.code = m.code
      JOIN atlas_next.commune c ON c.code = m.commune
      WHERE m.layer = $1 AND NOT EXISTS (SELECT 1 FROM atlas_next.membership n WHERE n.layer = $1 AND n.code = m.code)`,
      [layer],
    );
  }

  await derivePerimeters(tx, 'atlas_next', ['departement', 'arrondissement', 'region', 'petr', 'pnr', 'cpts'], progress);

  // running servers forget every tile and cached analysis once the transaction commits
  await tx.exec(`INSERT INTO public.data_change (layer) VALUES (NULL)`);
  await tx.exec(`ALTER SCHEMA atlas RENAME TO atlas_previous;
    ALTER SCHEMA atlas_next RENAME TO atlas;
    DROP SCHEMA atlas_previous CASCADE;`);
  // fresh tables have no statistics: let the planner see their real sizes
  for (const t of TABLES) await tx.exec(`ANALYZE atlas.${t}`);
}
