// Reads a GeoJSON file of perimeter polygons (plain or gzipped; a FeatureCollection or
// a single Feature), reprojected to WGS84 when its "crs" member declares another system.
import zlib from 'node:zlib';
import type { Geometry } from 'geojson';
import { PerimeterImportError } from './errors.ts';
import { collectFeatures, type FieldOptions, type RawFeature } from './polygons.ts';
import { crsFromGeojson } from './projection.ts';
import type { PolygonInput } from './types.ts';

export function readGeojson(bytes: Uint8Array, options: FieldOptions & { maxBytes?: number } = {}): PolygonInput {
  if (bytes.length === 0) throw new PerimeterImportError('Le fichier est vide.');
  let data = bytes;
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      data = zlib.gunzipSync(bytes, { maxOutputLength: options.maxBytes ?? 512 * 1024 * 1024 });
    } catch (err) {
      throw new PerimeterImportError(`Fichier gzip illisible ou trop volumineux une fois décompressé : ${(err as Error).message}.`);
    }
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(data).replace(/^\uFEFF/, '');
  } catch {
    throw new PerimeterImportError('Encodage non pris en charge : un GeoJSON doit être en UTF-8.');
  }
  if (!text.trim()) throw new PerimeterImportError('Le fichier est vide.');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new PerimeterImportError(`JSON illisible : ${(err as Error).message}.`);
  }
  const obj = json as { type?: unknown; features?: unknown; crs?: unknown; geometry?: unknown; properties?: unknown };
  let list: unknown[];
  if (obj?.type === 'FeatureCollection') {
    if (!Array.isArray(obj.features)) throw new PerimeterImportError('GeoJSON : le tableau « features » manque.');
    list = obj.features;
  } else if (obj?.type === 'Feature') {
    list = [obj];
  } else {
    throw new PerimeterImportError('GeoJSON : une FeatureCollection (ou une Feature) est attendue.');
  }
  const raw: RawFeature[] = list.map((f, i) => {
    const feature = f as { type?: unknown; geometry?: unknown; properties?: unknown };
    if (feature?.type !== 'Feature') throw new PerimeterImportError(`GeoJSON : l'objet n° ${i + 1} n'est pas une Feature.`);
    const props = feature.properties && typeof feature.properties === 'object' ? (feature.properties as Record<string, unknown>) : {};
    return { geometry: (feature.geometry ?? null) as Geometry | null, properties: props };
  });
  const crs = crsFromGeojson(obj.crs);
  return collectFeatures('geojson', raw, crs, options);
}
