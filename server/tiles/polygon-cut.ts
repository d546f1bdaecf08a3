// A layer's polygons kept flat in typed arrays — projected to Web Mercator's unit square,
// each point with its Douglas-Peucker importance, computed once — and cut into one tile at
// a time exactly as geojson-vt's geoJSONToTile cuts GeoJSON (clip to the tile and its
// margin, X then Y; drop rings and points too small for the zoom; outer rings clockwise;
// round to tile units): test/unit/polygon-cut.test.ts checks it against geojson-vt.
// Why not geojson-vt's own index: its pyramid holds every shape once per zoom level in
// small JavaScript arrays (145 MB of heap for the communes, walked by every garbage
// collection), and a tile cut from GeoJSON text parses and converts every shape it
// crosses first. Here a point weighs 24 bytes that no collection walks, and a tile costs
// only the shapes that cross it (issue 15: cold tiles' tail, the embedded server's memory).
// Length: one algorithm whose every step must match geojson-vt's, read best in one place.
import type { Geometry, Position } from 'geojson';
import { BoxGrid } from './box-grid.ts';

/** One feature of a tile: 1 a point, 3 a polygon; its rings' points in tile units, flat (encode-mvt.ts writes them). */
export interface TileFeature {
  type: 1 | 3;
  /** x, y of every point, ring after ring. */
  xy: number[];
  /** Where each ring ends in `xy` (exclusive). */
  ringEnds: number[];
  tags: Record<string, unknown> | null;
}

export interface CutOptions {
  /** Tile units per tile side. */
  extent: number;
  /** Margin around the tile, in tile units. */
  buffer: number;
  /** Simplification in tile units. */
  tolerance: number;
  /** The zoom from which nothing is simplified. */
  maxZoom: number;
}

/** Longitude and latitude to the unit square, written as geojson-vt writes them (same doubles). */
export const projectX = (lon: number) => lon / 360 + 0.5;
export function projectY(lat: number): number {
  const sin = Math.sin((lat * Math.PI) / 180);
  const y = 0.5 - (0.25 * Math.log((1 + sin) / (1 - sin))) / Math.PI;
  return y < 0 ? 0 : y > 1 ? 1 : y;
}

/** A ring while a tile is cut: points as x, y, importance triples in `points` from `from` to `to` (exclusive). */
interface Ring {
  points: ArrayLike<number>;
  from: number;
  to: number;
  /** The unclipped ring's area (geojson-vt keeps it through clipping). */
  area: number;
}

const sqSegDist = (px: number, py: number, x: number, y: number, bx: number, by: number): number => {
  let dx = bx - x;
  let dy = by - y;
  if (dx !== 0 || dy !== 0) {
    const t = ((px - x) * dx + (py - y) * dy) / (dx * dx + dy * dy);
    if (t > 1) {
      x = bx;
      y = by;
    } else if (t > 0) {
      x += dx * t;
      y += dy * t;
    }
  }
  dx = px - x;
  dy = py - y;
  return dx * dx + dy * dy;
};

/** Douglas-Peucker importance of each point between first and last (indexes of x), as geojson-vt computes it. */
function simplify(coords: Float64Array, first: number, last: number, sqTolerance: number): void {
  const stack = [first, last];
  while (stack.length) {
    last = stack.pop()!;
    first = stack.pop()!;
    let maxSqDist = sqTolerance;
    const mid = first + ((last - first) >> 1);
    let minPosToMid = last - first;
    let index = -1;
    const ax = coords[first]!;
    const ay = coords[first + 1]!;
    const bx = coords[last]!;
    const by = coords[last + 1]!;
    for (let i = first + 3; i < last; i += 3) {
      const d = sqSegDist(coords[i]!, coords[i + 1]!, ax, ay, bx, by);
      if (d > maxSqDist) {
        index = i;
        maxSqDist = d;
      } else if (d === maxSqDist) {
        // a pivot near the middle for degenerate inputs (geojson-vt's workaround)
        const posToMid = Math.abs(i - mid);
        if (posToMid < minPosToMid) {
          index = i;
          minPosToMid = posToMid;
        }
      }
    }
    if (maxSqDist > sqTolerance) {
      coords[index + 2] = maxSqDist;
      if (index - first > 3) stack.push(first, index);
      if (last - index > 3) stack.push(index, last);
    }
  }
}

/** Adds where segment a→b crosses `at` on one axis (0: x, 1: y), always kept (importance 1). */
function addCrossing(out: number[], axis: 0 | 1, ax: number, ay: number, bx: number, by: number, at: number): void {
  if (axis === 0) out.push(at, ay + (by - ay) * ((at - ax) / (bx - ax)), 1);
  else out.push(ax + (bx - ax) * ((at - ay) / (by - ay)), at, 1);
}

/** Clips a ring to start ≤ coordinate ≤ end on one axis (0: x, 1: y), as geojson-vt clips polygon rings. */
function clipRing(ring: Ring, start: number, end: number, axis: 0 | 1): Ring | null {
  const p = ring.points;
  const out: number[] = [];
  for (let i = ring.from; i < ring.to - 3; i += 3) {
    const ax = p[i]!;
    const ay = p[i + 1]!;
    const bx = p[i + 3]!;
    const by = p[i + 4]!;
    const a = axis === 0 ? ax : ay;
    const b = axis === 0 ? bx : by;
    if (a < start) {
      if (b >= start) addCrossing(out, axis, ax, ay, bx, by, start);
    } else if (a > end) {
      if (b <= end) addCrossing(out, axis, ax, ay, bx, by, end);
    } else out.push(ax, ay, p[i + 2]!);
    if (b < start && a >= start) addCrossing(out, axis, ax, ay, bx, by, start);
    if (b > end && a <= end) addCrossing(out, axis, ax, ay, bx, by, end);
  }
  const last = ring.to - 3;
  const a = p[last + axis]!;
  if (a >= start && a <= end) out.push(p[last]!, p[last + 1]!, p[last + 2]!);
  // close the ring if clipping left its ends apart
  const n = out.length - 3;
  if (n >= 3 && (out[n] !== out[0] || out[n + 1] !== out[1])) out.push(out[0]!, out[1]!, out[2]!);
  return out.length ? { points: out, from: 0, to: out.length, area: ring.area } : null;
}

/** Polygons (lists of rings, outer first) clipped on one axis; their box is that of their first rings. */
function clipPolygons(polygons: Ring[][], start: number, end: number, axis: 0 | 1): { polygons: Ring[][]; min: number; max: number } {
  const out: Ring[][] = [];
  let min = Infinity;
  let max = -Infinity;
  for (const polygon of polygons) {
    const kept: Ring[] = [];
    for (const ring of polygon) {
      const clipped = clipRing(ring, start, end, axis);
      if (clipped) kept.push(clipped);
    }
    if (!kept.length) continue;
    out.push(kept);
    // the next axis's bounds, from the first ring as geojson-vt takes them
    const first = kept[0]!;
    const other = axis === 0 ? 1 : 0;
    for (let i = first.from + other; i < first.to; i += 3) {
      const v = first.points[i]!;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  return { polygons: out, min, max };
}

/** A copy of a typed array with room for at least `need` items (doubling). */
function grown<T extends Float64Array | Uint32Array>(array: T, need: number): T {
  const bigger = new (array.constructor as new (n: number) => T)(Math.max(need, array.length * 2));
  bigger.set(array);
  return bigger;
}

/** Points of the ring being written, x then y (reused from tile to tile). */
let scratch = new Float64Array(4096);

/**
 * Adds the ring's points kept at this tolerance to `xy`, in tile units, outer rings
 * clockwise and holes anticlockwise in tile space (y down), as geojson-vt keeps, turns and
 * rounds them.
 */
function addRing(xy: number[], ring: Ring, tolerance: number, outer: boolean, extent: number, z2: number, x: number, y: number): void {
  const sqTolerance = tolerance * tolerance;
  const p = ring.points;
  if (scratch.length < ((ring.to - ring.from) / 3) * 2) scratch = new Float64Array(((ring.to - ring.from) / 3) * 4);
  const s = scratch;
  let n = 0;
  for (let k = ring.from; k < ring.to; k += 3) {
    if (tolerance === 0 || p[k + 2]! > sqTolerance) {
      s[n++] = p[k]!;
      s[n++] = p[k + 1]!;
    }
  }
  let area = 0;
  for (let i = 0, j = n - 2; i < n; j = i, i += 2) area += (s[i]! - s[j]!) * (s[i + 1]! + s[j + 1]!);
  const reversed = area > 0 === outer;
  for (let i = 0; i < n; i += 2) {
    const at = reversed ? n - 2 - i : i;
    xy.push(Math.round(extent * (s[at]! * z2 - x)), Math.round(extent * (s[at + 1]! * z2 - y)));
  }
}

export class PolygonCutter {
  /** x, y, importance of every point of every ring. */
  private readonly coords: Float64Array;
  /** Index in `coords` of each ring's first point; one more entry closes the last ring. */
  private readonly ringStart: Uint32Array;
  private readonly ringArea: Float64Array;
  /** First ring of each polygon; its first ring is the outer one. */
  private readonly polygonStart: Uint32Array;
  /** First polygon of each feature. */
  private readonly featureStart: Uint32Array;
  /** Per feature: min x, min y, max x, max y of its outer rings. */
  private readonly boxes: Float64Array;
  private readonly grid: BoxGrid;

  /**
   * `count` features, read one at a time by `geometryAt` — Polygon or MultiPolygon; anything
   * else, or null, is a feature with no shape — so that only one feature's parsed GeoJSON
   * is alive at a time (35,000 parsed communes at once took 60 MB of heap, for a moment);
   * `tags` are the properties each feature carries into tiles.
   */
  constructor(
    count: number,
    geometryAt: (feature: number) => Geometry | null,
    private readonly tags: readonly (Record<string, unknown> | null)[],
    private readonly options: CutOptions,
  ) {
    const polygonsOf = (g: Geometry | null): Position[][][] =>
      g?.type === 'Polygon' ? [g.coordinates] : g?.type === 'MultiPolygon' ? g.coordinates : [];
    let coords = new Float64Array(3 * 1024);
    let ringStart = new Uint32Array(256);
    let ringArea = new Float64Array(256);
    let polygonStart = new Uint32Array(256);
    this.featureStart = new Uint32Array(count + 1);
    this.boxes = new Float64Array(count * 4);
    const sqTolerance = Math.pow(options.tolerance / (2 ** options.maxZoom * options.extent), 2);
    let at = 0;
    let r = 0;
    let p = 0;
    for (let f = 0; f < count; f++) {
      this.featureStart[f] = p;
      let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
      for (const polygon of polygonsOf(geometryAt(f))) {
        if (p + 2 > polygonStart.length) polygonStart = grown(polygonStart, p + 2);
        polygonStart[p++] = r;
        for (let i = 0; i < polygon.length; i++) {
          const ring = polygon[i]!;
          // an empty ring has nothing to cut (PostGIS never writes one; a file might)
          if (ring.length === 0) continue;
          if (r + 2 > ringStart.length) [ringStart, ringArea] = [grown(ringStart, r + 2), grown(ringArea, r + 2)];
          if (at + ring.length * 3 > coords.length) coords = grown(coords, at + ring.length * 3);
          ringStart[r] = at;
          let area = 0;
          let x0 = 0;
          let y0 = 0;
          const first = at;
          for (let j = 0; j < ring.length; j++) {
            const x = projectX(ring[j]![0]!);
            const y = projectY(ring[j]![1]!);
            coords[at] = x;
            coords[at + 1] = y;
            coords[at + 2] = 0;
            at += 3;
            if (j > 0) area += (x0 * y - x * y0) / 2;
            x0 = x;
            y0 = y;
            if (i === 0) {
              if (x < minX) minX = x;
              if (y < minY) minY = y;
              if (x > maxX) maxX = x;
              if (y > maxY) maxY = y;
            }
          }
          if (ring.length) {
            const last = at - 3;
            coords[first + 2] = 1;
            if (sqTolerance > 0) simplify(coords, first, last, sqTolerance);
            coords[last + 2] = 1;
          }
          ringArea[r++] = Math.abs(area);
        }
      }
      this.boxes.set([minX, minY, maxX, maxY], f * 4);
    }
    this.featureStart[count] = p;
    polygonStart[p] = r;
    ringStart[r] = at;
    // exact sizes: the spare room of the growing arrays goes back
    this.coords = coords.slice(0, at);
    this.ringStart = ringStart.slice(0, r + 1);
    this.ringArea = ringArea.slice(0, r);
    this.polygonStart = polygonStart.slice(0, p + 1);
    this.grid = new BoxGrid(this.boxes);
  }

  get size(): number {
    return this.featureStart.length - 1;
  }

  /** The tile's features in feature order (null when none is left). */
  tile(z: number, x: number, y: number): TileFeature[] | null {
    const { extent, buffer, maxZoom } = this.options;
    const z2 = 2 ** z;
    const margin = buffer / extent;
    const [x0, x1, y0, y1] = [(x - margin) / z2, (x + 1 + margin) / z2, (y - margin) / z2, (y + 1 + margin) / z2];
    const tolerance = z === maxZoom ? 0 : this.options.tolerance / (z2 * extent);
    const sqTolerance = tolerance * tolerance;
    const features: TileFeature[] = [];
    const b = this.boxes;
    for (const f of this.grid.candidates(x0, y0, x1, y1)) {
      const at = f * 4;
      // trivial rejects and accepts on each axis, with geojson-vt's half-open bounds (a
      // box that misses the tile's rows now misses them after clipping on x too)
      if (b[at + 2]! < x0 || b[at]! >= x1 || b[at + 3]! < y0 || b[at + 1]! >= y1) continue;
      let polygons = this.polygons(f);
      let minY = b[at + 1]!;
      let maxY = b[at + 3]!;
      if (!(b[at]! >= x0 && b[at + 2]! < x1)) {
        const clipped = clipPolygons(polygons, x0, x1, 0);
        if (!clipped.polygons.length) continue;
        ({ polygons, min: minY, max: maxY } = clipped);
      }
      if (maxY < y0 || minY >= y1) continue;
      if (!(minY >= y0 && maxY < y1)) {
        polygons = clipPolygons(polygons, y0, y1, 1).polygons;
        if (!polygons.length) continue;
      }
      const xy: number[] = [];
      const ringEnds: number[] = [];
      for (const polygon of polygons) {
        for (let i = 0; i < polygon.length; i++) {
          const ring = polygon[i]!;
          if (tolerance > 0 && ring.area < sqTolerance) continue;
          addRing(xy, ring, tolerance, i === 0, extent, z2, x, y);
          ringEnds.push(xy.length);
        }
      }
      if (ringEnds.length) features.push({ type: 3, xy, ringEnds, tags: this.tags[f] ?? null });
    }
    return features.length ? features : null;
  }

  /** A feature's polygons as rings over the flat arrays (no copy). */
  private polygons(f: number): Ring[][] {
    const out: Ring[][] = [];
    for (let p = this.featureStart[f]!; p < this.featureStart[f + 1]!; p++) {
      const rings: Ring[] = [];
      for (let r = this.polygonStart[p]!; r < this.polygonStart[p + 1]!; r++) {
        rings.push({ points: this.coords, from: this.ringStart[r]!, to: this.ringStart[r + 1]!, area: this.ringArea[r]! });
      }
      out.push(rings);
    }
    return out;
  }

  /** The tiles of zoom z that a feature's box (and the tile margin) touches, as [x, y]. */
  tilesAt(z: number): [number, number][] {
    const z2 = 2 ** z;
    const margin = this.options.buffer / this.options.extent;
    const seen = new Set<number>();
    const out: [number, number][] = [];
    for (let f = 0; f < this.size; f++) {
      const at = f * 4;
      if (!(this.boxes[at]! <= this.boxes[at + 2]!)) continue;
      const clamp = (v: number) => Math.min(z2 - 1, Math.max(0, v));
      const [xa, xb] = [clamp(Math.floor(this.boxes[at]! * z2 - margin)), clamp(Math.floor(this.boxes[at + 2]! * z2 + margin))];
      const [ya, yb] = [clamp(Math.floor(this.boxes[at + 1]! * z2 - margin)), clamp(Math.floor(this.boxes[at + 3]! * z2 + margin))];
      for (let tx = xa; tx <= xb; tx++) {
        for (let ty = ya; ty <= yb; ty++) {
          const key = tx * z2 + ty;
          if (seen.has(key)) continue;
          seen.add(key);
          out.push([tx, ty]);
        }
      }
    }
    return out;
  }
}
