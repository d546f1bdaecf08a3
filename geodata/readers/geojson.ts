// Reads a GeoJSON FeatureCollection (plain or gzipped) and checks its shape, so a
// malformed file fails with a clear message before anything is written.
import fs from 'node:fs';
import zlib from 'node:zlib';
import type { Feature, FeatureCollection, Geometry } from 'geojson';

export type PolygonalFeature = Feature<Geometry, Record<string, unknown>>;

export function parseFeatureCollection(text: string, label = 'GeoJSON'): FeatureCollection<Geometry, Record<string, unknown>> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new Error(`${label} : JSON illisible (${(err as Error).message})`);
  }
  if (!data || typeof data !== 'object' || (data as { type?: unknown }).type !== 'FeatureCollection') {
    throw new Error(`${label} : une FeatureCollection est attendue`);
  }
  const features = (data as { features?: unknown }).features;
  if (!Array.isArray(features)) throw new Error(`${label} : le tableau "features" manque`);
  features.forEach((f: unknown, i) => {
    const feature = f as { type?: unknown; geometry?: { type?: unknown; coordinates?: unknown } | null };
    if (feature?.type !== 'Feature') throw new Error(`${label} : l'objet n° ${i + 1} n'est pas une Feature`);
    const g = feature.geometry;
    if (g && (g.type === 'Polygon' || g.type === 'MultiPolygon') && !Array.isArray(g.coordinates)) {
      throw new Error(`${label} : la géométrie de l'objet n° ${i + 1} n'a pas de coordonnées`);
    }
    (feature as { properties?: unknown }).properties ??= {};
  });
  return data as FeatureCollection<Geometry, Record<string, unknown>>;
}

export function readFeatureCollection(file: string): FeatureCollection<Geometry, Record<string, unknown>> {
  const raw = fs.readFileSync(file);
  const text = file.endsWith('.gz') ? zlib.gunzipSync(raw).toString('utf8') : raw.toString('utf8');
  return parseFeatureCollection(text.replace(/^\uFEFF/, ''), file);
}
