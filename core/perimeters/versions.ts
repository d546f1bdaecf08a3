// The version store of perimeter imports (migration 007): each import records who
// brought which file into which layer and scope, what changed, and a column-for-column
// copy of the units it replaced; undoing puts those rows back exactly (byte-identical
// API answers) and removes the units the import wrote. An import can be undone while no
// later, not-undone import of the layer touched the same units.
import type { Db, Queryable } from '../db/db.ts';
import { PerimeterImportError } from './errors.ts';
import type { ScopeInfo } from './scope.ts';
import type { UnitChanges } from './write.ts';

export interface VersionAuthor {
  id: number | null;
  name: string;
}

export interface VersionChanges extends UnitChanges {
  rekeyed: number;
  unknown: number;
  perimeters: number;
  memberships: number;
}

export interface PerimeterVersion {
  id: number;
  layer: string;
  scope: { kind: ScopeInfo['kind']; code: string | null; label: string };
  region: string | null;
  file: string;
  author: string;
  createdAt: string;
  changes: VersionChanges;
  undoneAt: string | null;
  undoneBy: string | null;
}

const SQL = {
  open: `INSERT INTO public.perimeter_version (layer, scope_kind, scope_code, scope_label, region, file, user_id, user_name, changes, codes, layer_before)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, '{}'::jsonb, '{}'::text[], (SELECT to_jsonb(l) FROM atlas.layer l WHERE l.id = $1))
    RETURNING id`,
  snapshotUnits: `INSERT INTO public.perimeter_version_unit
      (version_id, code, name, subtype, attrs, fictif, population, area_km2, commune_count, geom, search_key)
    SELECT $1, code, name, subtype, attrs, fictif, population, area_km2, commune_count, geom, search_key
    FROM atlas.perimeter WHERE layer = $2 AND code = ANY($3::text[])`,
  snapshotMembers: `INSERT INTO public.perimeter_version_member (version_id, code, commune, share)
    SELECT $1, code, commune, share FROM atlas.membership WHERE layer = $2 AND code = ANY($3::text[])`,
  close: `UPDATE public.perimeter_version SET changes = $2::jsonb, codes = $3::text[] WHERE id = $1`,
  list: `SELECT id, layer, scope_kind AS kind, scope_code AS code, scope_label AS label, region, file, user_name AS author,
      to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "createdAt", changes,
      to_char(undone_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "undoneAt", undone_by AS "undoneBy"
    FROM public.perimeter_version WHERE ($1::text IS NULL OR layer = $1) AND ($2::int IS NULL OR id = $2)
    ORDER BY id DESC LIMIT 200`,
  forUndo: `SELECT v.id, v.layer, v.codes, v.layer_before, v.undone_at,
      array(SELECT code FROM public.perimeter_version_unit u WHERE u.version_id = v.id ORDER BY code) AS restored
    FROM public.perimeter_version v WHERE v.id = $1 FOR UPDATE`,
  // later imports of the layer, not undone, that wrote or replaced one of these units
  blocking: `SELECT v.id, v.file, v.scope_label AS label FROM public.perimeter_version v
    WHERE v.layer = $1 AND v.id > $2 AND v.undone_at IS NULL
      AND (v.codes && $3::text[] OR EXISTS (SELECT 1 FROM public.perimeter_version_unit u WHERE u.version_id = v.id AND u.code = ANY($3::text[])))
    ORDER BY v.id`,
  deleteMembers: `DELETE FROM atlas.membership WHERE layer = $1 AND code = ANY($2::text[])`,
  deleteUnits: `DELETE FROM atlas.perimeter WHERE layer = $1 AND code = ANY($2::text[])`,
  restoreUnits: `INSERT INTO atlas.perimeter (layer, code, name, subtype, attrs, fictif, population, area_km2, commune_count, geom, search_key)
    SELECT $2, code, name, subtype, attrs, fictif, population, area_km2, commune_count, geom, search_key
    FROM public.perimeter_version_unit WHERE version_id = $1 ORDER BY code`,
  restoreMembers: `INSERT INTO atlas.membership (layer, code, commune, share)
    SELECT $2, code, commune, share FROM public.perimeter_version_member WHERE version_id = $1 ORDER BY code, commune`,
  restoreLayer: `INSERT INTO atlas.layer (id, name, kind, vintage, source, licence, fictif, sort)
    SELECT id, name, kind, vintage, source, licence, fictif, sort FROM jsonb_populate_record(NULL::atlas.layer, $1::jsonb)
    ON CONFLICT (id) DO UPDATE SET name = excluded.name, kind = excluded.kind, vintage = excluded.vintage,
      source = excluded.source, licence = excluded.licence, fictif = excluded.fictif, sort = excluded.sort`,
  dropLayer: `DELETE FROM atlas.layer l WHERE l.id = $1 AND NOT EXISTS (SELECT 1 FROM atlas.perimeter p WHERE p.layer = l.id)`,
  markUndone: `UPDATE public.perimeter_version SET undone_at = now(), undone_by = $2 WHERE id = $1`,
};

/** Starts the version of an import (inside its transaction): records the layer row as it is. */
export async function openVersion(tx: Queryable, layer: string, scope: ScopeInfo, file: string, author: VersionAuthor): Promise<number> {
  const [row] = await tx.query<{ id: number }>(SQL.open, [
    layer,
    scope.kind,
    scope.code,
    scope.label,
    scope.region,
    file,
    author.id,
    author.name,
  ]);
  return row!.id;
}

/** Copies the units about to be replaced, and their memberships, into the version. */
export async function snapshotUnits(tx: Queryable, version: number, layer: string, codes: string[]) {
  await tx.query(SQL.snapshotUnits, [version, layer, codes]);
  await tx.query(SQL.snapshotMembers, [version, layer, codes]);
}

export async function closeVersion(tx: Queryable, version: number, changes: VersionChanges, codes: string[]) {
  await tx.query(SQL.close, [version, JSON.stringify(changes), codes]);
}

type ListRow = Omit<PerimeterVersion, 'scope'> & { kind: ScopeInfo['kind']; code: string | null; label: string };

export async function listVersions(db: Queryable, filter: { layer?: string; id?: number }): Promise<PerimeterVersion[]> {
  const rows = await db.query<ListRow>(SQL.list, [filter.layer ?? null, filter.id ?? null]);
  return rows.map(({ kind, code, label, ...v }) => ({ ...v, scope: { kind, code, label } }));
}

/** Restores the scope as it was before import `id`, in one transaction. */
export async function undoVersion(db: Db, id: number, by: string): Promise<{ removed: number; restored: number; layer: string }> {
  return db.transaction(async (tx) => {
    const [v] = await tx.query<{
      id: number;
      layer: string;
      codes: string[];
      layer_before: unknown;
      undone_at: string | null;
      restored: string[];
    }>(SQL.forUndo, [id]);
    if (!v) throw new PerimeterImportError(`Import n° ${id} introuvable.`);
    if (v.undone_at) throw new PerimeterImportError(`L'import n° ${id} est déjà annulé.`);
    const touched = [...new Set([...v.codes, ...v.restored])];
    const blocking = await tx.query<{ id: number; file: string; label: string }>(SQL.blocking, [v.layer, v.id, touched]);
    if (blocking.length) {
      throw new PerimeterImportError(
        `Des imports plus récents touchent les mêmes périmètres (${blocking.map((b) => `n° ${b.id}, ${b.file}, ${b.label}`).join(' ; ')}) : annulez-les d'abord.`,
      );
    }
    await tx.query(SQL.deleteMembers, [v.layer, touched]);
    await tx.query(SQL.deleteUnits, [v.layer, touched]);
    await tx.query(SQL.restoreUnits, [v.id, v.layer]);
    await tx.query(SQL.restoreMembers, [v.id, v.layer]);
    if (v.layer_before) await tx.query(SQL.restoreLayer, [JSON.stringify(v.layer_before)]);
    else await tx.query(SQL.dropLayer, [v.layer]);
    await tx.query(SQL.markUndone, [v.id, by]);
    // running servers forget this layer's tiles once the transaction commits
    await tx.query(`INSERT INTO public.data_change (layer) VALUES ($1)`, [v.layer]);
    return { removed: v.codes.length, restored: v.restored.length, layer: v.layer };
  });
}
