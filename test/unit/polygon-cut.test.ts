// The flat cutters (server/tiles/polygon-cut.ts, point-cut.ts) against their oracle,
// geojson-vt's geoJSONToTile: on generated polygons — many-sided, with holes, multi-part,
// smaller than the simplification, straddling tile edges — every tile at every zoom must
// come out with the same features, rings, points and tags.
import type { MultiPolygon, Point, Polygon } from 'geojson';
import { geoJSONToTile } from '@maplibre/geojson-vt';
import { describe, expect, it } from 'vitest';
import { PointCutter } from '../../server/tiles/point-cut.ts';
import { PolygonCutter } from '../../server/tiles/polygon-cut.ts';
import { corpus, nested, OPTIONS, pointCorpus, tilesOver } from '../support/polygon-corpus.ts';

/** A feature of a geojson-vt tile, as compared. */
type OracleFeature = { type: number; geometry: unknown; tags: Record<string, unknown> | null };

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
      expect((cutter.tile(z, x, y) ?? []).map(nested), `${z}/${x}/${y}`).toEqual(expected);
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
    // empty and one-point rings, as a hand-made file might hold them, beside a real polygon
    const odd: MultiPolygon = { type: 'MultiPolygon', coordinates: [[[]], [[[2, 45.5]]], square(2).coordinates] };
    const geometries = [null, square(3), { type: 'Point', coordinates: [3, 45] } as Point, square(1), odd];
    const tags = [{ a: 1 }, { b: 2 }, { c: 3 }, { d: 4 }, { e: 5 }];
    const mixed = new PolygonCutter(geometries.length, (i) => geometries[i]!, tags, OPTIONS);
    expect(mixed.tile(5, 16, 11)?.map((f) => f.tags)).toEqual([{ b: 2 }, { d: 4 }, { e: 5 }]);
    for (const z of [8, 10, 14]) {
      const [x, y] = tilesOver(z, 10_000).find(([tx, ty]) => mixed.tile(z, tx, ty)?.some((f) => f.tags?.e === 5)) ?? [-1, -1];
      expect(x, `z${z}`).toBeGreaterThanOrEqual(0);
      for (const f of mixed.tile(z, x, y)!) {
        expect(f.xy.every(Number.isInteger)).toBe(true);
        // no ring without a point
        expect(f.ringEnds.every((end, k) => end > (f.ringEnds[k - 1] ?? 0))).toBe(true);
      }
    }
    expect(mixed.tile(5, 0, 0)).toBeNull();
  });
});

describe('point cutter', () => {
  const points = pointCorpus(11, 3000);
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
      expect((cutter.tile(z, x, y) ?? []).map(nested), `${z}/${x}/${y}`).toEqual(expected);
      kept += expected.length;
    }
    expect(kept).toBeGreaterThan(0);
  });
});
