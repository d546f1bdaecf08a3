// Writes the units of one perimeter layer within one scope (scope.ts), inside the
// caller's transaction: the layer's units lying within the scope (examples included) are
// handed to `beforeDelete` (the version store snapshots them) and deleted, the planned
// units inserted, their memberships written (from the list, computed from the polygons by
// PostGIS, or copied from what the import staged before its transaction: stage.ts) and
// their geometry and statistics derived. Units outside the scope are never
// touched; a planned unit outside the scope, or reusing the code of a unit outside it,
// refuses the whole write. Every value travels as a parameter (JSON arrays through
// jsonb_to_recordset); the layer id comes from layers.ts (fixed list or validated slug).
import type { Queryable } from '../db/db.ts';
import { searchKey } from '../search-key.ts';
import { computePolygonMemberships, CONTOUR, derivePerimeters } from './derive.ts';
import { PerimeterImportError } from './errors.ts';
import type { Staged } from './stage.ts';
import { LAYER_ID } from './layers.ts';
import type { Plan, PlannedMembership } from './plan.ts';
import { withinScopeSql, type Scope } from './scope.ts';

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

export interface UnitRef {
  code: string;
  name: string;
  fictif?: boolean;
}

/** What the write changed within its scope. */
export interface UnitChanges {
  added: UnitRef[];
  replaced: UnitRef[];
  removed: UnitRef[];
}

export interface WriteResult {
  /** Units of the layer within the scope before the write (deleted by it). */
  previous: { perimeters: number; fictif: number };
  changes: UnitChanges;
  invalid: { perimeter: string; feature: number; reason: string }[];
  /** Polygon perimeters dropped because they cover no commune. */
  empty: string[];
  memberships: PlannedMembership[];
  perimeters: number;
}

const BATCH = 500;

const SQL = {
  inScope: `SELECT p.code, p.name, p.fictif FROM atlas.perimeter p WHERE p.layer = $1 AND ${withinScopeSql('2', '3')} ORDER BY p.code`,
  deleteMemberships: `DELETE FROM atlas.membership WHERE layer = $1 AND code = ANY($2::text[])`,
  deletePerimeters: `DELETE FROM atlas.perimeter WHERE layer = $1 AND code = ANY($2::text[])`,
  // A layer already described (by the reference import or an earlier import) keeps its
  // description; a new one, or one that held only examples, takes the import's.
  layer: `INSERT INTO atlas.layer (id, name, kind, vintage, source, licence, fictif, sort)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
    ON CONFLICT (id) DO UPDATE SET vintage = excluded.vintage, source = excluded.source, licence = excluded.licence
      WHERE atlas.layer.fictif AND NOT excluded.fictif`,
  // the layer is fictitious only when every unit left in it is
  layerFictif: `UPDATE atlas.layer SET fictif = NOT EXISTS (SELECT 1 FROM atlas.perimeter WHERE layer = $1 AND NOT fictif) WHERE id = $1`,
  taken: `SELECT p.code, p.name FROM atlas.perimeter p WHERE p.layer = $1 AND p.code = ANY($2::text[]) ORDER BY p.code`,
  outside: `SELECT p.code, p.name FROM atlas.perimeter p
    WHERE p.layer = $1 AND p.code = ANY($4::text[]) AND NOT ${withinScopeSql('2', '3')} ORDER BY p.code`,
  invalid: `SELECT s.code, s.idx AS feature, (ST_IsValidDetail(s.g)).reason AS reason
    FROM (SELECT x.code, x.idx, ST_SetSRID(ST_GeomFromGeoJSON(x.geometry::text), 4326) AS g
          FROM jsonb_to_recordset($1::jsonb) AS x(code text, idx int, geometry jsonb)) s
    WHERE NOT (ST_IsValidDetail(s.g)).valid
    ORDER BY s.idx`,
  perimeter: `INSERT INTO atlas.perimeter (layer, code, name, subtype, attrs, fictif, geom, search_key)
    SELECT $1, x.code, x.name, NULL, coalesce(x.attrs, '{}'::jsonb), $2, ${CONTOUR}, x.search_key
    FROM jsonb_to_recordset($3::jsonb) AS x(code text, name text, attrs jsonb, geometry jsonb, search_key text)`,
  stagedPerimeter: `INSERT INTO atlas.perimeter (layer, code, name, subtype, attrs, fictif, geom, search_key)
    SELECT $1, x.code, x.name, NULL, coalesce(x.attrs, '{}'::jsonb), $2, s.geom, x.search_key
    FROM jsonb_to_recordset($3::jsonb) AS x(code text, name text, attrs jsonb, search_key text)
    LEFT JOIN public.import_stage_perimeter s ON s.key = $4 AND s.code = x.code`,
  stagedMemberships: `INSERT INTO atlas.membership (layer, code, commune, share)
    SELECT $1, code, commune, share FROM public.import_stage_membership WHERE key = $2`,
  membership: `INSERT INTO atlas.membership (layer, code, commune, share)
    SELECT $1, x.code, x.commune, x.share FROM jsonb_to_recordset($2::jsonb) AS x(code text, commune text, share double precision)`,
  dropEmpty: `DELETE FROM atlas.perimeter p WHERE p.layer = $1 AND p.code = ANY($2::text[])
    AND NOT EXISTS (SELECT 1 FROM atlas.membership m WHERE m.layer = p.layer AND m.code = p.code)
    RETURNING p.code`,
  readMemberships: `SELECT code, commune, share FROM atlas.membership WHERE layer = $1 AND code = ANY($2::text[]) ORDER BY code, commune`,
  written: `SELECT code, name FROM atlas.perimeter WHERE layer = $1 AND code = ANY($2::text[]) ORDER BY code`,
};

async function batches<T>(rows: T[], fn: (json: string) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += BATCH) await fn(JSON.stringify(rows.slice(i, i + BATCH)));
}

export interface ScopedWriteOptions {
  /** false: geometry and statistics are left to the caller (one derivePerimeters for several layers). */
  derive?: boolean;
  /** Called with the codes of the units about to be replaced, before they are deleted. */
  beforeDelete?: (codes: string[]) => Promise<void>;
  /** The plan's contours and their communes, staged before the transaction (polygon plans). */
  staged?: Staged | undefined;
}

const names = (units: UnitRef[]) => units.map((u) => `${u.name} (${u.code})`).join(', ');
const scopeParams = (scope: Scope) => [scope.kind, scope.code ?? ''];

export async function replaceScope(
  tx: Queryable,
  layer: LayerRowMeta,
  plan: WritePlan,
  scope: Scope,
  { derive = true, beforeDelete, staged }: ScopedWriteOptions = {},
): Promise<WriteResult> {
  if (!LAYER_ID.test(layer.id)) throw new PerimeterImportError(`Identifiant de couche invalide : « ${layer.id} ».`);
  const before = await tx.query<UnitRef & { fictif: boolean }>(SQL.inScope, [layer.id, ...scopeParams(scope)]);
  const oldCodes = before.map((u) => u.code);
  if (beforeDelete) await beforeDelete(oldCodes);
  await tx.query(SQL.deleteMemberships, [layer.id, oldCodes]);
  await tx.query(SQL.deletePerimeters, [layer.id, oldCodes]);
  await tx.query(SQL.layer, [layer.id, layer.name, layer.kind, layer.vintage, layer.source, layer.licence, layer.fictif, layer.sort]);
  // running servers forget this layer's tiles once the transaction commits
  await tx.query(`INSERT INTO public.data_change (layer) VALUES ($1)`, [layer.id]);

  const planned = [...new Set(plan.perimeters.map((p) => p.code))];
  const taken = await tx.query<UnitRef>(SQL.taken, [layer.id, planned]);
  if (taken.length) {
    throw new PerimeterImportError(
      `Codes déjà pris par des périmètres hors de la zone d'import, qui ne seront pas remplacés : ${names(taken)}. Changez ces codes ou élargissez la zone.`,
    );
  }

  const invalid: WriteResult['invalid'] = staged ? [...staged.invalid] : [];
  if (!staged) {
    await batches(
      plan.features.map((f) => ({ code: f.code, idx: f.index, geometry: f.geometry })),
      async (json) => {
        const rows = await tx.query<{ code: string; feature: number; reason: string }>(SQL.invalid, [json]);
        invalid.push(...rows.map((r) => ({ perimeter: r.code, feature: r.feature, reason: r.reason })));
      },
    );
  }

  await batches(
    plan.perimeters.map((p) => ({
      code: p.code,
      name: p.name,
      attrs: p.attrs,
      ...(staged ? {} : { geometry: p.geometry ?? null }),
      search_key: searchKey(p.name),
    })),
    (json) =>
      staged
        ? tx.query(SQL.stagedPerimeter, [layer.id, layer.fictif, json, staged.key])
        : tx.query(SQL.perimeter, [layer.id, layer.fictif, json]),
  );
  await batches(plan.memberships, (json) => tx.query(SQL.membership, [layer.id, json]));

  let empty: string[] = [];
  if (plan.kind === 'polygons') {
    if (staged) await tx.query(SQL.stagedMemberships, [layer.id, staged.key]);
    else await computePolygonMemberships(tx, 'atlas', [layer.id], planned);
    empty = (await tx.query<{ code: string }>(SQL.dropEmpty, [layer.id, planned])).map((r) => r.code).sort();
  }
  const written = await tx.query<UnitRef>(SQL.written, [layer.id, planned]);
  if (written.length === 0) {
    throw new PerimeterImportError(
      plan.kind === 'polygons'
        ? "Aucun polygone ne recouvre de commune de l'atlas : vérifiez la projection et l'emprise du fichier."
        : "Aucun périmètre n'a de commune reconnue.",
    );
  }
  const outside = await tx.query<UnitRef>(SQL.outside, [layer.id, ...scopeParams(scope), planned]);
  if (outside.length) {
    throw new PerimeterImportError(
      `${outside.length} périmètre${outside.length > 1 ? 's' : ''} du fichier ${outside.length > 1 ? 'ont' : 'a'} moins de la moitié de ${outside.length > 1 ? 'leurs' : 'ses'} communes dans la zone d'import : ${names(outside)}. Choisissez la zone qui les contient.`,
    );
  }
  const codes = written.map((u) => u.code);
  if (derive) await derivePerimeters(tx, 'atlas', [layer.id], () => {}, { layer: layer.id, codes });
  await tx.query(SQL.layerFictif, [layer.id]);
  const memberships = await tx.query<PlannedMembership>(SQL.readMemberships, [layer.id, codes]);
  const oldByCode = new Map(before.map((u) => [u.code, u]));
  const newCodes = new Set(codes);
  return {
    previous: { perimeters: before.length, fictif: before.filter((u) => u.fictif).length },
    changes: {
      added: written.filter((u) => !oldByCode.has(u.code)),
      replaced: written.filter((u) => oldByCode.has(u.code)).map((u) => ({ ...u, fictif: oldByCode.get(u.code)!.fictif })),
      removed: before.filter((u) => !newCodes.has(u.code)),
    },
    invalid,
    empty,
    memberships,
    perimeters: written.length,
  };
}
