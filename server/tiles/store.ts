// Vector tiles for every layer, cut in memory by geojson-vt and encoded by vt-pbf:
// the same code and the same bytes on PostGIS and on the embedded database (whose
// PostGIS has no ST_AsMVT). geojson-vt simplifies per zoom, so a low-zoom tile of all
// communes stays small. Each layer has a version: invalidate(layer) after an edit, and
// neither its index nor any cached tile that contains it is served again.
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { Feature, FeatureCollection, Geometry, Point } from 'geojson';
import { GeoJSONVT } from '@maplibre/geojson-vt';
import { fromGeojsonVt } from '@maplibre/vt-pbf';
import type { Queryable } from '../db/db.ts';
import { layerFeatures } from '../queries/tiles.ts';

export const MAX_ZOOM = 14;
const EXTENT = 4096;
const CACHE_LIMIT = 20_000;
/** Simplification, in tile units (4096 a tile): 16 ≈ one pixel of a 256 px tile. */
const TOLERANCE = 16;

/** Small communes are labelled only when zoomed in, so low-zoom tiles stay light. */
export function labelMinZoom(layer: string, population: number): number {
  if (layer !== 'commune') return 0;
  if (population >= 100_000) return 0;
  if (population >= 30_000) return 7;
  if (population >= 10_000) return 8;
  if (population >= 2_000) return 9;
  return 10;
}

interface LayerIndex {
  shapes: GeoJSONVT;
  labels: GeoJSONVT;
}

export interface EncodedTile {
  body: Buffer;
  /** The same bytes gzipped, sent to clients that accept it. */
  gzipped: Buffer;
  etag: string;
}

export class TileStore {
  private indexes = new Map<string, Promise<LayerIndex>>();
  private versions = new Map<string, number>();
  private cache = new Map<string, EncodedTile>();

  constructor(private readonly db: Queryable) {}

  version(layer: string): number {
    return this.versions.get(layer) ?? 0;
  }

  /** Forget a layer's index and the cached tiles holding it (after an import or a registry edit). */
  invalidate(layer?: string): void {
    const layers = layer ? [layer] : [...new Set([...this.indexes.keys(), ...this.versions.keys()])];
    for (const l of layers) {
      this.indexes.delete(l);
      this.versions.set(l, this.version(l) + 1);
    }
    if (!layer) this.cache.clear();
    else for (const key of this.cache.keys()) if (key.split('/')[0]!.split(',').some((k) => k.startsWith(`${layer}@`))) this.cache.delete(key);
  }

  private index(layer: string): Promise<LayerIndex> {
    let index = this.indexes.get(layer);
    if (!index) {
      index = this.build(layer);
      this.indexes.set(layer, index);
      index.catch(() => this.indexes.delete(layer));
    }
    return index;
  }

  private async build(layer: string): Promise<LayerIndex> {
    const rows = await layerFeatures(this.db, layer);
    // Shapes carry only what styling needs (code for feature-state, type for filters);
    // names travel with the label points.
    const shapes: FeatureCollection<Geometry> = {
      type: 'FeatureCollection',
      features: rows.map((r) => ({
        type: 'Feature',
        properties: { code: r.code, ...(r.type ? { type: r.type } : {}), ...(r.fictif ? { fictif: true } : {}) },
        geometry: JSON.parse(r.geometry) as Geometry,
      })),
    };
    const labels: FeatureCollection<Point> = {
      type: 'FeatureCollection',
      features: rows.map(
        (r): Feature<Point> => ({
          type: 'Feature',
          properties: {
            code: r.code,
            name: r.name,
            ...(r.type ? { type: r.type } : {}),
            ...(r.fictif ? { fictif: true } : {}),
            population: Math.round(r.population ?? 0),
            minzoom: labelMinZoom(layer, r.population ?? 0),
          },
          geometry: JSON.parse(r.label) as Point,
        }),
      ),
    };
    return {
      shapes: new GeoJSONVT(shapes, { maxZoom: MAX_ZOOM, indexMaxZoom: 5, tolerance: TOLERANCE, extent: EXTENT, buffer: 64 }),
      labels: new GeoJSONVT(labels, { maxZoom: MAX_ZOOM, indexMaxZoom: 5, extent: EXTENT, buffer: 0 }),
    };
  }

  /** Builds the indexes of these layers now rather than on the first tile request. */
  async warm(layers: string[]): Promise<void> {
    await Promise.all(layers.map((l) => this.index(l)));
  }

  /** The encoded tile of several layers; null when no layer has anything there. */
  async tile(layers: string[], z: number, x: number, y: number): Promise<EncodedTile | null> {
    const key = `${layers.map((l) => `${l}@${this.version(l)}`).join(',')}/${z}/${x}/${y}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const parts: Record<string, NonNullable<ReturnType<GeoJSONVT['getTile']>>> = {};
    for (const layer of layers) {
      const index = await this.index(layer);
      const shapes = index.shapes.getTile(z, x, y);
      if (shapes?.features.length) parts[layer] = shapes;
      const labels = index.labels.getTile(z, x, y);
      const visible = labels?.features.filter((f: { tags?: Record<string, unknown> | null }) => Number(f.tags?.minzoom ?? 0) <= z) ?? [];
      if (labels && visible.length) parts[`${layer}-label`] = { ...labels, features: visible };
    }
    if (Object.keys(parts).length === 0) return null;
    const body = Buffer.from(fromGeojsonVt(parts, { version: 2, extent: EXTENT }));
    const tile = { body, gzipped: gzipSync(body, { level: 6 }), etag: `"${createHash('sha1').update(key).update(body).digest('base64url').slice(0, 20)}"` };
    if (this.cache.size >= CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(key, tile);
    return tile;
  }
}
