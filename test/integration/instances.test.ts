// Two real instances on one PostgreSQL (issue 18): nothing that matters lives in one
// process. A session opened on A works on B; an import started on A shows its progress on
// B, which refuses a second import of the same layer while it runs; a registry edit on A
// reaches B's scheme tiles within a second (LISTEN/NOTIFY, the 5-second poll left as is).
// PostgreSQL only: the embedded database belongs to one process by nature.
import { spawn } from 'node:child_process';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../server/auth/passwords.ts';
import { createUser } from '../../server/queries/users.ts';
import { materializeSchemes } from '../../core/registry/materialize.ts';
import { backends, startTestServer, type TestServer } from '../support/backends.ts';
import { finishedJob } from '../support/jobs.ts';
import { LARGE_PREFIX, largeRegistryCsv, removeLargeRegistry } from '../support/large-registry.ts';
import { FRANCE } from '../support/france.ts';

const EMAIL = 'planner@instances.test';
const ADMIN = 'admin@instances.test';
const PASSWORD = 'un mot de passe assez long';
const LAYER_NAME = 'Test deux instances';
const SCHEME = 'cls-test-instances';

function tileOf(lon: number, lat: number, z: number): [number, number] {
  const n = 2 ** z;
  const r = (lat * Math.PI) / 180;
  return [Math.floor(((lon + 180) / 360) * n), Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n)];
}

describe.each(backends().filter((b) => b.name === 'postgis'))('two instances on one $name database', (backend) => {
  let a: TestServer;
  let b: TestServer;
  let session: { cookie: string; csrf: string };
  let admin: { cookie: string; csrf: string };
  const send = (server: TestServer, method: string, path: string, body?: string, headers: Record<string, string> = {}) =>
    fetch(server.url + path, { method, headers: { cookie: session.cookie, 'x-csrf-token': session.csrf, ...headers }, body });
  const cleanup = async () => {
    const db = a.db;
    const [{ id } = { id: '' }] = await db.query<{ id: string }>(`SELECT id FROM atlas.layer WHERE name = $1`, [LAYER_NAME]);
    await db.transaction(async (tx) => {
      await tx.query(`DELETE FROM atlas.membership WHERE layer = $1`, [id]);
      await tx.query(`DELETE FROM atlas.perimeter WHERE layer = $1`, [id]);
      await tx.query(`DELETE FROM atlas.layer WHERE id = $1`, [id]);
      await tx.query(`DELETE FROM registry.history WHERE scheme = $1`, [SCHEME]);
      await tx.query(`DELETE FROM registry.scheme WHERE code = $1`, [SCHEME]);
      await materializeSchemes(tx, 'atlas', null);
    });
    await removeLargeRegistry(db);
    await db.query(`DELETE FROM registry.app_user WHERE email IN ($1, $2)`, [EMAIL, ADMIN]);
  };
  const login = async (email: string) => {
    const res = await fetch(`${a.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: PASSWORD }),
    });
    expect(res.status, `login ${email}: ${await res.clone().text()}`).toBe(200);
    return { cookie: res.headers.get('set-cookie')!.split(';')[0]!, csrf: ((await res.json()) as any).csrfToken as string };
  };

  beforeAll(async () => {
    a = await startTestServer(backend);
    b = await startTestServer(backend);
    await cleanup();
    const passwordHash = await hashPassword(PASSWORD);
    await createUser(a.db, { email: EMAIL, name: 'planner', role: 'planner', region: '28', passwordHash, schemes: [] });
    await createUser(a.db, { email: ADMIN, name: 'admin', role: 'admin', region: null, passwordHash, schemes: [] });
    session = await login(EMAIL);
    admin = await login(ADMIN);
  });

  afterAll(async () => {
    if (a) await cleanup();
    await a?.close();
    await b?.close();
  });

  it('signs in on A and shows the session on B', async () => {
    const me = await send(b, 'GET', '/api/auth/me');
    expect(me.status).toBe(200);
    expect(((await me.json()) as any).user.email).toBe(EMAIL);
  });

  it('shows on B an import started on A, and B refuses a second import of the same layer while it runs', { timeout: 300_000 }, async () => {
    const path = `/api/perimeters/import?${new URLSearchParams({ layer: 'other', name: LAYER_NAME, scope: 'pays', filename: 'france.geojson' })}`;
    // an administrator imports for the whole country (a planner may not)
    const asAdmin = { cookie: admin.cookie, 'x-csrf-token': admin.csrf };
    const accepted = await send(a, 'POST', path, FRANCE, asAdmin);
    expect(accepted.status).toBe(202);
    const location = accepted.headers.get('location')!;
    const onB = await send(b, 'GET', location, undefined, asAdmin);
    expect(onB.status).toBe(200);
    expect(await onB.json()).toMatchObject({ status: 'running', kind: 'perimeters', scope: expect.stringMatching(/^perimeters:/) });
    const second = await send(b, 'POST', path, FRANCE, asAdmin);
    expect(second.status).toBe(409);
    expect(((await second.json()) as any).detail).toMatch(/Un import de la couche « Test deux instances » est déjà en cours/);
    // B follows the job to its end
    const job = await finishedJob(b.url, accepted, { cookie: admin.cookie }, { timeoutMs: 280_000 });
    expect(job).toMatchObject({ status: 'succeeded', step: 'terminé' });
    // the layer is free again: a dry run and a real import are both accepted on B
    const third = await finishedJob(b.url, await send(b, 'POST', path, FRANCE, asAdmin), { cookie: admin.cookie }, { timeoutMs: 280_000 });
    expect(third.status).toBe('succeeded');
  });

  it('changes the scheme tile served by B within a second of a registry edit on A', { timeout: 120_000 }, async () => {
    // B's scheme index is built before the edits: what is timed is hearing of them, and one reload
    expect((await fetch(`${b.url}/tiles/scheme/6/32/22.mvt`)).status).toBeLessThan(300);
    const created = await send(
      a,
      'POST',
      '/api/schemes',
      JSON.stringify({ code: SCHEME, type: 'CLS', name: 'CLS de test à deux instances', perimeter: { communes: ['76540'] } }),
      { 'content-type': 'application/json' },
    );
    expect(created.status).toBe(201);
    const [point] = await a.db.query<{ lon: number; lat: number }>(
      `SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (SELECT ST_PointOnSurface(geom) AS p FROM atlas.commune WHERE code = '76540') s`,
    );
    const [x, y] = tileOf(point!.lon, point!.lat, 10);
    const schemesInTile = async () => {
      const res = await fetch(`${b.url}/tiles/scheme/10/${x}/${y}.mvt`);
      if (res.status === 204) return [];
      const vt = new VectorTile(new PbfReader(new Uint8Array(await res.arrayBuffer())));
      const layer = vt.layers.scheme;
      return layer ? Array.from({ length: layer.length }, (_, i) => String(layer.feature(i).properties.code)) : [];
    };
    // B shows the new scheme (creation on A is itself an edit B hears of)
    const t0 = Date.now();
    while (!(await schemesInTile()).includes(SCHEME)) {
      expect(Date.now() - t0).toBeLessThan(1_000);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // moved to Le Havre's neighbour 76351 on A: it leaves B's tile over Rouen within a second
    const read = await fetch(`${a.url}/api/schemes/${SCHEME}`);
    const patched = await send(a, 'PATCH', `/api/schemes/${SCHEME}`, JSON.stringify({ perimeter: { communes: ['76351'] } }), {
      'content-type': 'application/json',
      'if-match': read.headers.get('etag')!,
    });
    expect(patched.status).toBe(200);
    const t1 = Date.now();
    while ((await schemesInTile()).includes(SCHEME)) {
      expect(Date.now() - t1).toBeLessThan(1_000);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    console.log(`[instances] tile of B changed ${Date.now() - t1} ms after the edit on A`);
  });

  it('loses nothing when an instance is killed in the middle of an import', { timeout: 300_000 }, async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/instance-process.ts'], {
      env: { ...process.env, DATABASE_URL: backend.databaseUrl },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const port = await new Promise<number>((resolve, reject) => {
        child.stdout.once('data', (d: Buffer) => resolve((JSON.parse(d.toString()) as { port: number }).port));
        child.once('exit', (code) => reject(new Error(`instance exited with ${code}`)));
      });
      const csv = await largeRegistryCsv(a.db, 1_000, 60);
      const accepted = await fetch(`http://127.0.0.1:${port}/api/registry/import`, {
        method: 'POST',
        headers: { 'content-type': 'text/csv', cookie: admin.cookie, 'x-csrf-token': admin.csrf },
        body: csv,
      });
      expect(accepted.status).toBe(202);
      const location = accepted.headers.get('location')!;
      // B sees the writing under way, then the instance running it dies
      const t0 = Date.now();
      for (;;) {
        const job = (await (await fetch(b.url + location, { headers: { cookie: admin.cookie } })).json()) as any;
        if (job.step === 'écriture des démarches' && job.done > 20) break;
        expect(job.status).toBe('running');
        expect(Date.now() - t0).toBeLessThan(200_000);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
      // its transaction died with it: not one scheme of the file is in the registry or the atlas
      const count = async (sql: string) => ((await b.db.query<{ n: number }>(sql, [`${LARGE_PREFIX}%`]))[0] as { n: number }).n;
      expect(await count(`SELECT count(*)::int AS n FROM registry.scheme WHERE code LIKE $1`)).toBe(0);
      expect(await count(`SELECT count(*)::int AS n FROM atlas.perimeter WHERE layer = 'scheme' AND code LIKE $1`)).toBe(0);
      // once its heartbeat is stale, B reports the job as interrupted and accepts a new registry import
      const job = await finishedJob(b.url, accepted, { cookie: admin.cookie }, { timeoutMs: 120_000 });
      expect(job).toMatchObject({ status: 'failed', error: { detail: expect.stringMatching(/^Import interrompu/) } });
      const again = await fetch(`${b.url}/api/registry/import`, {
        method: 'POST',
        headers: { 'content-type': 'text/csv', cookie: admin.cookie, 'x-csrf-token': admin.csrf },
        body: await largeRegistryCsv(a.db, 1, 1),
      });
      expect(await finishedJob(b.url, again, { cookie: admin.cookie })).toMatchObject({ status: 'succeeded', report: { created: 1 } });
    } finally {
      child.kill('SIGKILL');
    }
  });
});
