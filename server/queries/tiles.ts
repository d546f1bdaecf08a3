// SQL for tile sources: every feature of a layer with the few properties the map
// needs, and a label point (inside the polygon) per feature.
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

export async function layerFeatures(db: Queryable, layer: string): Promise<TileFeatureRow[]> {
  if (layer === 'commune') {
    return db.query<TileFeatureRow>(
      `SELECT code, name, NULL::text AS type, false AS fictif, NULL::text AS approximation, population::float8 AS population,
         ST_AsGeoJSON(geom, 5) AS geometry, ST_AsGeoJSON(ST_PointOnSurface(geom), 5) AS label
       FROM atlas.commune WHERE geom IS NOT NULL ORDER BY code`,
    );
  }
  return db.query<TileFeatureRow>(
    `SELECT code, name, subtype AS type, fictif, attrs->>'approximation' AS approximation, population,
       ST_AsGeoJSON(geom, 5) AS geometry, ST_AsGeoJSON(ST_PointOnSurface(geom), 5) AS label
     FROM atlas.perimeter WHERE layer = $1 AND geom IS NOT NULL ORDER BY code`,
    [layer],
  );
}
