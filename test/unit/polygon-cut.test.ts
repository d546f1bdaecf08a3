// The flat cutters (server/tiles/polygon-cut.ts, point-cut.ts) against their oracle,
// geojson-vt's geoJSONToTile: on generated polygons — many-sided, with holes, multi-part,
// smaller than the simplification, straddling tile edges — every tile at every zoom must
// come out with the same features, rings, points and tags.
import type { Feature, MultiPolygon, Point, Polygon, Position } from 'geojson';
import { geoJSONToTile } from '@maplibre/geojson-vt';
import { describe, expect, it } from 'vitest';
import { PointCutter } from '../../server/tiles/point-cut.ts';
import { PolygonCutter, type CutOptions } from '../../server/tiles/polygon-cut.ts';

/** A feature of a geojson-vt tile, as compared. */
type OracleFeature = { type: number; geometry: unknown; tags: Record<string, unknown> | null };

/** A reproducible random generator (the same corpus every run). */
function random(seed: number) {
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

function corpus(seed: number, n: number): Feature<Polygon | MultiPolygon>[] {
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

const OPTIONS: CutOptions = { extent: 4096, buffer: 128, tolerance: 16, maxZoom: 14 };

/** Tiles of zoom z over the corpus' area (2–7.5° E, 43–47.5° N), at most `limit` of them spread evenly. */
function tilesOver(z: number, limit: number): [number, number][] {
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

const ZOOMS = [0, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14];

describe('polygon cutter', () => {
  const features = corpus(7, 400);
  const cutter = new PolygonCutter(
    features.length,
    (i) => features[i]!.geometry,
    features.map((f) => f.properties),
    OPTIONS,
  );

  it.each(ZOOMS)('cuts every tile at z%i as geojson-vt does', (z) => {
    let compared = 0;
    let withShapes = 0;
    for (const [x, y] of tilesOver(z, 60)) {
      const oracle = geoJSONToTile({ type: 'FeatureCollection', features }, z, x, y, { ...OPTIONS, clip: true });
      const expected = oracle.features.map((f: OracleFeature) => ({ type: f.type, geometry: f.geometry, tags: f.tags }));
      expect(cutter.tile(z, x, y) ?? [], `${z}/${x}/${y}`).toEqual(expected);
      compared++;
      if (expected.length) withShapes++;
    }
    // the comparison covered tiles that hold shapes, not only empty ones
    expect(withShapes).toBeGreaterThan(0);
    expect(compared).toBeGreaterThanOrEqual(withShapes);
  });

  it('lists the tiles its shapes touch, so that none of them is left out of the pre-cut zooms', () => {
    for (const z of [0, 3, 5]) {
      const listed = new Set(cutter.tilesAt(z).map(([x, y]) => `${x}/${y}`));
      for (const [x, y] of tilesOver(z, 10_000)) {
        if (cutter.tile(z, x, y)) expect(listed.has(`${x}/${y}`), `${z}/${x}/${y}`).toBe(true);
      }
    }
  });

  it('gives a feature without a polygon nothing, and keeps the others in order', () => {
    const square = (lon: number): Polygon => ({
      type: 'Polygon',
      coordinates: [
        [
          [lon, 45],
          [lon + 1, 45],
          [lon + 1, 46],
          [lon, 46],
          [lon, 45],
        ],
      ],
    });
    const geometries = [null, square(3), { type: 'Point', coordinates: [3, 45] } as Point, square(1)];
    const mixed = new PolygonCutter(geometries.length, (i) => geometries[i]!, [{ a: 1 }, { b: 2 }, { c: 3 }, { d: 4 }], OPTIONS);
    expect(mixed.tile(5, 16, 11)?.map((f) => f.tags)).toEqual([{ b: 2 }, { d: 4 }]);
    expect(mixed.tile(5, 0, 0)).toBeNull();
  });
});

describe('point cutter', () => {
  const rand = random(11);
  const points: Feature<Point>[] = Array.from({ length: 3000 }, (_, i) => ({
    type: 'Feature',
    properties: { code: String(i), minzoom: i % 11 },
    geometry: { type: 'Point', coordinates: [+(1.5 + 6 * rand()).toFixed(5), +(43 + 4.5 * rand()).toFixed(5)] },
  }));
  const cutter = new PointCutter(
    points.map((p) => p.geometry),
    points.map((p) => p.properties!),
    points.map((p) => p.properties!.minzoom as number),
    4096,
  );

  it.each(ZOOMS)('keeps the points of each tile at z%i as geojson-vt does, from their own zoom', (z) => {
    let kept = 0;
    for (const [x, y] of tilesOver(z, 60)) {
      const oracle = geoJSONToTile({ type: 'FeatureCollection', features: points }, z, x, y, {
        extent: 4096,
        buffer: 0,
        maxZoom: 14,
        clip: true,
      });
      const expected = oracle.features
        .filter((f: OracleFeature) => Number(f.tags?.minzoom) <= z)
        .map((f: OracleFeature) => ({ type: f.type, geometry: f.geometry, tags: f.tags }));
      expect(cutter.tile(z, x, y) ?? [], `${z}/${x}/${y}`).toEqual(expected);
      kept += expected.length;
    }
    expect(kept).toBeGreaterThan(0);
  });
});
