// One layer's tiles: its shapes (polygon-cut.ts) and its label points (point-cut.ts),
// each tile encoded as this layer's messages of a vector tile (encode.ts puts layers
// together). Every tile is cut from the flat arrays the index holds; only tiles down to
// z5 are encoded when the index is built, and kept (PRECUT_MAX_ZOOM): France fits in a
// few dozen of them, each holds thousands of shapes, and nobody should wait for them.
import type { Geometry, Point } from 'geojson';
import { encodeParts } from './encode-mvt.ts';
import type { TileFeatureRow } from '../queries/tiles.ts';
import { PolygonCutter, type TileFeature } from './polygon-cut.ts';
import { PointCutter } from './point-cut.ts';

export const MAX_ZOOM = 14;
export const EXTENT = 4096;
/** Tiles down to this zoom are encoded when the index is built, and kept. */
const PRECUT_MAX_ZOOM = 5;
/** Simplification, in tile units (4096 a tile): 16 ≈ one pixel of a 256 px tile. */
const TOLERANCE = 16;
/**
 * Margin around each tile, in tile units: 128 ≈ 16 px of a 512 px tile. The client shifts
 * outlines up to 15 px inward (line-offset lanes, client/src/lib/layers.ts); a smaller
 * margin would let the tile's own clipping edges show through as straight lines.
 */
export const SHAPE_BUFFER = 128;

/** Small communes are labelled only when zoomed in, so low-zoom tiles stay light. */
function labelMinZoom(layer: string, population: number): number {
  if (layer !== 'commune') return 0;
  if (population >= 100_000) return 0;
  if (population >= 30_000) return 7;
  if (population >= 10_000) return 8;
  if (population >= 2_000) return 9;
  return 10;
}

export class LayerIndex {
  private readonly shapes: PolygonCutter;
  private readonly labels: PointCutter;
  /** Encoded tiles down to PRECUT_MAX_ZOOM, by "z/x/y". */
  private readonly precut = new Map<string, Uint8Array | null>();

  constructor(
    readonly layer: string,
    rows: TileFeatureRow[],
  ) {
    // Shapes carry only what styling needs (code for feature-state, type for filters);
    // names travel with the label points.
    this.shapes = new PolygonCutter(
      rows.length,
      (i) => JSON.parse(rows[i]!.geometry) as Geometry,
      rows.map((r) => ({ code: r.code, ...(r.type ? { type: r.type } : {}), ...(r.fictif ? { fictif: true } : {}) })),
      { extent: EXTENT, buffer: SHAPE_BUFFER, tolerance: TOLERANCE, maxZoom: MAX_ZOOM },
    );
    const minZooms = rows.map((r) => labelMinZoom(layer, r.population ?? 0));
    this.labels = new PointCutter(
      rows.map((r) => JSON.parse(r.label) as Point),
      rows.map((r, i) => ({
        code: r.code,
        name: r.name,
        ...(r.type ? { type: r.type } : {}),
        ...(r.fictif ? { fictif: true } : {}),
        ...(r.approximation ? { approche: r.approximation } : {}),
        population: Math.round(r.population ?? 0),
        minzoom: minZooms[i]!,
      })),
      minZooms,
      EXTENT,
    );
    // a label point lies inside its shape: the shapes' tiles hold every label too
    for (let z = 0; z <= PRECUT_MAX_ZOOM; z++) for (const [x, y] of this.shapes.tilesAt(z)) this.encoded(z, x, y);
  }

  /** This layer's parts of a tile: `<layer>` for shapes, `<layer>-label` for the labels shown at this zoom. */
  parts(z: number, x: number, y: number): Record<string, TileFeature[]> {
    const parts: Record<string, TileFeature[]> = {};
    const shapes = this.shapes.tile(z, x, y);
    if (shapes) parts[this.layer] = shapes;
    const labels = this.labels.tile(z, x, y);
    if (labels) parts[`${this.layer}-label`] = labels;
    return parts;
  }

  /** This layer's encoded messages of a tile; null when it has nothing there. */
  encoded(z: number, x: number, y: number): Uint8Array | null {
    if (z > PRECUT_MAX_ZOOM) return encodeParts(this.parts(z, x, y), EXTENT);
    const key = `${z}/${x}/${y}`;
    let body = this.precut.get(key);
    if (body === undefined) {
      // a copy of just the bytes: the encoder's buffer is larger
      body = encodeParts(this.parts(z, x, y), EXTENT)?.slice() ?? null;
      this.precut.set(key, body);
    }
    return body;
  }
}
