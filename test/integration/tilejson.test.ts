// TileJSON 3.0 of every tile source on each backend: valid against the contract, tile URLs
// absolute and working, and its vector_layers (ids and fields) equal to what a real tile of
// the source holds once decoded. MapLibre reading it is the e2e map test's job: the client
// now points every live source at these documents.
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tileJsonSchema, type TileJson } from '../../contract/ogc.ts';
import { backends, startTestServer, type TestServer } from '../support/backends.ts';
import { restoreLotExamples } from '../support/examples.ts';

/** The tile of zoom z holding a point. */
function tileAt(lon: number, lat: number, z: number): [number, number, number] {
  const n = 2 ** z;
  const x = Math.floor(((lon + 180) / 360) * n);
  const rad = (lat * Math.PI) / 180;
  const y = Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n);
  return [z, x, y];
}

/** Every layer of a decoded tile with the union of its features' property names. */
function layersOf(buf: ArrayBuffer): Map<string, Set<string>> {
  const vt = new VectorTile(new PbfReader(new Uint8Array(buf)));
  const out = new Map<string, Set<string>>();
  for (const [name, layer] of Object.entries(vt.layers)) {
    const keys = new Set<string>();
    for (let i = 0; i < layer.length; i++) for (const k of Object.keys(layer.feature(i).properties)) keys.add(k);
    out.set(name, keys);
  }
  return out;
}

describe.each(backends())('TileJSON on $name', (backend) => {
  let server: TestServer;
  const get = (p: string) => fetch(server.url + p);
  const tileJson = async (p: string): Promise<TileJson> => {
    const res = await get(p);
    expect(res.status, p).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    return tileJsonSchema.parse(await res.json());
  };
  /** The label point of the layer's first feature: inside its polygon, so its tile holds both. */
  const pointIn = async (id: string): Promise<[number, number]> => {
    const type = { cls: 'CLS', asv: 'ASV', clsm: 'CLSM', ptsm: 'PTSM' }[id] ?? null;
    const [row] = await server.db.query<{ lon: number; lat: number }>(
      id === 'commune'
        ? `SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (SELECT ST_PointOnSurface(geom) AS p FROM atlas.commune ORDER BY code LIMIT 1) x`
        : `SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (SELECT ST_PointOnSurface(geom) AS p FROM atlas.perimeter
             WHERE layer = $1 AND ($2::text IS NULL OR subtype = $2) AND geom IS NOT NULL ORDER BY code LIMIT 1) x`,
      id === 'commune' ? [] : [type ? 'scheme' : id, type],
    );
    return [row!.lon, row!.lat];
  };

  beforeAll(async () => {
    server = await startTestServer(backend);
    await restoreLotExamples(server.db);
  });
  afterAll(async () => server?.close());

  it('describes every layer of the catalogue and every scheme type, and matches a real tile', async () => {
    const { layers } = await (await get('/api/layers')).json();
    const ids: string[] = [...layers.map((l: { id: string }) => l.id), 'cls', 'asv', 'clsm', 'ptsm'];
    expect(ids.length).toBeGreaterThan(12);
    for (const id of ids) {
      const tj = await tileJson(`/tiles/${id}.json`);
      expect(tj.tiles).toEqual([`${server.url}/tiles/${id}/{z}/{x}/{y}.mvt`]);
      expect([tj.minzoom, tj.maxzoom]).toEqual([0, 14]);
      expect(tj.attribution.length).toBeGreaterThan(5);
      const [minx, miny, maxx, maxy] = tj.bounds;
      expect(minx < maxx && miny < maxy && minx >= -180 && maxy <= 85.06).toBe(true);
      expect(tj.center[0]).toBeGreaterThanOrEqual(minx);
      expect(tj.center[0]).toBeLessThanOrEqual(maxx);

      // a tile holding a feature of the layer and its label
      const [lon, lat] = await pointIn(id);
      expect(lon >= minx && lon <= maxx && lat >= miny && lat <= maxy, `${id}: feature inside bounds`).toBe(true);
      const [z, x, y] = tileAt(lon, lat, 10); // every label shows from zoom 10
      const res = await get(
        tj.tiles[0]!.replace(server.url, '').replace('{z}', String(z)).replace('{x}', String(x)).replace('{y}', String(y)),
      );
      expect(res.status, `${id} tile ${z}/${x}/${y}`).toBe(200);
      const decoded = layersOf(await res.arrayBuffer());
      expect([...decoded.keys()].sort(), id).toEqual(tj.vector_layers.map((l) => l.id).sort());
      for (const vl of tj.vector_layers) {
        const keys = [...decoded.get(vl.id)!];
        // every property in the tile is declared, and every declared field is in the tile,
        // except the flags only some units carry (fictif examples, outline-derived units)
        const OPTIONAL = ['fictif', 'approche'];
        expect(
          keys.every((k) => k in vl.fields),
          `${id} ${vl.id}: ${keys.join(', ')}`,
        ).toBe(true);
        expect(
          Object.keys(vl.fields)
            .filter((f) => !OPTIONAL.includes(f))
            .sort(),
          `${id} ${vl.id}`,
        ).toEqual(keys.filter((k) => !OPTIONAL.includes(k)).sort());
      }
    }
  });

  it('describes a composite source with each layer once, the tile URL keeping the braces', async () => {
    const tj = await tileJson(`/tiles/${encodeURIComponent('{region,departement}')}.json`);
    expect(tj.tiles[0]).toBe(`${server.url}/tiles/%7Bregion%2Cdepartement%7D/{z}/{x}/{y}.mvt`);
    expect(tj.vector_layers.map((l) => l.id)).toEqual(['region', 'region-label', 'departement', 'departement-label']);
    // Puy-de-Dôme at zoom 5: both layers in one tile, as declared
    const res = await get(`/tiles/%7Bregion%2Cdepartement%7D/5/16/11.mvt`);
    const decoded = layersOf(await res.arrayBuffer());
    expect([...decoded.keys()].sort()).toEqual(tj.vector_layers.map((l) => l.id).sort());
    expect(tj.bounds[0]).toBeLessThan(-61); // overseas included
    // a scheme type and the scheme layer share the scheme tiles
    const mixed = await tileJson(`/tiles/${encodeURIComponent('{epci,cls,scheme}')}.json`);
    expect(mixed.vector_layers.map((l) => l.id)).toEqual(['epci', 'epci-label', 'scheme', 'scheme-label']);
    expect(mixed.vector_layers[0]!.fields).toEqual({ code: 'String', type: 'String' });
  });

  it('passes a version on to its tile URLs, and refuses unknown layers and parameters in French', async () => {
    const tj = await tileJson('/tiles/scheme.json?v=1733-2');
    expect(tj.tiles[0]).toBe(`${server.url}/tiles/scheme/{z}/{x}/{y}.mvt?v=1733-2`);
    const cases: [string, number, RegExp][] = [
      ['/tiles/nope.json', 404, /Couche inconnue : « nope »/],
      ['/tiles/Commune!.json', 400, /liste de couches invalide/],
      ['/tiles/commune.json?v=a%20b', 400, /version invalide/],
      ['/tiles/commune.json?x=1', 400, /Paramètre inconnu : x/],
    ];
    for (const [p, status, detail] of cases) {
      const res = await get(p);
      expect(res.status, p).toBe(status);
      expect(res.headers.get('content-type'), p).toMatch(/^application\/problem\+json/);
      expect((await res.json()).detail, p).toMatch(detail);
    }
  });
});
