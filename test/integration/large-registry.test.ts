// The registry import that bricked the server (1,000 schemes × 60 communes, accepted,
// then every start ran out of memory loading tiles): it is accepted, and a fresh tile
// store then builds every layer's index and serves a scheme tile. Beyond the limits of
// server/registry/limits.ts an import is refused at once with a French 413 naming them.
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../server/auth/passwords.ts';
import { listLayers } from '../../server/queries/layers.ts';
import { createUser } from '../../server/queries/users.ts';
import { MAX_IMPORT_MEMBERSHIPS, MAX_IMPORT_SCHEMES } from '../../server/registry/limits.ts';
import { TileStore } from '../../server/tiles/store.ts';
import { backends, startTestServer, type TestServer } from '../support/backends.ts';
import { finishedJob } from '../support/jobs.ts';
import { LARGE_PREFIX, largeRegistryCsv, removeLargeRegistry } from '../support/large-registry.ts';

function tileOf(lon: number, lat: number, z: number): [number, number] {
  const n = 2 ** z;
  const r = (lat * Math.PI) / 180;
  return [Math.floor(((lon + 180) / 360) * n), Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n)];
}

const EMAIL = 'admin@grand-registre.test';
const PASSWORD = 'un mot de passe assez long';

describe.each(backends())('a large registry on $name', (backend) => {
  let server: TestServer;
  let session: { cookie: string; csrf: string };
  const post = (csv: string) =>
    fetch(`${server.url}/api/registry/import`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv', cookie: session.cookie, 'x-csrf-token': session.csrf },
      body: csv,
    });

  beforeAll(async () => {
    server = await startTestServer(backend);
    await removeLargeRegistry(server.db);
    await server.db.query(`DELETE FROM registry.app_user WHERE email = $1`, [EMAIL]);
    await createUser(server.db, {
      email: EMAIL,
      name: 'admin',
      role: 'admin',
      region: null,
      passwordHash: await hashPassword(PASSWORD),
      schemes: [],
    });
    const res = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: EMAIL, password: PASSWORD }),
    });
    session = { cookie: res.headers.get('set-cookie')!.split(';')[0]!, csrf: ((await res.json()) as any).csrfToken };
  });

  afterAll(async () => {
    if (!server) return;
    await removeLargeRegistry(server.db);
    await server.db.query(`DELETE FROM registry.app_user WHERE email = $1`, [EMAIL]);
    await server.close();
  });

  it('refuses a registry beyond its limits with a French 413 naming them, before any job', async () => {
    const tooMany = await post(await largeRegistryCsv(server.db, MAX_IMPORT_SCHEMES + 1, 1));
    expect(tooMany.status).toBe(413);
    expect(((await tooMany.json()) as any).detail).toMatch(/2\s001 démarches \(limite 2\s000 par import\)/);
    const tooLarge = await post(await largeRegistryCsv(server.db, 1_000, MAX_IMPORT_MEMBERSHIPS / 1_000 + 1));
    expect(tooLarge.status).toBe(413);
    expect(((await tooLarge.json()) as any).detail).toMatch(/121\s000 communes listées.*limite 120\s000/);
    const [{ n }] = (await server.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM registry.scheme WHERE code LIKE $1`, [
      `${LARGE_PREFIX}%`,
    ])) as [{ n: number }];
    expect(n).toBe(0);
  });

  it('imports 1,000 schemes × 60 communes, after which a fresh tile store loads and serves them', { timeout: 900_000 }, async () => {
    const csv = await largeRegistryCsv(server.db, 1_000, 60);
    expect(csv.length).toBeGreaterThan(400_000);
    const t0 = Date.now();
    const steps = new Map<string, number>();
    const job = await finishedJob(
      server.url,
      await post(csv),
      { cookie: session.cookie },
      { timeoutMs: 900_000, onPoll: (j) => steps.set(j.step, steps.get(j.step) ?? Date.now() - t0) },
    );
    const importMs = Date.now() - t0;
    expect(job).toMatchObject({ status: 'succeeded', report: { created: 1_000, updated: 0 }, done: 1_000, total: 1_000 });

    // a start: a new tile store builds every layer's index, then serves a scheme tile
    const t1 = Date.now();
    const fresh = new TileStore(server.db);
    try {
      await fresh.warm((await listLayers(server.db)).map((l) => l.id));
      const startMs = Date.now() - t1;
      const { cutterHeapMb } = await fresh.stats();
      // the tile at z10 over the first commune of France, which the first fictitious scheme holds
      const [point] = await server.db.query<{ lon: number; lat: number }>(
        `SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (SELECT ST_PointOnSurface(geom) AS p FROM atlas.commune ORDER BY code LIMIT 1) s`,
      );
      const [x, y] = tileOf(point!.lon, point!.lat, 10);
      const tile = await fresh.tile(['scheme'], 10, x, y);
      expect(tile).not.toBeNull();
      const vt = new VectorTile(new PbfReader(gunzipSync(tile!.gzipped)));
      const codes = new Set<string>();
      for (let i = 0; i < vt.layers.scheme!.length; i++) codes.add(String(vt.layers.scheme!.feature(i).properties.code));
      expect(codes).toContain(`${LARGE_PREFIX}0`);
      console.log(
        `[large registry ${backend.name}] import ${(importMs / 1000).toFixed(1)} s, fresh tile store ${(startMs / 1000).toFixed(1)} s (cutter heap ${Math.round(cutterHeapMb)} MB); steps first seen (ms) ${JSON.stringify(Object.fromEntries(steps))}`,
      );
    } finally {
      await fresh.close();
    }
  });
});
