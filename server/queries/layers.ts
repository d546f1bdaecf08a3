// SQL for the layer catalogue.
import type { Queryable } from '../../core/db/db.ts';

export interface LayerRow {
  id: string;
  name: string;
  kind: string;
  vintage: string;
  source: string;
  licence: string;
  fictif: boolean;
  count: number;
}

export async function listLayers(db: Queryable): Promise<LayerRow[]> {
  return db.query<LayerRow>(
    `SELECT l.id, l.name, l.kind, l.vintage, l.source, l.licence, l.fictif,
       CASE WHEN l.id = 'commune' THEN (SELECT count(*)::int FROM atlas.commune)
            ELSE (SELECT count(*)::int FROM atlas.perimeter p WHERE p.layer = l.id) END AS count
     FROM atlas.layer l ORDER BY l.sort, l.id`,
  );
}

export async function countSchemesByType(db: Queryable): Promise<{ type: string; count: number }[]> {
  return db.query(
    `SELECT subtype AS type, count(*)::int AS count FROM atlas.perimeter WHERE layer = 'scheme' GROUP BY subtype ORDER BY subtype`,
  );
}

export async function layerExists(db: Queryable, id: string): Promise<boolean> {
  const rows = await db.query(`SELECT 1 FROM atlas.layer WHERE id = $1`, [id]);
  return rows.length > 0;
}

/** Communes loaded: 0 before the first reference import. */
export async function countCommunes(db: Queryable): Promise<number> {
  const [row] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM atlas.commune');
  return row?.n ?? 0;
}
