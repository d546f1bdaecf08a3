// After an import, a reference layer's tiles keep coming from the previous data while the
// new indexes are built in the background, then from the new data; a registry edit shows
// in the very next tile. A name changed in the database is what the tiles must show.
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../core/db/db.ts';
import { TileStore, type EncodedTile } from '../../server/tiles/store.ts';
import { gunzipSync } from 'node:zlib';
import { backends, openBackend } from '../support/backends.ts';

// Issoire (Puy-de-Dôme): communes at z12, the CLS of the Agglo Pays d'Issoire at z8
const Z12 = [12, 2085, 1464] as const;
const Z8 = [8, 130, 91] as const;
const SCHEME = 'cls-agglo-pays-issoire';
const SUFFIX = ' (renommée)';

function labels(tile: EncodedTile | null, layer: string) {
  expect(tile).not.toBeNull();
  const vt = new VectorTile(new PbfReader(gunzipSync(tile!.gzipped)));
  const l = vt.layers[`${layer}-label`]!;
  return Array.from({ length: l.length }, (_, i) => {
    const f = l.feature(i);
    return { code: String(f.properties.code), name: String(f.properties.name), at: f.loadGeometry()[0]![0]! };
  });
}

const nameOf = (tile: EncodedTile | null, layer: string, code: string) => labels(tile, layer).find((l) => l.code === code)?.name;

describe.each(backends())('tiles after a change, on $name', (backend) => {
  let db: Db;
  let store: TileStore;

  beforeAll(async () => {
    db = await openBackend(backend);
    store = new TileStore(db);
  });
  afterAll(async () => {
    // whatever happened, the shared test data gets its names back
    await db?.query(`UPDATE atlas.commune SET name = left(name, -length($1)) WHERE name LIKE '%' || $1`, [SUFFIX]);
    await db?.query(`UPDATE atlas.perimeter SET name = left(name, -length($1)) WHERE name LIKE '%' || $1`, [SUFFIX]);
    await store?.close();
    await db?.close();
  });

  it('serves the previous communes while they are indexed again, then the new ones', async () => {
    const [z, x, y] = Z12;
    const before = labels(await store.tile(['commune'], z, x, y), 'commune');
    const { code, name, at } = before[0]!;
    // the z13 tile holding that commune's label, never asked yet: it must be cut after the change
    const child = [z + 1, 2 * x + (at.x >= 2048 ? 1 : 0), 2 * y + (at.y >= 2048 ? 1 : 0)] as const;
    await db.query(`UPDATE atlas.commune SET name = name || $2 WHERE code = $1`, [code, SUFFIX]);
    store.invalidate('commune');

    // answered by the indexes already built: the tile in cache and a new cut, both from before
    const [cachedDuring, cutDuring] = await Promise.all([store.tile(['commune'], z, x, y), store.tile(['commune'], ...child)]);
    expect(nameOf(cachedDuring, 'commune', code)).toBe(name);
    expect(nameOf(cutDuring, 'commune', code)).toBe(name);

    await store.rebuilt();
    expect(nameOf(await store.tile(['commune'], z, x, y), 'commune', code)).toBe(name + SUFFIX);
    expect(nameOf(await store.tile(['commune'], ...child), 'commune', code)).toBe(name + SUFFIX);
    await db.query(`UPDATE atlas.commune SET name = $2 WHERE code = $1`, [code, name]);
  });

  it('shows a registry edit in the next tile, without waiting for a rebuild', async () => {
    const [z, x, y] = Z8;
    const name = nameOf(await store.tile(['scheme', 'epci'], z, x, y), 'scheme', SCHEME);
    expect(name).toBeDefined();
    await db.query(`UPDATE atlas.perimeter SET name = name || $2 WHERE layer = 'scheme' AND code = $1`, [SCHEME, SUFFIX]);
    store.invalidate('scheme');
    expect(nameOf(await store.tile(['scheme', 'epci'], z, x, y), 'scheme', SCHEME)).toBe(name + SUFFIX);
    await db.query(`UPDATE atlas.perimeter SET name = $2 WHERE layer = 'scheme' AND code = $1`, [SCHEME, name]);
  });
});
