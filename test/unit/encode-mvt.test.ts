// The tile encoder (server/tiles/encode-mvt.ts) against vt-pbf, which it replaces: the
// features the cutters give for the generated corpus, at every zoom, must come out as
// the very bytes vt-pbf's fromGeojsonVt writes for the same features in geojson-vt's form
// — shapes and labels in one tile, properties of every kind.
import { fromGeojsonVt } from '@maplibre/vt-pbf';
import { describe, expect, it } from 'vitest';
import { encodeParts, type TileParts } from '../../server/tiles/encode-mvt.ts';
import { PointCutter } from '../../server/tiles/point-cut.ts';
import { PolygonCutter } from '../../server/tiles/polygon-cut.ts';
import { corpus, nested, OPTIONS, pointCorpus, tilesOver } from '../support/polygon-corpus.ts';

/** vt-pbf's bytes for the same parts. */
function reference(parts: TileParts): Uint8Array | null {
  if (Object.keys(parts).length === 0) return null;
  const layers = Object.fromEntries(Object.entries(parts).map(([name, features]) => [name, { features: features.map(nested) }]));
  return fromGeojsonVt(layers as unknown as Parameters<typeof fromGeojsonVt>[0], { version: 2, extent: OPTIONS.extent });
}

describe('vector tile encoder', () => {
  const shapes = corpus(3, 300);
  // properties of every kind the layers carry: strings, booleans, integers, decimals, negatives
  const tags = shapes.map((f, i) => ({ ...f.properties, ...(i % 4 === 0 ? { fictif: true } : {}), part: i % 7 === 0 ? 0.25 : -i }));
  const polygons = new PolygonCutter(shapes.length, (i) => shapes[i]!.geometry, tags, OPTIONS);
  const labels = pointCorpus(5, 2000);
  const points = new PointCutter(
    labels.map((p) => p.geometry),
    labels.map((p) => ({ ...p.properties!, name: `Commune ${p.properties!.code}`, nul: null })),
    labels.map((p) => p.properties!.minzoom as number),
    OPTIONS.extent,
  );

  it.each([0, 4, 6, 8, 10, 12, 14])('writes the bytes vt-pbf writes, at z%i', (z) => {
    let encoded = 0;
    for (const [x, y] of tilesOver(z, 40)) {
      const parts: TileParts = {};
      const s = polygons.tile(z, x, y);
      if (s) parts.shapes = s;
      const l = points.tile(z, x, y);
      if (l) parts['shapes-label'] = l;
      const ours = encodeParts(parts, OPTIONS.extent);
      expect(ours && Buffer.from(ours).toString('hex'), `${z}/${x}/${y}`).toBe(
        reference(parts) && Buffer.from(reference(parts)!).toString('hex'),
      );
      if (ours) encoded++;
    }
    expect(encoded).toBeGreaterThan(0);
  });
});
