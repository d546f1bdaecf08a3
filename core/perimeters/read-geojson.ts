// Reads a GeoJSON file of perimeter polygons (plain or gzipped; a FeatureCollection or
// a single Feature), reprojected to WGS84 when its "crs" member declares another system.
// Bounded before anything is built (core/limits.ts): decompressed size, then
// one pass over the text for nesting depth and vertices, then the number of features.
import zlib from 'node:zlib';
import type { Geometry } from 'geojson';
import { formatBytes, formatCount, MAX_FEATURES, MAX_JSON_DEPTH, MAX_UNCOMPRESSED_BYTES, MAX_VERTICES } from '../limits.ts';
import { PerimeterImportError } from './errors.ts';
import { cleanText } from './fields.ts';
import { collectFeatures, type FieldOptions, type RawFeature } from './polygons.ts';
import { crsFromGeojson } from './projection.ts';
import type { PolygonInput } from './types.ts';

const OPEN_SQUARE = 0x5b;
const OPEN_CURLY = 0x7b;
const CLOSE_SQUARE = 0x5d;
const CLOSE_CURLY = 0x7d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

const lineAt = (text: string, position: number) => {
  let line = 1;
  for (let i = 0; i < position && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
};

/**
 * One pass over the JSON text, before JSON.parse builds anything: refuses nesting deeper
 * than MAX_JSON_DEPTH and more than MAX_VERTICES positions (arrays that start with a number).
 */
export function scanJson(text: string): { depth: number; vertices: number } {
  let depth = 0;
  let deepest = 0;
  let vertices = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
      continue;
    }
    if (c === QUOTE) inString = true;
    else if (c === OPEN_SQUARE || c === OPEN_CURLY) {
      if (++depth > MAX_JSON_DEPTH) {
        throw new PerimeterImportError(
          `GeoJSON refusé : imbrication de plus de ${MAX_JSON_DEPTH} niveaux (ligne ${lineAt(text, i)}) ; un GeoJSON de polygones en compte moins de 10.`,
        );
      }
      if (depth > deepest) deepest = depth;
      if (c === OPEN_SQUARE) {
        let j = i + 1;
        while (j < text.length && text.charCodeAt(j) <= 0x20) j++;
        const next = text.charCodeAt(j);
        if ((next >= 0x30 && next <= 0x39) || next === 0x2d) {
          if (++vertices > MAX_VERTICES) {
            throw new PerimeterImportError(`GeoJSON refusé : plus de ${formatCount(MAX_VERTICES)} sommets (limite par fichier).`);
          }
        }
      }
    } else if (c === CLOSE_SQUARE || c === CLOSE_CURLY) depth--;
  }
  return { depth: deepest, vertices };
}

/** JSON.parse's message names a position in English: the line, in French. */
function syntaxError(text: string, err: Error): PerimeterImportError {
  const position = /position (\d+)/.exec(err.message);
  const at = position ? Number(position[1]) : null;
  if (/end of JSON input/i.test(err.message) || (at !== null && at >= text.trimEnd().length)) {
    return new PerimeterImportError('JSON illisible : le fichier s’arrête avant la fin (tronqué ?).');
  }
  if (at !== null) return new PerimeterImportError(`JSON illisible : erreur de syntaxe ligne ${lineAt(text, at)}.`);
  return new PerimeterImportError('JSON illisible : erreur de syntaxe.');
}

/** Attribute names and text values the database accepts (no NUL, no lone surrogate). */
function cleanProperties(props: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(props)) out[cleanText(k)] = typeof v === 'string' ? cleanText(v) : v;
  return out;
}

export function readGeojson(bytes: Uint8Array, options: FieldOptions & { maxBytes?: number } = {}): PolygonInput {
  if (bytes.length === 0) throw new PerimeterImportError('Le fichier est vide.');
  let data = bytes;
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    const limit = Math.min(options.maxBytes ?? MAX_UNCOMPRESSED_BYTES, MAX_UNCOMPRESSED_BYTES);
    try {
      data = zlib.gunzipSync(bytes, { maxOutputLength: limit });
    } catch (err) {
      if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
        throw new PerimeterImportError(`Fichier refusé : plus de ${formatBytes(limit)} une fois décompressé (limite par fichier).`);
      }
      throw new PerimeterImportError('Fichier gzip illisible (données compressées corrompues ou tronquées).');
    }
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(data).replace(/^\uFEFF/, '');
  } catch {
    throw new PerimeterImportError('Encodage non pris en charge : un GeoJSON doit être en UTF-8.');
  }
  if (!text.trim()) throw new PerimeterImportError('Le fichier est vide.');
  scanJson(text);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw syntaxError(text, err as Error);
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
  if (list.length > MAX_FEATURES) {
    throw new PerimeterImportError(
      `GeoJSON refusé : ${formatCount(list.length)} objets (limite : ${formatCount(MAX_FEATURES)} par fichier).`,
    );
  }
  const raw: RawFeature[] = list.map((f, i) => {
    const feature = f as { type?: unknown; geometry?: unknown; properties?: unknown };
    if (feature?.type !== 'Feature') throw new PerimeterImportError(`GeoJSON : l'objet n° ${i + 1} n'est pas une Feature.`);
    const props =
      feature.properties && typeof feature.properties === 'object' && !Array.isArray(feature.properties)
        ? cleanProperties(feature.properties as Record<string, unknown>)
        : {};
    return { geometry: (feature.geometry ?? null) as Geometry | null, properties: props };
  });
  const crs = crsFromGeojson(obj.crs);
  return collectFeatures('geojson', raw, crs, options);
}
