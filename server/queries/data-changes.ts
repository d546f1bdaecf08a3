// SQL of the data-change log (public.data_change): each import or registry write adds a
// row naming the layer it changed, which every server instance reads to refresh its tiles.
import type { Queryable } from '../../core/db/db.ts';

export async function lastDataChange(db: Queryable): Promise<number> {
  const [row] = await db.query<{ id: number }>(`SELECT coalesce(max(id), 0)::int AS id FROM public.data_change`);
  return row?.id ?? 0;
}

export function dataChangesSince(db: Queryable, id: number): Promise<{ id: number; layer: string | null }[]> {
  return db.query<{ id: number; layer: string | null }>(`SELECT id, layer FROM public.data_change WHERE id > $1 ORDER BY id`, [id]);
}
