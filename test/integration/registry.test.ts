// Registry editing over HTTP on every backend: the permission matrix, CSRF, optimistic
// locking, validation that saves nothing, history, referents, CSV round-trip, and the
// scheme tiles following an edit.
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../server/auth/passwords.ts';
import { createUser } from '../../server/queries/users.ts';
import { materializeSchemes } from '../../core/registry/materialize.ts';
import { backends, startTestServer, type TestServer } from '../support/backends.ts';
import { finishedJob } from '../support/jobs.ts';

const PASSWORD = 'correct horse battery staple';
const DOMAIN = '@registre.test';
const ROLES = {
  admin: { role: 'admin', region: null, schemes: [] },
  coordinator: { role: 'coordinator', region: null, schemes: ['cls-test-cahors'] },
  otherCoordinator: { role: 'coordinator', region: null, schemes: ['cls-cergy'] },
  planner: { role: 'planner', region: '76', schemes: [] },
  otherPlanner: { role: 'planner', region: '11', schemes: [] },
} as const;
type Actor = keyof typeof ROLES | 'visitor';

describe.each(backends())('registry on $name', (backend) => {
  let server: TestServer;
  const sessions = new Map<Actor, { cookie: string; csrf: string }>();

  async function call(method: string, path: string, as: Actor, body?: unknown, headers: Record<string, string> = {}) {
    const s = sessions.get(as);
    return fetch(server.url + path, {
      method,
      headers: {
        ...(body !== undefined && typeof body !== 'string' ? { 'content-type': 'application/json' } : {}),
        ...(s ? { cookie: s.cookie, 'x-csrf-token': s.csrf } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
  }
  const read = async (code: string) => {
    const res = await call('GET', `/api/schemes/${code}`, 'visitor');
    expect(res.status).toBe(200);
    return { etag: res.headers.get('etag')!, scheme: ((await res.json()) as any).scheme };
  };
  /** A CLS on the Grand Cahors agglomeration, created by the admin. */
  const createCahorsCls = (code: string, name: string, more: Record<string, unknown> = {}) =>
    call('POST', '/api/schemes', 'admin', { code, type: 'CLS', name, bearerType: 'EPCI', perimeter: { epci: ['200023737'] }, ...more });

  const cleanup = async () => {
    await server.db.query(`DELETE FROM registry.scheme WHERE code LIKE 'cls-test-%'`);
    await server.db.query(`DELETE FROM registry.history WHERE scheme LIKE 'cls-test-%'`);
    await server.db.query(`DELETE FROM registry.app_user WHERE email LIKE $1`, [`%${DOMAIN}`]);
    await server.db.query(`DELETE FROM registry.login_throttle WHERE key LIKE $1`, [`%${DOMAIN}`]);
    await server.db.query(`DELETE FROM atlas.perimeter WHERE layer = 'scheme' AND code LIKE 'cls-test-%'`);
    await server.db.query(`DELETE FROM atlas.membership WHERE layer = 'scheme' AND code LIKE 'cls-test-%'`);
  };

  beforeAll(async () => {
    server = await startTestServer(backend);
    await cleanup();
    const hash = await hashPassword(PASSWORD);
    for (const [name, r] of Object.entries(ROLES)) {
      await createUser(server.db, {
        email: `${name}${DOMAIN}`,
        name,
        role: r.role,
        region: r.region,
        passwordHash: hash,
        schemes: [...r.schemes],
      });
      const res = await call('POST', '/api/auth/login', 'visitor', { email: `${name}${DOMAIN}`, password: PASSWORD });
      expect(res.status, name).toBe(200);
      const cookie = res.headers.get('set-cookie')!;
      expect(cookie).toMatch(/mf_session=[\w-]+;.*HttpOnly/i);
      expect(cookie).toMatch(/SameSite=Strict/i);
      sessions.set(name as Actor, { cookie: cookie.split(';')[0]!, csrf: ((await res.json()) as any).csrfToken });
    }
    // the scheme every test edits: a CLS on the Grand Cahors agglomeration (Lot, Occitanie)
    const res = await createCahorsCls('cls-test-cahors', 'CLS de test du Grand Cahors', {
      themes: ['santé mentale'],
      coordinationFte: 0.8,
    });
    expect(res.status).toBe(201);
  });

  afterAll(async () => {
    if (server) {
      await cleanup();
      await server.db.transaction((tx) => materializeSchemes(tx, 'atlas', null));
      await server.close();
    }
  });

  it('finds a scheme by its name as soon as it is created or renamed, and the territories as before', async () => {
    const search = async (q: string) =>
      ((await (await call('GET', `/api/search?q=${encodeURIComponent(q)}&limit=5`, 'visitor')).json()) as any).results.map(
        (r: any) => `${r.layer}:${r.code}`,
      );
    expect(await search('cls de test du grand cahors')).toContain('scheme:cls-test-cahors');
    const created = await createCahorsCls('cls-test-recherche', 'CLS Zéphyrine de test');
    expect(created.status).toBe(201);
    expect(await search('zephyrine')).toEqual(['scheme:cls-test-recherche']);
    // the reference territories are still found, typos included, beside the new scheme
    expect((await search('cahors'))[0]).toBe('commune:46042');
    expect(await search('cahros')).toContain('commune:46042');
    const { etag } = await read('cls-test-recherche');
    const renamed = await call(
      'PATCH',
      '/api/schemes/cls-test-recherche',
      'admin',
      { name: 'CLS Philomène de test' },
      { 'if-match': etag },
    );
    expect(renamed.status).toBe(200);
    expect(await search('philomene')).toEqual(['scheme:cls-test-recherche']);
    expect(await search('zephyrine')).toEqual([]);
  });

  it('materialises a created scheme in the atlas with its region', async () => {
    const sheet = (await (await call('GET', '/api/territories/cls/cls-test-cahors', 'visitor')).json()) as any;
    const epci = (await (await call('GET', '/api/territories/epci/200023737', 'visitor')).json()) as any;
    expect(sheet.communeCount).toBe(epci.communeCount);
    expect(sheet.population).toBe(epci.population);
    expect(sheet.scheme).toMatchObject({ type: 'CLS', region: '76', coordinationFte: 0.8, themes: ['santé mentale'] });
    const { etag } = await read('cls-test-cahors');
    expect(etag).toBe('"v1"');
  });

  it('enforces the permission matrix for edits and referents', async () => {
    const expected: Record<Actor, number> = {
      visitor: 401,
      coordinator: 200,
      otherCoordinator: 403,
      planner: 200,
      otherPlanner: 403,
      admin: 200,
    };
    for (const [actor, status] of Object.entries(expected) as [Actor, number][]) {
      const { etag } = await read('cls-test-cahors');
      const res = await call('PATCH', '/api/schemes/cls-test-cahors', actor, { remark: `par ${actor}` }, { 'if-match': etag });
      expect(res.status, `PATCH as ${actor}`).toBe(status);
      const ref = await call('PUT', '/api/schemes/cls-test-cahors/referents/46042', actor, { name: `Élu ${actor}`, hasCommittee: true });
      expect(ref.status, `PUT referent as ${actor}`).toBe(status === 200 ? 204 : status);
    }
    const { scheme } = await read('cls-test-cahors');
    expect(scheme.remark).toBe('par admin');
  });

  it('enforces the permission matrix for creation, closing, accounts and imports', async () => {
    const lot = { type: 'ASV', name: 'ASV de test', perimeter: { communes: ['46042'] } };
    const gapCodes = async () =>
      ((await (await call('GET', '/api/gaps?layer=asv&within=departement:46', 'visitor')).json()) as any).uncovered.communes.map(
        (c: any) => c.code,
      );
    expect(await gapCodes()).toContain('46042');
    const create: Record<Actor, number> = {
      visitor: 401,
      coordinator: 403,
      otherCoordinator: 403,
      planner: 201,
      otherPlanner: 403,
      admin: 201,
    };
    for (const [actor, status] of Object.entries(create) as [Actor, number][]) {
      const res = await call('POST', '/api/schemes', actor, { ...lot, code: `cls-test-asv-${actor.toLowerCase()}` });
      expect(res.status, `POST as ${actor}`).toBe(status);
    }
    const close: Record<Actor, number> = {
      visitor: 401,
      coordinator: 403,
      otherCoordinator: 403,
      otherPlanner: 403,
      planner: 200,
      admin: 409,
    };
    for (const [actor, status] of Object.entries(close) as [Actor, number][]) {
      const res = await call('DELETE', '/api/schemes/cls-test-asv-planner', actor);
      expect(res.status, `DELETE as ${actor}`).toBe(status);
    }
    expect((await read('cls-test-asv-planner')).scheme.status).toBe('termine');
    // cached gap analyses follow the registry
    expect(await gapCodes()).not.toContain('46042');
    const newUser = { email: `nouveau${DOMAIN}`, name: 'Nouveau', role: 'coordinator', password: 'un mot de passe long' };
    for (const [actor, status] of [
      ['visitor', 401],
      ['coordinator', 403],
      ['planner', 403],
      ['admin', 201],
    ] as const) {
      expect((await call('POST', '/api/users', actor, newUser)).status, `POST /api/users as ${actor}`).toBe(status);
    }
    // a planner may import within their région (test/integration/registry-honesty.test.ts): this file is refused for its content
    for (const [actor, status] of [
      ['visitor', 401],
      ['coordinator', 403],
      ['planner', 422],
    ] as const) {
      expect((await call('POST', '/api/registry/import', actor, 'code;type\n', { 'content-type': 'text/csv' })).status).toBe(status);
    }
  });

  it('shows referents’ contact details only to signed-in users', async () => {
    await call('PUT', '/api/schemes/cls-test-cahors/referents/46042', 'coordinator', {
      name: 'Claire Dupont',
      delegation: 'adjointe à la santé',
      email: 'c.dupont@mairie.test',
      phone: '05 65 00 00 00',
      hasCommittee: true,
    });
    const pub = (await (await call('GET', '/api/schemes/cls-test-cahors/referents', 'visitor')).json()) as any;
    const cahors = pub.communes.find((c: any) => c.commune === '46042');
    expect(cahors).toMatchObject({ name: 'Claire Dupont', email: null, phone: null, hasCommittee: true });
    expect(pub.contactsShown).toBe(false);
    const priv = (await (await call('GET', '/api/schemes/cls-test-cahors/referents', 'coordinator')).json()) as any;
    expect(priv.communes.find((c: any) => c.commune === '46042').email).toBe('c.dupont@mairie.test');
    const gaps = (await (await call('GET', '/api/schemes/cls-test-cahors/referent-gaps', 'visitor')).json()) as any;
    expect(gaps.withoutReferent.count).toBe(gaps.communeCount - 1);
    expect(gaps.withoutReferent.communes.map((c: any) => c.code)).not.toContain('46042');
    const csv = await (await call('GET', '/api/schemes/cls-test-cahors/referent-gaps?format=csv', 'visitor')).text();
    const lines = csv
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe(`# ${gaps.inventory.wording}`); // never a complete fact
    expect(lines.filter((l) => !l.startsWith('#'))).toHaveLength(1 + gaps.withoutReferent.count);
    const outside = await call('PUT', '/api/schemes/cls-test-cahors/referents/75056', 'admin', { name: 'Hors périmètre' });
    expect(outside.status).toBe(422);
  });

  it('refuses a write without the session’s CSRF token', async () => {
    const { etag } = await read('cls-test-cahors');
    const s = sessions.get('admin')!;
    const res = await fetch(`${server.url}/api/schemes/cls-test-cahors`, {
      method: 'PATCH',
      headers: { cookie: s.cookie, 'content-type': 'application/json', 'if-match': etag },
      body: JSON.stringify({ remark: 'csrf' }),
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as any).detail).toMatch(/CSRF/);
  });

  it('answers a stale edit with 409 and keeps the first one', async () => {
    const { etag, scheme } = await read('cls-test-cahors');
    const first = await call('PATCH', '/api/schemes/cls-test-cahors', 'coordinator', { name: 'Premier' }, { 'if-match': etag });
    expect(first.status).toBe(200);
    const second = await call('PATCH', '/api/schemes/cls-test-cahors', 'planner', { name: 'Second' }, { 'if-match': etag });
    expect(second.status).toBe(409);
    expect(((await second.json()) as any).detail).toMatch(/modifiée entre-temps/);
    const after = await read('cls-test-cahors');
    expect(after.scheme.name).toBe('Premier');
    expect(after.scheme.version).toBe(scheme.version + 1);
    expect((await call('PATCH', '/api/schemes/cls-test-cahors', 'admin', { name: 'Sans version' })).status).toBe(428);
  });

  it('rejects invalid input and unknown communes, saving nothing', async () => {
    const before = await read('cls-test-cahors');
    const unknown = await call(
      'PATCH',
      '/api/schemes/cls-test-cahors',
      'admin',
      { name: 'Ne doit pas être enregistré', perimeter: { communes: ['46042', '99999'], pasted: '00000 46102' } },
      { 'if-match': before.etag },
    );
    expect(unknown.status).toBe(422);
    const body = (await unknown.json()) as any;
    expect(body.unknownCodes).toEqual(['00000', '99999']);
    expect(body.detail).toMatch(/Codes inconnus : 00000, 99999/);
    for (const bad of [
      { type: 'XYZ' },
      { coordinationFte: -1 },
      { themes: ['astrologie'] },
      { signatureDate: '19/07/2019' },
      { inconnu: 1 },
    ]) {
      const res = await call('PATCH', '/api/schemes/cls-test-cahors', 'admin', bad, { 'if-match': before.etag });
      expect(res.status, JSON.stringify(bad)).toBe(400);
    }
    const after = await read('cls-test-cahors');
    expect(after.scheme).toEqual(before.scheme);
  });

  it('re-keys former codes in a pasted perimeter, records history and recolours the tiles', async () => {
    // Figeac's tile at z10 does not hold the test scheme before the edit
    const tilePath = '/tiles/scheme/10/517/369.mvt';
    const codesInTile = async () => {
      const res = await call('GET', tilePath, 'visitor');
      if (res.status === 204) return [];
      const layer = new VectorTile(new PbfReader(new Uint8Array(await res.arrayBuffer()))).layers.scheme;
      return layer ? Array.from({ length: layer.length }, (_, i) => layer.feature(i).properties.code) : [];
    };
    const before = await codesInTile();
    const { etag, scheme } = await read('cls-test-cahors');
    const res = await call(
      'PATCH',
      '/api/schemes/cls-test-cahors',
      'planner', // 25347 is in the Doubs: outside the scheme's région, a coordinator may not add it
      { perimeter: { epci: ['200023737'], pasted: '46102\n25347' } },
      { 'if-match': etag },
    );
    expect(res.status).toBe(200);
    const out = (await res.json()) as any;
    expect(out.rekeyed).toEqual([{ from: '25347', to: '25390' }]);
    expect(out.scheme.communes.map((c: any) => c.code)).toEqual(expect.arrayContaining(['46042', '46102', '25390']));
    expect(out.scheme.communes).toHaveLength(scheme.communes.length + 2);
    const after = await codesInTile();
    expect(before).not.toContain('cls-test-cahors');
    expect(after).toContain('cls-test-cahors');

    const { history } = (await (await call('GET', '/api/schemes/cls-test-cahors/history', 'visitor')).json()) as any;
    const last = history[history.length - 1];
    // the public reads the editor's name and role, never their e-mail
    expect(last).toMatchObject({
      action: 'modification',
      userName: 'planner',
      userRole: 'planner',
      userEmail: null,
      version: scheme.version + 1,
    });
    expect(last.before.communes).toHaveLength(scheme.communes.length);
    expect(last.after.communes).toHaveLength(scheme.communes.length + 2);
    expect(history[0]).toMatchObject({ action: 'création', version: 1, before: null });
    // the past perimeter stays comparable with the current one
    const cmp = (await (
      await call('GET', `/api/compare?p=scheme:cls-test-cahors@${scheme.version}&p=scheme:cls-test-cahors`, 'visitor')
    ).json()) as any;
    expect(cmp.parts.map((p: any) => p.label)).toEqual(['A ∩ B', 'B seul']);
    expect(cmp.parts[1].communes.map((c: any) => c.code).sort()).toEqual(['25390', '46102']);
    expect((await call('GET', '/api/compare?p=scheme:cls-test-cahors@99&p=epci:200023737', 'visitor')).status).toBe(404);
    expect((await call('GET', '/api/compare?p=epci:200023737@1&p=epci:200023737', 'visitor')).status).toBe(400);
    // referents are in the history without contact details
    const referent = history.find((h: any) => h.action === 'référent 46042' && h.after?.name === 'Claire Dupont');
    expect(referent.after).toEqual({ name: 'Claire Dupont', delegation: 'adjointe à la santé', hasCommittee: true });
  });

  it('exports the registry to CSV and re-imports it losslessly', async () => {
    const exported = await (await call('GET', '/api/registry/export.csv', 'visitor')).arrayBuffer();
    const csv = Buffer.from(exported);
    const admin = { cookie: sessions.get('admin')!.cookie };
    const imported = await call('POST', '/api/registry/import', 'admin', csv.toString('utf8'), { 'content-type': 'text/csv' });
    const job = await finishedJob(server.url, imported, admin);
    expect(job).toMatchObject({ kind: 'registry', status: 'succeeded', error: null });
    const counts = job.report as any;
    expect(counts.created).toBe(0);
    expect(counts.updated).toBe(csv.toString('utf8').trim().split('\r\n').length - 1);
    expect(job.done).toBe(counts.updated);
    const again = Buffer.from(await (await call('GET', '/api/registry/export.csv', 'visitor')).arrayBuffer());
    expect(again.equals(csv)).toBe(true);
    const broken = csv.toString('utf8').replace('46042', '99999');
    const refused = await finishedJob(
      server.url,
      await call('POST', '/api/registry/import', 'admin', broken, { 'content-type': 'text/csv' }),
      admin,
    );
    expect(refused.status).toBe('failed');
    expect(refused.error).toMatchObject({ status: 422, detail: expect.stringMatching(/99999/) });
    const unchanged = Buffer.from(await (await call('GET', '/api/registry/export.csv', 'visitor')).arrayBuffer());
    expect(unchanged.equals(csv)).toBe(true);
  });

  it('throttles repeated failed logins and logs out', async () => {
    const me = await call('GET', '/api/auth/me', 'admin');
    expect(((await me.json()) as any).user.role).toBe('admin');
    const attempt = () => call('POST', '/api/auth/login', 'visitor', { email: `intrus${DOMAIN}`, password: 'mauvais' });
    for (let i = 0; i < 5; i++) expect((await attempt()).status).toBe(401);
    const blocked = await attempt();
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(((await blocked.json()) as any).detail).toMatch(/Trop de tentatives/);
    expect((await call('POST', '/api/auth/logout', 'admin')).status).toBe(204);
    expect((await call('GET', '/api/auth/me', 'admin')).status).toBe(401);
  });
});
