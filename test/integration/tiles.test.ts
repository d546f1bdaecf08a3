// Vector tiles on each backend: decodable, generalised per zoom, composite, cached with
// ETag, invalidated after an edit, and the same bytes whatever the database.
import { createHash } from 'node:crypto';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Feature } from 'geojson';
import { geoJSONToTile } from '@maplibre/geojson-vt';
import { layerFeatures } from '../../server/queries/tiles.ts';
import { LayerIndex, SHAPE_BUFFER } from '../../server/tiles/layer-index.ts';
import { TileStore } from '../../server/tiles/store.ts';
import { nested } from '../support/polygon-corpus.ts';
import { backends, startTestServer, type TestServer } from '../support/backends.ts';

/** A feature of a geojson-vt tile, as compared. */
type OracleFeature = { type: number; geometry: unknown; tags: Record<string, unknown> | null };

// Tiles around Clermont-Ferrand / Issoire (Puy-de-Dôme)
const TILES = { z5: '5/16/11', z8: '8/130/91', z12: '12/2085/1464' };

const bodies = new Map<string, Map<string, string>>();

function decode(buf: ArrayBuffer) {
  return new VectorTile(new PbfReader(new Uint8Array(buf)));
}

describe.each(backends())('tiles on $name', (backend) => {
  let server: TestServer;
  const get = (p: string, headers: Record<string, string> = {}) => fetch(server.url + p, { headers });
  const tile = async (p: string) => {
    const res = await get(p);
    expect(res.status, p).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.mapbox-vector-tile');
    const buf = await res.arrayBuffer();
    const sums = bodies.get(p) ?? new Map();
    sums.set(backend.name, createHash('sha1').update(new Uint8Array(buf)).digest('hex'));
    bodies.set(p, sums);
    return { res, vt: decode(buf), bytes: buf.byteLength };
  };

  beforeAll(async () => {
    server = await startTestServer(backend);
  });
  afterAll(async () => server?.close());

  it('serves every commune of the tile with its code, and labels by zoom', async () => {
    const { vt } = await tile(`/tiles/commune/${TILES.z12}.mvt`);
    const layer = vt.layers.commune!;
    expect(layer.length).toBeGreaterThan(3);
    const codes = Array.from({ length: layer.length }, (_, i) => String(layer.feature(i).properties.code));
    expect(codes.every((c) => /^(\d{5}|2[AB]\d{3})$/.test(c))).toBe(true);
    expect(layer.feature(0).type).toBe(3); // polygon
    const labels = vt.layers['commune-label']!;
    expect(labels.feature(0).type).toBe(1); // point
    expect(typeof labels.feature(0).properties.name).toBe('string');
    // at z5 only the large towns are labelled
    const low = (await tile(`/tiles/commune/${TILES.z5}.mvt`)).vt.layers['commune-label']!;
    const pops = Array.from({ length: low.length }, (_, i) => Number(low.feature(i).properties.population));
    expect(pops.length).toBeGreaterThan(0);
    expect(Math.min(...pops)).toBeGreaterThanOrEqual(100_000);
  });

  it('generalises geometry so that a low-zoom tile of all communes stays small', async () => {
    const z5 = await tile(`/tiles/commune/${TILES.z5}.mvt`);
    const communesInTile = z5.vt.layers.commune!.length;
    expect(communesInTile).toBeGreaterThan(1000);
    // under 60 bytes per commune: outlines are simplified to the pixel
    expect(z5.bytes / communesInTile).toBeLessThan(60);
  });

  it('serves several layers in one composite tile', async () => {
    const { vt } = await tile(`/tiles/${encodeURIComponent('{epci,scheme,departement}')}/${TILES.z8}.mvt`);
    expect(Object.keys(vt.layers).sort()).toEqual(
      ['departement', 'departement-label', 'epci', 'epci-label', 'scheme', 'scheme-label'].sort(),
    );
    const schemes = vt.layers.scheme!;
    const codes = Array.from({ length: schemes.length }, (_, i) => schemes.feature(i).properties.code);
    expect(codes).toContain('cls-agglo-pays-issoire');
    const plain = await tile(`/tiles/epci,cls/${TILES.z8}.mvt`);
    expect(Object.keys(plain.vt.layers)).toContain('scheme');
  });

  it('answers 204 for an empty tile and 304 for a known ETag', async () => {
    const ocean = await get('/tiles/commune/5/12/10.mvt'); // middle of the Atlantic
    expect(ocean.status).toBe(204);
    const { res } = await tile(`/tiles/epci/${TILES.z8}.mvt`);
    const etag = res.headers.get('etag')!;
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(res.headers.get('cache-control')).toMatch(/max-age=\d+/);
    expect((await get(`/tiles/epci/${TILES.z8}.mvt`, { 'if-none-match': etag })).status).toBe(304);
  });

  it('gzips for clients that accept it', async () => {
    const res = await get(`/tiles/commune/${TILES.z8}.mvt`, { 'accept-encoding': 'gzip' });
    expect(res.headers.get('content-encoding')).toBe('gzip');
    const vt = decode(await res.arrayBuffer()); // fetch inflates it
    expect(vt.layers.commune!.length).toBeGreaterThan(10);
  });

  it('answers a tile already encoded with the same bytes and headers, gzipped or not', async () => {
    const path = `/tiles/${encodeURIComponent('{commune,epci}')}/${TILES.z8}.mvt`;
    const first = await get(path, { 'accept-encoding': 'gzip' }); // cut, through Express
    const again = await get(path, { 'accept-encoding': 'gzip' }); // from the cache, before Express
    const plain = await get(path, { 'accept-encoding': 'identity' });
    const [a, b, c] = await Promise.all([first, again, plain].map(async (r) => new Uint8Array(await r.arrayBuffer())));
    expect(Buffer.from(b!).equals(Buffer.from(a!))).toBe(true);
    expect(Buffer.from(c!).equals(Buffer.from(a!))).toBe(true);
    for (const h of ['etag', 'cache-control', 'content-type', 'vary']) expect(again.headers.get(h), h).toBe(first.headers.get(h));
    expect(again.headers.get('content-encoding')).toBe('gzip');
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(decode(c!.buffer as ArrayBuffer).layers.epci!.length).toBeGreaterThan(3);
    // a request the cache cannot answer still gets its French problem
    expect((await get(`/tiles/commune/5/40/11.mvt`)).status).toBe(400);
  });

  it('cuts the real communes and EPCI exactly as geojson-vt would, at every zoom', async () => {
    // polygon-cut.ts and point-cut.ts against geojson-vt's geoJSONToTile on the imported
    // layers: the tiles around Issoire, from France at z5 down to z14
    for (const layer of ['commune', 'epci']) {
      const rows = await layerFeatures(server.db, layer);
      const index = new LayerIndex(layer, rows);
      const shapes: Feature[] = rows.map((r) => ({
        type: 'Feature',
        properties: { code: r.code, ...(r.type ? { type: r.type } : {}), ...(r.fictif ? { fictif: true } : {}) },
        geometry: JSON.parse(r.geometry),
      }));
      const labels: Feature[] = rows.map((r) => ({ type: 'Feature', properties: { code: r.code }, geometry: JSON.parse(r.label) }));
      const [lon, lat] = [3.25, 45.54];
      let features = 0;
      for (let z = 5; z <= 14; z++) {
        const n = 2 ** z;
        const x = Math.floor(((lon + 180) / 360) * n);
        const y = Math.floor(((1 - Math.log(Math.tan((lat * Math.PI) / 180) + 1 / Math.cos((lat * Math.PI) / 180)) / Math.PI) / 2) * n);
        const parts = index.parts(z, x, y);
        const options = { extent: 4096, buffer: SHAPE_BUFFER, tolerance: 16, maxZoom: 14, clip: true };
        const oracle = geoJSONToTile({ type: 'FeatureCollection', features: shapes }, z, x, y, options).features;
        expect((parts[layer] ?? []).map(nested), `${layer} ${z}/${x}/${y}`).toEqual(
          oracle.map((f: OracleFeature) => ({ type: f.type, geometry: f.geometry, tags: f.tags })),
        );
        const points = geoJSONToTile({ type: 'FeatureCollection', features: labels }, z, x, y, { ...options, buffer: 0 }).features;
        const shown = (parts[`${layer}-label`] ?? []).map(nested).map((f) => ({ geometry: f.geometry, code: f.tags?.code }));
        const expected = points.map((f: OracleFeature) => ({ geometry: f.geometry, code: f.tags?.code }));
        // every label shown is where geojson-vt puts it; small communes wait for their zoom
        expect(
          shown.every((s) =>
            expected.some(
              (e: { code: unknown; geometry: unknown }) => e.code === s.code && JSON.stringify(e.geometry) === JSON.stringify(s.geometry),
            ),
          ),
        ).toBe(true);
        if (z >= 10) expect(shown).toEqual(expected);
        features += oracle.length;
      }
      expect(features, layer).toBeGreaterThan(10);
    }
  });

  it('restarts a cutter that ran out of memory with twice the heap, and cuts the same tile', async () => {
    const lost: string[] = [];
    const cramped = new TileStore(server.db, { heapLimitMb: 16, onCutterLost: (why) => lost.push(why) });
    try {
      let tile = null;
      for (let attempt = 0; attempt < 6 && !tile; attempt++) tile = await cramped.tile(['commune'], 8, 130, 91).catch(() => null);
      expect(lost.length).toBeGreaterThan(0);
      expect(lost[0]).toMatch(/next heap limit 32 MB/);
      expect(tile?.gzipped.equals((await server.tiles.tile(['commune'], 8, 130, 91))!.gzipped)).toBe(true);
    } finally {
      await cramped.close();
    }
    // up to six loads of every commune, each after a worker start: a loaded machine needs more than a minute
  }, 180_000);

  it('rejects bad tile requests with a French problem', async () => {
    for (const [p, status] of [
      ['/tiles/galaxie/5/16/11.mvt', 404],
      ['/tiles/commune/5/40/11.mvt', 400],
      ['/tiles/commune/25/1/1.mvt', 400],
      ['/tiles/commune/a/1/1.mvt', 400],
      ['/tiles/Commune;drop/5/16/11.mvt', 400],
    ] as const) {
      const res = await get(p);
      expect(res.status, p).toBe(status);
      expect(res.headers.get('content-type')).toMatch(/problem\+json/);
      expect(((await res.json()) as { detail: string }).detail.length).toBeGreaterThan(5);
    }
  });
});

describe('tiles across backends', () => {
  it('are byte for byte the same on PostGIS and on the embedded database', () => {
    const names = backends().map((b) => b.name);
    expect(bodies.size).toBeGreaterThan(3);
    for (const [p, sums] of bodies) {
      expect([...sums.keys()].sort(), p).toEqual([...names].sort());
      expect(new Set(sums.values()).size, p).toBe(1);
    }
  });
});
