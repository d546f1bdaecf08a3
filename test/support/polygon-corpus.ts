// Generated polygons and points for the tile cutter and encoder tests: many-sided, with
// holes, multi-part, smaller than the simplification, straddling tile edges, over
// 2–7.5° E, 43–47.5° N; the same corpus every run. Also converts a cut feature to the
// nested form geojson-vt gives, to compare with it.
import type { Feature, MultiPolygon, Point, Polygon, Position } from 'geojson';
import type { CutOptions, TileFeature } from '../../server/tiles/polygon-cut.ts';

/** A reproducible random generator (the same corpus every run). */
export function random(seed: number) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

/** A closed ring of `sides` points around a centre, radius jittered (jagged like a commune's outline). */
function ring(rand: () => number, lon: number, lat: number, radius: number, sides: number, reverse = false): Position[] {
  const pts: Position[] = [];
  for (let i = 0; i < sides; i++) {
    const a = (2 * Math.PI * i) / sides;
    const r = radius * (0.6 + 0.4 * rand());
    pts.push([+(lon + r * Math.cos(a)).toFixed(5), +(lat + r * Math.sin(a)).toFixed(5)]);
  }
  if (reverse) pts.reverse();
  pts.push(pts[0]!);
  return pts;
}

export function corpus(seed: number, n: number): Feature<Polygon | MultiPolygon>[] {
  const rand = random(seed);
  const out: Feature<Polygon | MultiPolygon>[] = [];
  for (let i = 0; i < n; i++) {
    const lon = 2 + 3 * rand();
    const lat = 44 + 2.5 * rand();
    // from a few metres (dropped by simplification at low zoom) to a département
    const radius = [0.0005, 0.01, 0.05, 0.3, 1][i % 5]! * (0.5 + rand());
    const sides = [4, 12, 60, 400][Math.floor(rand() * 4)]!;
    const outer = ring(rand, lon, lat, radius, sides);
    const polygon: Position[][] = [outer];
    if (rand() < 0.3) polygon.push(ring(rand, lon, lat, radius * 0.3, 8 + Math.floor(rand() * 40), true));
    const tags = { code: String(i).padStart(5, '0'), ...(i % 3 ? { type: 'cls' } : {}) };
    if (rand() < 0.4) {
      const other = [ring(rand, lon + radius * 2.5, lat, radius * 0.5, sides)];
      out.push({ type: 'Feature', properties: tags, geometry: { type: 'MultiPolygon', coordinates: [polygon, other] } });
    } else out.push({ type: 'Feature', properties: tags, geometry: { type: 'Polygon', coordinates: polygon } });
  }
  return out;
}

export const OPTIONS: CutOptions = { extent: 4096, buffer: 128, tolerance: 16, maxZoom: 14 };

/** Tiles of zoom z over the corpus' area (2–7.5° E, 43–47.5° N), at most `limit` of them spread evenly. */
export function tilesOver(z: number, limit: number): [number, number][] {
  const n = 2 ** z;
  const tx = (lon: number) => Math.floor(((lon + 180) / 360) * n);
  const ty = (lat: number) => {
    const r = (lat * Math.PI) / 180;
    return Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n);
  };
  const all: [number, number][] = [];
  for (let x = tx(1.5); x <= tx(8); x++) for (let y = ty(47.8); y <= ty(42.8); y++) all.push([x, y]);
  const step = Math.max(1, Math.floor(all.length / limit));
  return all.filter((_, i) => i % step === 0);
}

/** Random label points over the same area, each shown from zoom `i % 11`. */
export function pointCorpus(seed: number, n: number): Feature<Point>[] {
  const rand = random(seed);
  return Array.from({ length: n }, (_, i) => ({
    type: 'Feature',
    properties: { code: String(i), minzoom: i % 11 },
    geometry: { type: 'Point', coordinates: [+(1.5 + 6 * rand()).toFixed(5), +(43 + 4.5 * rand()).toFixed(5)] },
  }));
}

/** A cut feature as geojson-vt gives it: [x, y] pairs, in rings for polygons. */
export function nested(f: TileFeature): {
  type: number;
  geometry: [number, number][] | [number, number][][];
  tags: Record<string, unknown> | null;
} {
  const rings: [number, number][][] = [];
  let start = 0;
  for (const end of f.ringEnds) {
    const ring: [number, number][] = [];
    for (let i = start; i < end; i += 2) ring.push([f.xy[i]!, f.xy[i + 1]!]);
    rings.push(ring);
    start = end;
  }
  return { type: f.type, geometry: f.type === 1 ? rings[0]! : rings, tags: f.tags };
}
