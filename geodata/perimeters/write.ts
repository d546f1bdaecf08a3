// Writes one perimeter layer inside the caller's transaction: deletes the layer's
// previous rows (perimeters and memberships, examples included), upserts its
// atlas.layer row, inserts the planned perimeters, then memberships (from the list, or
// computed from the polygons by PostGIS) and derived geometry and statistics. Every
// value travels as a parameter (JSON arrays through jsonb_to_recordset); the layer id
// comes from layers.ts (fixed list or validated slug) and is passed as a parameter too.
import type { Queryable } from '../../server/db/db.ts';
import { searchKey } from '../../server/search/normalize.ts';
import { computePolygonMemberships, derivePerimeters } from '../write.ts';
import { PerimeterImportError } from './errors.ts';
import { LAYER_ID } from './layers.ts';
import type { Plan, PlannedMembership } from './plan.ts';

/** What the writer needs of a plan. */
export type WritePlan = Pick<Plan, 'kind' | 'perimeters' | 'memberships' | 'features'>;

export interface LayerRowMeta {
  id: string;
  name: string;
  kind: string;
  sort: number;
  vintage: string;
  source: string;
  licence: string;
  fictif: boolean;
}

export interface WriteResult {
  previous: { perimeters: number; fictif: number };
  invalid: { perimeter: string; feature: number; reason: string }[];
  /** Polygon perimeters dropped because they cover no commune. */
  empty: string[];
  memberships: PlannedMembership[];
  perimeters: number;
}

const BATCH = 500;
const GEOM = `CASE WHEN x.geometry IS NULL THEN NULL ELSE
  ST_Multi(ST_CollectionExtract(ST_UnaryUnion(ST_MakeValid(ST_SetSRID(ST_GeomFromGeoJSON(x.geometry::text), 4326))), 3)) END`;

const SQL = {
  previous: `SELECT count(*)::int AS perimeters, count(*) FILTER (WHERE fictif)::int AS fictif FROM atlas.perimeter WHERE layer = $1`,
  deleteMemberships: `DELETE FROM atlas.membership WHERE layer = $1`,
  deletePerimeters: `DELETE FROM atlas.perimeter WHERE layer = $1`,
  layer: `INSERT INTO atlas.layer (id, name, kind, vintage, source, licence, fictif, sort)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
    ON CONFLICT (id) DO UPDATE SET name = excluded.name, kind = excluded.kind, vintage = excluded.vintage,
      source = excluded.source, licence = excluded.licence, fictif = excluded.fictif, sort = excluded.sort`,
  invalid: `SELECT s.code, s.idx AS feature, (ST_IsValidDetail(s.g)).reason AS reason
    FROM (SELECT x.code, x.idx, ST_SetSRID(ST_GeomFromGeoJSON(x.geometry::text), 4326) AS g
          FROM jsonb_to_recordset($1::jsonb) AS x(code text, idx int, geometry jsonb)) s
    WHERE NOT (ST_IsValidDetail(s.g)).valid
    ORDER BY s.idx`,
  perimeter: `INSERT INTO atlas.perimeter (layer, code, name, subtype, attrs, fictif, geom, search_key)
    SELECT $1, x.code, x.name, NULL, coalesce(x.attrs, '{}'::jsonb), $2, ${GEOM}, x.search_key
    FROM jsonb_to_recordset($3::jsonb) AS x(code text, name text, attrs jsonb, geometry jsonb, search_key text)`,
  membership: `INSERT INTO atlas.membership (layer, code, commune, share)
    SELECT $1, x.code, x.commune, x.share FROM jsonb_to_recordset($2::jsonb) AS x(code text, commune text, share double precision)`,
  dropEmpty: `DELETE FROM atlas.perimeter p WHERE p.layer = $1
    AND NOT EXISTS (SELECT 1 FROM atlas.membership m WHERE m.layer = p.layer AND m.code = p.code)
    RETURNING p.code`,
  readMemberships: `SELECT code, commune, share FROM atlas.membership WHERE layer = $1 ORDER BY code, commune`,
  count: `SELECT count(*)::int AS n FROM atlas.perimeter WHERE layer = $1`,
};

async function batches<T>(rows: T[], fn: (json: string) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += BATCH) await fn(JSON.stringify(rows.slice(i, i + BATCH)));
}

/**
 * `derive: false` leaves geometry and statistics to the caller (one derivePerimeters
 * for several layers: its statistics pass covers every layer at once).
 */
export async function replaceLayer(
  tx: Queryable,
  layer: LayerRowMeta,
  plan: WritePlan,
  { derive = true }: { derive?: boolean } = {},
): Promise<WriteResult> {
  if (!LAYER_ID.test(layer.id)) throw new PerimeterImportError(`Identifiant de couche invalide : « ${layer.id} ».`);
  const [previous] = await tx.query<WriteResult['previous']>(SQL.previous, [layer.id]);
  await tx.query(SQL.deleteMemberships, [layer.id]);
  await tx.query(SQL.deletePerimeters, [layer.id]);
  await tx.query(SQL.layer, [layer.id, layer.name, layer.kind, layer.vintage, layer.source, layer.licence, layer.fictif, layer.sort]);
  // running servers forget this layer's tiles once the transaction commits
  await tx.query(`INSERT INTO public.data_change (layer) VALUES ($1)`, [layer.id]);

  const invalid: WriteResult['invalid'] = [];
  await batches(
    plan.features.map((f) => ({ code: f.code, idx: f.index, geometry: f.geometry })),
    async (json) => {
      const rows = await tx.query<{ code: string; feature: number; reason: string }>(SQL.invalid, [json]);
      invalid.push(...rows.map((r) => ({ perimeter: r.code, feature: r.feature, reason: r.reason })));
    },
  );

  await batches(
    plan.perimeters.map((p) => ({
      code: p.code,
      name: p.name,
      attrs: p.attrs,
      geometry: p.geometry ?? null,
      search_key: searchKey(p.name),
    })),
    (json) => tx.query(SQL.perimeter, [layer.id, layer.fictif, json]),
  );
  await batches(plan.memberships, (json) => tx.query(SQL.membership, [layer.id, json]));

  let empty: string[] = [];
  if (plan.kind === 'polygons') {
    await computePolygonMemberships(tx, 'atlas', [layer.id]);
    empty = (await tx.query<{ code: string }>(SQL.dropEmpty, [layer.id])).map((r) => r.code).sort();
  }
  const [{ n: perimeters } = { n: 0 }] = await tx.query<{ n: number }>(SQL.count, [layer.id]);
  if (perimeters === 0) {
    throw new PerimeterImportError(
      plan.kind === 'polygons'
        ? "Aucun polygone ne recouvre de commune de l'atlas : vérifiez la projection et l'emprise du fichier."
        : "Aucun périmètre n'a de commune reconnue.",
    );
  }
  if (derive) await derivePerimeters(tx, 'atlas', [layer.id]);
  const memberships = await tx.query<PlannedMembership>(SQL.readMemberships, [layer.id]);
  return { previous: previous ?? { perimeters: 0, fictif: 0 }, invalid, empty, memberships, perimeters };
}
