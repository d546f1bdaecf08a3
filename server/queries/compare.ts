// SQL of the comparison's GeoJSON export: the outline of each commune compared.
import type { Queryable } from '../../core/db/db.ts';

/** GeoJSON geometry text of each commune, by code. */
export async function communeGeometries(db: Queryable, codes: string[]): Promise<Map<string, string>> {
  const rows = await db.query<{ code: string; geometry: string }>(
    `SELECT code, ST_AsGeoJSON(geom, 5) AS geometry FROM atlas.commune WHERE code = ANY($1::text[])`,
    [codes],
  );
  return new Map(rows.map((g) => [g.code, g.geometry]));
}
