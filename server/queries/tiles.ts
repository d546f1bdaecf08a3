// SQL for tile sources: every feature of a layer with the few properties the map
// needs, and a label point (inside the polygon) per feature. The tile cutter reads them
// as pages of JSON text (layerFeaturePages): the database writes the JSON, the server's
// main thread only passes each page on to the cutter's thread, which parses it — 35,000
// commune rows as objects took 0.8–4 s to receive and 50–270 ms to copy to the cutter,
// during which no request was answered (the tile wait after an import, issue 15).
import type { Queryable } from '../../core/db/db.ts';

export interface TileFeatureRow {
  code: string;
  name: string;
  type: string | null;
  fictif: boolean;
  /** "périmètre approché (…)" for perimeters derived from an outline (national PNR, PETR). */
  approximation: string | null;
  population: number | null;
  geometry: string;
  label: string;
}

/** The columns of TileFeatureRow, from atlas.commune or atlas.perimeter. */
const COMMUNE_COLUMNS = `code, name, NULL::text AS type, false AS fictif, NULL::text AS approximation, population::float8 AS population,
  ST_AsGeoJSON(geom, 5) AS geometry, ST_AsGeoJSON(ST_PointOnSurface(geom), 5) AS label`;
const PERIMETER_COLUMNS = `code, name, subtype AS type, fictif, attrs->>'approximation' AS approximation, population,
  ST_AsGeoJSON(geom, 5) AS geometry, ST_AsGeoJSON(ST_PointOnSurface(geom), 5) AS label`;

export async function layerFeatures(db: Queryable, layer: string): Promise<TileFeatureRow[]> {
  if (layer === 'commune') {
    return db.query<TileFeatureRow>(`SELECT ${COMMUNE_COLUMNS} FROM atlas.commune WHERE geom IS NOT NULL ORDER BY code`);
  }
  return db.query<TileFeatureRow>(`SELECT ${PERIMETER_COLUMNS} FROM atlas.perimeter WHERE layer = $1 AND geom IS NOT NULL ORDER BY code`, [
    layer,
  ]);
}

/** Rows per page: a page of communes is about 0.7 MB of JSON. */
const PAGE_ROWS = 2_000;

/**
 * Every feature of a layer in code order, as JSON arrays of TileFeatureRow (one text per
 * page of rows; at least one page, `[]` for an empty layer). Pages follow the codes
 * (keyset), so each statement is short and the order is the one layerFeatures gives.
 */
export async function* layerFeaturePages(db: Queryable, layer: string, pageRows = PAGE_ROWS): AsyncGenerator<string> {
  let after = '';
  for (;;) {
    const [page] =
      layer === 'commune'
        ? await db.query<{ rows: string; last: string | null; n: number }>(
            `SELECT coalesce(json_agg(f ORDER BY f.code), '[]')::text AS rows, max(f.code) AS last, count(*)::int AS n
             FROM (SELECT ${COMMUNE_COLUMNS} FROM atlas.commune
                   WHERE geom IS NOT NULL AND code > $1 ORDER BY code LIMIT $2) f`,
            [after, pageRows],
          )
        : await db.query<{ rows: string; last: string | null; n: number }>(
            `SELECT coalesce(json_agg(f ORDER BY f.code), '[]')::text AS rows, max(f.code) AS last, count(*)::int AS n
             FROM (SELECT ${PERIMETER_COLUMNS} FROM atlas.perimeter
                   WHERE layer = $3 AND geom IS NOT NULL AND code > $1 ORDER BY code LIMIT $2) f`,
            [after, pageRows, layer],
          );
    yield page!.rows;
    if (page!.n < pageRows || page!.last === null) return;
    after = page!.last;
  }
}
