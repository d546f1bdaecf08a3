// Writes a dataset into fresh tables (schema atlas_next, shaped LIKE atlas) inside one
// transaction, derives geometry and statistics from the memberships, then swaps the
// schemas. Any failure rolls back the whole transaction: the previous data keeps serving.
import type { Queryable } from '../core/db/db.ts';
import { materializeSchemes, seedRegistryIfEmpty } from '../core/registry/materialize.ts';
import { computePolygonMemberships, derivePerimeters, deriveSql } from '../core/perimeters/derive.ts';
import { searchKey } from '../core/search-key.ts';
import type { Dataset } from '../core/model.ts';
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
