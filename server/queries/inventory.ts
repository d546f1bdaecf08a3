// SQL for the registry's completeness: the declared inventory status per (zone, scheme
// type) with its history, the départements a zone spans, and what the registry holds
// there (schemes known, fictitious units met) so coverage answers can say what they are.
import type { Queryable } from '../../core/db/db.ts';
import type { InventoryEntry, InventoryStatus } from '../registry/inventory-status.ts';

/** Every declared status of these types, keyed "zone|type". */
export async function inventoryEntries(db: Queryable, types: string[]): Promise<Map<string, InventoryEntry>> {
  const rows = await db.query<{ zone: string; type: string; status: InventoryStatus; completeAt: string | null }>(
    `SELECT zone, scheme_type AS type, status, to_char(complete_at, 'YYYY-MM-DD') AS "completeAt"
     FROM registry.inventory WHERE scheme_type = ANY($1::text[])`,
    [types],
  );
  return new Map(rows.map((r) => [`${r.zone}|${r.type}`, { status: r.status, completeAt: r.completeAt }]));
}

/** The départements (with their région) of the communes of a zone; all of France when zoneLayer is null. */
export async function zoneDepartements(
  db: Queryable,
  zoneLayer: string | null,
  zoneCode: string | null,
): Promise<{ departement: string; region: string }[]> {
  return db.query(
    `SELECT DISTINCT c.departement, c.region FROM atlas.commune c
     WHERE $1::text IS NULL OR ($1 = 'commune' AND c.code = $2)
        OR c.code IN (SELECT commune FROM atlas.membership WHERE layer = $1 AND code = $2)
     ORDER BY 1`,
    [zoneLayer, zoneCode],
  );
}

/**
 * Units of a layer (of some scheme types) meeting a zone: how many, and how many of
 * them are fictitious examples (the unit or its whole layer flagged fictif).
 */
export async function unitsInZone(
  db: Queryable,
  layer: string,
  schemeTypes: string[] | null,
  zoneLayer: string | null,
  zoneCode: string | null,
): Promise<{ known: number; fictitious: number }> {
  const [row] = await db.query<{ known: number; fictitious: number }>(
    `SELECT count(*)::int AS known, count(*) FILTER (WHERE p.fictif OR l.fictif)::int AS fictitious
     FROM atlas.perimeter p JOIN atlas.layer l ON l.id = p.layer
     WHERE p.layer = $1 AND ($2::text[] IS NULL OR p.subtype = ANY($2::text[]))
       AND EXISTS (
         SELECT 1 FROM atlas.membership m WHERE m.layer = p.layer AND m.code = p.code
           AND ($3::text IS NULL OR ($3 = 'commune' AND m.commune = $4)
                OR m.commune IN (SELECT commune FROM atlas.membership WHERE layer = $3 AND code = $4)))`,
    [layer, schemeTypes, zoneLayer, zoneCode],
  );
  return row ?? { known: 0, fictitious: 0 };
}

export interface InventoryRow {
  zone: string;
  zoneName: string | null;
  type: string;
  status: InventoryStatus;
  completeAt: string | null;
  comment: string | null;
  updatedAt: string | null;
  updatedBy: string | null;
}

/** The statuses of a région and of each of its départements, for every type (unknown when never declared). */
export async function regionInventory(db: Queryable, region: string, types: readonly string[]): Promise<InventoryRow[]> {
  return db.query<InventoryRow>(
    `WITH zones AS (
       SELECT 'region:' || code AS zone, name, 0 AS rank FROM atlas.perimeter WHERE layer = 'region' AND code = $1
       UNION ALL
       SELECT 'departement:' || p.code, p.name, 1 FROM atlas.perimeter p
       WHERE p.layer = 'departement' AND p.code IN (SELECT DISTINCT departement FROM atlas.commune WHERE region = $1)
     )
     SELECT z.zone, z.name AS "zoneName", t.type, coalesce(i.status, 'inconnu') AS status,
       to_char(i.complete_at, 'YYYY-MM-DD') AS "completeAt", i.comment, i.updated_at AS "updatedAt", u.name AS "updatedBy"
     FROM zones z CROSS JOIN unnest($2::text[]) AS t(type)
     LEFT JOIN registry.inventory i ON i.zone = z.zone AND i.scheme_type = t.type
     LEFT JOIN registry.app_user u ON u.id = i.updated_by
     ORDER BY z.rank, z.zone, array_position($2::text[], t.type)`,
    [region, types],
  );
}

/** Région of a zone 'region:84' or 'departement:63', or null when the zone does not exist. */
export async function regionOfZone(db: Queryable, zone: string): Promise<string | null> {
  const [kind, code] = zone.split(':');
  const [row] = await db.query<{ region: string }>(
    kind === 'region'
      ? `SELECT code AS region FROM atlas.perimeter WHERE layer = 'region' AND code = $1`
      : `SELECT min(region) AS region FROM atlas.commune WHERE departement = $1 HAVING count(*) > 0`,
    [code],
  );
  return row?.region ?? null;
}

export async function setInventory(
  tx: Queryable,
  e: { zone: string; type: string; status: InventoryStatus; completeAt: string | null; comment: string; userId: number },
): Promise<void> {
  await tx.query(
    `INSERT INTO registry.inventory (zone, scheme_type, status, complete_at, comment, updated_by, updated_at)
     VALUES ($1, $2, $3, $4::date, $5, $6, now())
     ON CONFLICT (zone, scheme_type) DO UPDATE SET status = excluded.status, complete_at = excluded.complete_at,
       comment = excluded.comment, updated_by = excluded.updated_by, updated_at = now()`,
    [e.zone, e.type, e.status, e.completeAt, e.comment, e.userId],
  );
  await tx.query(
    `INSERT INTO registry.inventory_history (zone, scheme_type, status, complete_at, comment, user_id)
     VALUES ($1, $2, $3, $4::date, $5, $6)`,
    [e.zone, e.type, e.status, e.completeAt, e.comment, e.userId],
  );
}

export interface InventoryHistoryRow {
  at: string;
  status: InventoryStatus;
  completeAt: string | null;
  comment: string | null;
  by: string | null;
}

export async function inventoryHistory(db: Queryable, zone: string, type: string): Promise<InventoryHistoryRow[]> {
  return db.query<InventoryHistoryRow>(
    `SELECT h.at, h.status, to_char(h.complete_at, 'YYYY-MM-DD') AS "completeAt", h.comment, u.name AS by
     FROM registry.inventory_history h LEFT JOIN registry.app_user u ON u.id = h.user_id
     WHERE h.zone = $1 AND h.scheme_type = $2 ORDER BY h.id DESC`,
    [zone, type],
  );
}

/** The catalogue name of a layer ("CPTS", "EPCI"…), or null. */
export async function layerName(db: Queryable, layer: string): Promise<string | null> {
  const [row] = await db.query<{ name: string }>(`SELECT name FROM atlas.layer WHERE id = $1`, [layer]);
  return row?.name ?? null;
}
