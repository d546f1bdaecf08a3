// One layer's tile index: its shapes and its label points cut by geojson-vt, each tile
// encoded as this layer's messages of a vector tile (encode.ts puts layers together).
// - z0–z5: encoded when the index is built, and kept (PRECUT_MAX_ZOOM); the indexes then
//   forget those tiles' geometry (all layers: cutter heap 319 → 148 MB, RSS −100 MB).
// - z6–z8: cut from the pyramid geojson-vt builds with the index (to z7), z8 drilled from
//   its leaf. geojson-vt keeps every tile it cuts on the way down, each with its share of
//   the full-resolution geometry: tiles cut beyond the pyramid are forgotten once too many
//   have been cut (the encoded tiles live on in the store's cache).
// - z9 and deeper: shapes cut straight from the few that cross the tile (deep-cut.ts).
import type { Feature, FeatureCollection, Geometry, Point } from 'geojson';
import { GeoJSONVT } from '@maplibre/geojson-vt';
import type { TileFeatureRow } from '../queries/tiles.ts';
import { fromGeojsonVt } from '@maplibre/vt-pbf';
import { DeepCutter, type VtTile } from './deep-cut.ts';

export const MAX_ZOOM = 14;
export const EXTENT = 4096;
/**
 * The pyramid cut when the index is built, and kept: tiles down to z7 unless they hold
 * fewer than 5,000 points. A deeper tile is cut from its pyramid leaf; from z7 that takes
 * a few milliseconds, from z5 tens (measured on all communes: pyramid 145 MB of heap; from
 * a pyramid to z5 with 100,000 points a leaf, 53 MB and 114 ms). Drilling from z7 to z12
 * took 25 ms at p99 on an idle machine and over 100 ms on a busy one: see DEEP_MIN_ZOOM.
 */
const INDEX_MAX_ZOOM = 7;
const INDEX_MAX_POINTS = 5_000;
/**
 * From this zoom, shapes are cut straight from the few that cross the tile (deep-cut.ts)
 * rather than drilled from the pyramid's z7 leaf: a z8 tile is one level below the leaf
 * and holds about a thousand communes, a z9 one a few hundred.
 */
const DEEP_MIN_ZOOM = 9;
/**
 * Tiles down to this zoom are encoded when the index is built, and kept: France fits in a
 * few dozen of them, and a z5 tile of every commune takes a hundred milliseconds or more
 * to cut and encode, which would be the first visitor's wait.
 */
const PRECUT_MAX_ZOOM = 5;
/** Simplification, in tile units (4096 a tile): 16 ≈ one pixel of a 256 px tile. */
const TOLERANCE = 16;
/**
 * Margin around each tile, in tile units: 128 ≈ 16 px of a 512 px tile. The client shifts
 * outlines up to 15 px inward (line-offset lanes, client/src/lib/layers.ts); a smaller
 * margin would let the tile's own clipping edges show through as straight lines.
 */
export const SHAPE_BUFFER = 128;
/** Tiles cut beyond the pyramid an index keeps before forgetting them all. */
const MAX_DRILLED_TILES = 128;

/** Small communes are labelled only when zoomed in, so low-zoom tiles stay light. */
function labelMinZoom(layer: string, population: number): number {
  if (layer !== 'commune') return 0;
  if (population >= 100_000) return 0;
  if (population >= 30_000) return 7;
  if (population >= 10_000) return 8;
  if (population >= 2_000) return 9;
  return 10;
}

/** The layer messages of these parts (a tile is a sequence of layers, encode.ts); null when there are none. */
function encodeParts(parts: Record<string, VtTile>): Uint8Array | null {
  if (Object.keys(parts).length === 0) return null;
  return fromGeojsonVt(parts, { version: 2, extent: EXTENT });
}

/**
 * The part of geojson-vt's index this module prunes. `tileIndex.tiles` is public in
 * geojson-vt's types, `tileIndex` and `tileCoords` are not: the integration test of the
 * tile store (tiles cut again after trimming give the same bytes) fails if they move.
 */
interface InternalTile {
  z: number;
  x: number;
  y: number;
  source: unknown;
  features: object[];
}

interface TileIndexInternals {
  tiles: Record<string, InternalTile>;
  tileCoords: { id: number }[];
}

function internals(index: GeoJSONVT): TileIndexInternals {
  const tileIndex = (index as unknown as { tileIndex?: TileIndexInternals }).tileIndex;
  if (!tileIndex?.tiles || !Array.isArray(tileIndex.tileCoords)) throw new Error('geojson-vt: unexpected tile index layout');
  return tileIndex;
}

/**
 * A geojson-vt index that keeps to the pyramid it built, give or take `limit` tiles.
 * - Cutting a tile below the pyramid creates its ancestors and their siblings, and takes
 *   the source geometry off the ancestors it splits; trimming deletes every tile the
 *   pyramid did not have and gives the pyramid's tiles their source back.
 * - geojson-vt turns a tile it returns into tile coordinates in place, one small array per
 *   point, which would stay in the pyramid for good (and slow every garbage collection):
 *   a pyramid tile is returned as a copy, and the pyramid keeps its compact geometry.
 */
class TrimmableIndex {
  private readonly pyramid: Map<string, unknown>;
  /** Pyramid tile ids by "z/x/y". */
  private readonly pyramidIds: Map<string, string>;

  constructor(private readonly index: GeoJSONVT) {
    const tiles = Object.entries(internals(index).tiles);
    this.pyramid = new Map(tiles.map(([id, tile]) => [id, tile.source]));
    this.pyramidIds = new Map(tiles.map(([id, tile]) => [`${tile.z}/${tile.x}/${tile.y}`, id]));
  }

  getTile(z: number, x: number, y: number): VtTile | null {
    const id = this.pyramidIds.get(`${z}/${x}/${y}`);
    if (id === undefined) return this.index.getTile(z, x, y);
    const tiles = internals(this.index).tiles;
    const kept = tiles[id]!;
    // the copy's features are new objects: their geometry is replaced, the pyramid's is not
    tiles[id] = { ...kept, features: kept.features.map((f) => ({ ...f })) };
    try {
      return this.index.getTile(z, x, y);
    } finally {
      tiles[id] = kept;
    }
  }

  /** The pyramid's tiles down to this zoom, as [z, x, y]. */
  pyramidTiles(maxZoom: number): [number, number, number][] {
    return [...this.pyramidIds.keys()].map((k) => k.split('/').map(Number) as [number, number, number]).filter(([z]) => z <= maxZoom);
  }

  /**
   * Frees the geometry of the pyramid's tiles that `done` accepts (tiles already encoded,
   * never cut again). Their source, which deeper tiles are cut from, stays.
   */
  forgetFeatures(done: (z: number, x: number, y: number) => boolean): void {
    const tiles = internals(this.index).tiles;
    for (const id of this.pyramid.keys()) {
      const tile = tiles[id]!;
      if (done(tile.z, tile.x, tile.y)) tile.features = [];
    }
  }

  /** Tiles cut since the index was built or last trimmed. */
  drilled(): number {
    return internals(this.index).tileCoords.length - this.pyramid.size;
  }

  /** Back to the pyramid once more than `limit` tiles were cut: after it, the index never holds more. */
  trim(limit: number): void {
    if (this.drilled() <= limit) return;
    const tileIndex = internals(this.index);
    for (const [id, tile] of Object.entries(tileIndex.tiles)) {
      if (this.pyramid.has(id)) tile.source = this.pyramid.get(id);
      else delete tileIndex.tiles[id];
    }
    tileIndex.tileCoords = tileIndex.tileCoords.filter((c) => this.pyramid.has(String(c.id)));
  }
}

export class LayerIndex {
  private readonly shapes: TrimmableIndex;
  private readonly deep: DeepCutter;
  private readonly labels: TrimmableIndex;
  /** Encoded tiles down to PRECUT_MAX_ZOOM, by "z/x/y". */
  private readonly precut = new Map<string, Uint8Array | null>();

  constructor(
    readonly layer: string,
    rows: TileFeatureRow[],
    private readonly maxDrilledTiles = MAX_DRILLED_TILES,
  ) {
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
    const shapeOptions = { maxZoom: MAX_ZOOM, extent: EXTENT, tolerance: TOLERANCE, buffer: SHAPE_BUFFER };
    this.deep = new DeepCutter(
      rows.map((r) => r.geometry),
      shapes.features.map((f) => f.properties),
      shapes.features.map((f) => f.geometry),
      shapeOptions,
    );
    const labels: FeatureCollection<Point> = {
      type: 'FeatureCollection',
      features: rows.map((r): Feature<Point> => ({
        type: 'Feature',
        properties: {
          code: r.code,
          name: r.name,
          ...(r.type ? { type: r.type } : {}),
          ...(r.fictif ? { fictif: true } : {}),
          ...(r.approximation ? { approche: r.approximation } : {}),
          population: Math.round(r.population ?? 0),
          minzoom: labelMinZoom(layer, r.population ?? 0),
        },
        geometry: JSON.parse(r.label) as Point,
      })),
    };
    const common = { maxZoom: MAX_ZOOM, indexMaxZoom: INDEX_MAX_ZOOM, indexMaxPoints: INDEX_MAX_POINTS, extent: EXTENT };
    this.shapes = new TrimmableIndex(new GeoJSONVT(shapes, { ...common, ...shapeOptions }));
    this.labels = new TrimmableIndex(new GeoJSONVT(labels, { ...common, buffer: 0 }));
    for (const [z, x, y] of this.shapes.pyramidTiles(PRECUT_MAX_ZOOM)) this.encoded(z, x, y);
    // the pre-cut tiles are answered from their bytes: their geometry in the indexes is dead
    // weight (z0–z5 of the labels hold every point once per zoom)
    const precut = (z: number, x: number, y: number) => this.precut.has(`${z}/${x}/${y}`);
    this.shapes.forgetFeatures(precut);
    this.labels.forgetFeatures(precut);
  }

  /** This layer's parts of a tile: `<layer>` for shapes, `<layer>-label` for the labels shown at this zoom. */
  parts(z: number, x: number, y: number): Record<string, VtTile> {
    const parts: Record<string, VtTile> = {};
    const shapes = z >= DEEP_MIN_ZOOM ? this.deep.tile(z, x, y) : this.shapes.getTile(z, x, y);
    if (shapes?.features.length) parts[this.layer] = shapes;
    const labels = this.labels.getTile(z, x, y);
    const visible = labels?.features.filter((f: { tags?: Record<string, unknown> | null }) => Number(f.tags?.minzoom ?? 0) <= z) ?? [];
    if (labels && visible.length) parts[`${this.layer}-label`] = { ...labels, features: visible };
    this.shapes.trim(this.maxDrilledTiles);
    this.labels.trim(this.maxDrilledTiles);
    return parts;
  }

  /** This layer's encoded messages of a tile (layer-index.ts parts); null when it has nothing there. */
  encoded(z: number, x: number, y: number): Uint8Array | null {
    if (z > PRECUT_MAX_ZOOM) return encodeParts(this.parts(z, x, y));
    const key = `${z}/${x}/${y}`;
    let body = this.precut.get(key);
    if (body === undefined) {
      // a copy of just the bytes: the encoder's buffer is larger
      body = encodeParts(this.parts(z, x, y))?.slice() ?? null;
      this.precut.set(key, body);
    }
    return body;
  }

  /** Tiles held beyond the pyramid, shapes and labels together (for tests and the benchmark). */
  drilledTiles(): number {
    return this.shapes.drilled() + this.labels.drilled();
  }
}
