// Authentication and accounts over HTTP on every backend: login throttling counted in
// the database (bursts, per account, per address, progressive delays), trusted proxies
// and Secure cookies, disabling accounts and ending sessions, the password policy,
// closing a scheme and keeping a coordinator's perimeter in its région; and, on
// PostgreSQL, two instances sharing sessions and throttling.
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from '../../server/app.ts';
import { hashPassword } from '../../server/auth/passwords.ts';
import { createUser } from '../../server/queries/users.ts';
import { materializeSchemes } from '../../core/registry/materialize.ts';
import { backends, startTestServer, type TestServer } from '../support/backends.ts';

const PASSWORD = 'trois pommes sur la table';
const DOMAIN = '@auth.test';
// Client addresses are told by the trusted loopback proxy (X-Forwarded-For); the
// documentation ranges of RFC 5737 stand for distinct clients.
const ATTACKER = '198.51.100.66';
const ELSEWHERE = '203.0.113.9';
const SCHEME = 'cls-test-auth-cahors';

interface Session {
  cookie: string;
  csrf: string;
}

async function login(url: string, email: string, password: string, from?: string, headers: Record<string, string> = {}) {
  return fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(from ? { 'x-forwarded-for': from } : {}), ...headers },
    body: JSON.stringify({ email, password }),
  });
}

async function signIn(url: string, email: string, from?: string): Promise<Session> {
  const res = await login(url, email, PASSWORD, from);
  expect(res.status, `login ${email}`).toBe(200);
  return { cookie: res.headers.get('set-cookie')!.split(';')[0]!, csrf: ((await res.json()) as { csrfToken: string }).csrfToken };
}

function call(url: string, method: string, path: string, s: Session | null, body?: unknown, headers: Record<string, string> = {}) {
  return fetch(url + path, {
    method,
    headers: {
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(s ? { cookie: s.cookie, 'x-csrf-token': s.csrf } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

const throttleKeys = `key LIKE '%${DOMAIN}' OR key LIKE 'address:198.51.100.%' OR key LIKE 'address:203.0.113.%' OR key = 'address:127.0.0.1'`;

describe.each(backends())('authentication on $name', (backend) => {
  let server: TestServer;
  const ids = new Map<string, number>();
  const users = {
    admin: { role: 'admin', region: null, schemes: [] },
    planner: { role: 'planner', region: '76', schemes: [] },
    coordinator: { role: 'coordinator', region: null, schemes: [SCHEME] },
    victim: { role: 'coordinator', region: null, schemes: [] },
    target: { role: 'coordinator', region: null, schemes: [] },
    fresh: { role: 'coordinator', region: null, schemes: [] },
  } as const;
  const email = (name: string) => `${name}${DOMAIN}`;
  /** Stands for the delay passing: the key may try again now, as if its wait were over. */
  const delayOver = (key: string) =>
    server.db.query(
      `UPDATE registry.login_throttle SET next_at = now(), updated_at = updated_at - (next_at - now()) WHERE key = $1 AND next_at > now()`,
      [key],
    );

  const cleanup = async () => {
    await server.db.query(`DELETE FROM registry.scheme WHERE code = $1`, [SCHEME]);
    await server.db.query(`DELETE FROM registry.history WHERE scheme = $1`, [SCHEME]);
    await server.db.query(`DELETE FROM atlas.perimeter WHERE layer = 'scheme' AND code = $1`, [SCHEME]);
    await server.db.query(`DELETE FROM atlas.membership WHERE layer = 'scheme' AND code = $1`, [SCHEME]);
    await server.db.query(`DELETE FROM registry.app_user WHERE email LIKE $1`, [`%${DOMAIN}`]);
    await server.db.query(`DELETE FROM registry.login_throttle WHERE ${throttleKeys}`);
  };

  beforeAll(async () => {
    server = await startTestServer(backend, { trustProxy: ['loopback'] });
    await cleanup();
    const hash = await hashPassword(PASSWORD);
    for (const [name, u] of Object.entries(users)) {
      ids.set(name, await createUser(server.db, { email: email(name), name, ...u, schemes: [...u.schemes], passwordHash: hash }));
    }
    for (let i = 0; i < 10; i++) {
      await createUser(server.db, {
        email: email(`spray${i}`),
        name: `spray ${i}`,
        role: 'coordinator',
        region: null,
        passwordHash: hash,
        schemes: [],
      });
    }
  });

  afterAll(async () => {
    if (!server) return;
    await cleanup();
    await server.db.transaction((tx) => materializeSchemes(tx, 'atlas', null));
    await server.close();
  });

  it('lets a burst of 60 parallel wrong passwords test only five, then delays progressively', async () => {
    const burst = await Promise.all(
      Array.from({ length: 60 }, (_, i) => login(server.url, email('victim'), `mauvais mot de passe ${i}`, ATTACKER)),
    );
    const statuses = burst.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(5); // passwords actually checked
    expect(statuses.filter((s) => s === 429)).toHaveLength(55);
    const refused = burst.find((r) => r.status === 429)!;
    expect(refused.headers.get('content-type')).toMatch(/problem\+json/);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(30);
    expect(((await refused.json()) as { detail: string }).detail).toMatch(
      /^Trop de tentatives de connexion pour ce compte : réessayez dans \d+ secondes?\./,
    );

    // during the delay the right password is refused too, from that address and any other
    expect((await login(server.url, email('victim'), PASSWORD, ATTACKER)).status).toBe(429);
    expect((await login(server.url, email('victim'), PASSWORD, ELSEWHERE)).status).toBe(429);

    // once the 30 s are over, one more try; failing doubles the delay (60 s)
    await delayOver(`account:${email('victim')}`);
    expect((await login(server.url, email('victim'), 'encore un mauvais', ATTACKER)).status).toBe(401);
    const doubled = await login(server.url, email('victim'), PASSWORD, ELSEWHERE);
    expect(doubled.status).toBe(429);
    expect(Number(doubled.headers.get('retry-after'))).toBeGreaterThan(30);
    expect(Number(doubled.headers.get('retry-after'))).toBeLessThanOrEqual(60);

    // after that delay the right password gets in from another address, and the account starts afresh
    await delayOver(`account:${email('victim')}`);
    expect((await login(server.url, email('victim'), PASSWORD, ELSEWHERE)).status).toBe(200);
    expect((await login(server.url, email('victim'), 'faute de frappe', ELSEWHERE)).status).toBe(401);
    expect((await login(server.url, email('victim'), PASSWORD, ELSEWHERE)).status).toBe(200);
  });

  it('counts an address with a higher threshold than an account', async () => {
    const from = '198.51.100.20';
    // five failures on each of five accounts from one address: each account is held…
    for (let i = 0; i < 5; i++) {
      const tries = await Promise.all(Array.from({ length: 5 }, (_, j) => login(server.url, email(`spray${i}`), `essai ${j}`, from)));
      expect(tries.map((r) => r.status)).toEqual([401, 401, 401, 401, 401]);
      expect((await login(server.url, email(`spray${i}`), PASSWORD, from)).status).toBe(429);
    }
    // …but not the address: a colleague behind the same proxy signs in
    expect((await login(server.url, email('fresh'), PASSWORD, from)).status).toBe(200);
    // twenty-five more failures reach the address threshold (50)
    for (let i = 5; i < 10; i++) {
      const tries = await Promise.all(Array.from({ length: 5 }, (_, j) => login(server.url, email(`spray${i}`), `essai ${j}`, from)));
      expect(tries.map((r) => r.status)).toEqual([401, 401, 401, 401, 401]);
    }
    const held = await login(server.url, email('fresh'), PASSWORD, from);
    expect(held.status).toBe(429);
    expect(((await held.json()) as { detail: string }).detail).toMatch(/depuis votre adresse réseau/);
    expect((await login(server.url, email('fresh'), PASSWORD, '198.51.100.21')).status).toBe(200);
  });

  it('trusts X-Forwarded-* only from the configured proxies, for the address and the Secure cookie', async () => {
    const overHttps = await login(server.url, email('fresh'), PASSWORD, ELSEWHERE, { 'x-forwarded-proto': 'https' });
    expect(overHttps.status).toBe(200);
    expect(overHttps.headers.get('set-cookie')).toMatch(/;\s*Secure/i);
    const plain = await login(server.url, email('fresh'), PASSWORD, ELSEWHERE);
    expect(plain.headers.get('set-cookie')).not.toMatch(/;\s*Secure/i);

    // the same database behind a server that trusts no proxy: the headers are ignored
    const untrusting = createServer({ db: server.db, logger: pino({ level: 'silent' }), tiles: server.tiles }).listen(0, '127.0.0.1');
    await new Promise((resolve) => untrusting.once('listening', resolve));
    try {
      const url = `http://127.0.0.1:${(untrusting.address() as AddressInfo).port}`;
      const res = await login(url, email('fresh'), PASSWORD, ELSEWHERE, { 'x-forwarded-proto': 'https' });
      expect(res.status).toBe(200);
      expect(res.headers.get('set-cookie')).not.toMatch(/;\s*Secure/i);
      // a forged X-Forwarded-For does not give a guesser a fresh address
      await server.db.query(`DELETE FROM registry.login_throttle WHERE key = 'address:127.0.0.1'`);
      for (let i = 0; i < 5; i++) await login(url, email(`forged${i}`), 'mauvais', `198.51.100.${100 + i}`);
      const [row] = await server.db.query<{ level: number }>(`SELECT level FROM registry.login_throttle WHERE key = 'address:127.0.0.1'`);
      expect(row!.level).toBeGreaterThan(4.9);
    } finally {
      await new Promise((resolve) => untrusting.close(resolve));
    }
  });

  it('disables an account and ends its sessions at once', async () => {
    const admin = await signIn(server.url, email('admin'));
    const target = await signIn(server.url, email('target'));
    const planner = await signIn(server.url, email('planner'));
    const id = ids.get('target')!;
    expect((await call(server.url, 'GET', '/api/auth/me', target)).status).toBe(200);

    expect((await call(server.url, 'PATCH', `/api/users/${id}`, null, { disabled: true })).status).toBe(401);
    expect((await call(server.url, 'PATCH', `/api/users/${id}`, planner, { disabled: true })).status).toBe(403);
    expect((await call(server.url, 'PATCH', `/api/users/${id}`, admin, { disabled: 'oui' })).status).toBe(400);
    expect((await call(server.url, 'PATCH', `/api/users/999999999`, admin, { disabled: true })).status).toBe(404);
    const self = await call(server.url, 'PATCH', `/api/users/${ids.get('admin')}`, admin, { disabled: true });
    expect(self.status).toBe(409);
    expect(((await self.json()) as { detail: string }).detail).toMatch(/votre propre compte/);

    const off = await call(server.url, 'PATCH', `/api/users/${id}`, admin, { disabled: true });
    expect(off.status).toBe(200);
    expect(((await off.json()) as { user: unknown }).user).toMatchObject({ id, disabled: true, sessions: 0 });
    expect((await call(server.url, 'GET', '/api/auth/me', target)).status).toBe(401);
    expect((await call(server.url, 'POST', '/api/auth/logout', target)).status).toBe(204);
    expect((await login(server.url, email('target'), PASSWORD)).status).toBe(401);
    const listed = (await (await call(server.url, 'GET', '/api/users', admin)).json()) as { users: { email: string; disabled: boolean }[] };
    expect(listed.users.find((u) => u.email === email('target'))?.disabled).toBe(true);

    expect((await call(server.url, 'PATCH', `/api/users/${id}`, admin, { disabled: false })).status).toBe(200);
    const again = await signIn(server.url, email('target'));
    const again2 = await signIn(server.url, email('target'));
    const ended = await call(server.url, 'DELETE', `/api/users/${id}/sessions`, admin);
    expect(((await ended.json()) as { ended: number }).ended).toBe(2);
    expect((await call(server.url, 'GET', '/api/auth/me', again)).status).toBe(401);
    expect((await call(server.url, 'GET', '/api/auth/me', again2)).status).toBe(401);
    expect((await call(server.url, 'GET', '/api/auth/me', admin)).status).toBe(200);
  });

  it('applies the password policy when an account is created', async () => {
    const admin = await signIn(server.url, email('admin'));
    const attempt = (password: string, who = 'nouvelle') =>
      call(server.url, 'POST', '/api/users', admin, { email: email(who), name: 'Nouvelle', role: 'coordinator', password });
    for (const [password, message] of [
      ['            ', /que d’espaces/],
      ['court', /au moins 12 caractères/],
      [`nouvelle${DOMAIN}`, /adresse électronique/],
      ['motdepasse2024!', /plus courants/],
    ] as const) {
      const res = await attempt(password);
      expect(res.status, password).toBe(400);
      expect(((await res.json()) as { detail: string }).detail).toMatch(message);
    }
    expect(
      ((await call(server.url, 'GET', '/api/users', admin).then((r) => r.json())) as { users: { email: string }[] }).users.map(
        (u) => u.email,
      ),
    ).not.toContain(email('nouvelle'));
    expect((await attempt('une phrase assez longue')).status).toBe(201);
  });

  it('makes closing one permission whatever the route, and keeps a coordinator in the scheme’s région', async () => {
    const admin = await signIn(server.url, email('admin'));
    const planner = await signIn(server.url, email('planner'));
    const coordinator = await signIn(server.url, email('coordinator'));
    const created = await call(server.url, 'POST', '/api/schemes', admin, {
      code: SCHEME,
      type: 'CLS',
      name: 'CLS de test des permissions',
      perimeter: { communes: ['46042', '46102'] },
    });
    expect(created.status).toBe(201);
    const etag = async () => (await call(server.url, 'GET', `/api/schemes/${SCHEME}`, null)).headers.get('etag')!;
    const status = async () => ((await (await call(server.url, 'GET', `/api/schemes/${SCHEME}`, null)).json()) as any).scheme.status;
    const patch = async (s: Session, body: unknown) =>
      call(server.url, 'PATCH', `/api/schemes/${SCHEME}`, s, body, { 'if-match': await etag() });

    // closing: refused to the coordinator by PATCH as by DELETE
    const byPatch = await patch(coordinator, { status: 'termine' });
    expect(byPatch.status).toBe(403);
    expect(((await byPatch.json()) as { detail: string }).detail).toMatch(/clore cette démarche/);
    expect((await call(server.url, 'DELETE', `/api/schemes/${SCHEME}`, coordinator)).status).toBe(403);
    expect(await status()).toBe('en_cours');
    expect((await patch(coordinator, { status: 'en_elaboration' })).status).toBe(200);
    expect((await patch(planner, { status: 'termine' })).status).toBe(200);
    expect(await status()).toBe('termine');
    expect((await patch(coordinator, { status: 'en_cours' })).status).toBe(403); // reopening is closing's twin
    expect((await patch(admin, { status: 'en_cours' })).status).toBe(200);
    expect((await patch(admin, { status: 'termine' })).status).toBe(200);
    expect((await patch(planner, { status: 'en_cours' })).status).toBe(200);

    // perimeter: Cahors (Lot, Occitanie 76) may not reach Paris (Île-de-France 11)
    const outside = await patch(coordinator, { perimeter: { communes: ['46042', '75056'] } });
    expect(outside.status).toBe(403);
    const problem = (await outside.json()) as { detail: string; outsideCommunes: string[] };
    expect(problem.outsideCommunes).toEqual(['75056']);
    expect(problem.detail).toMatch(/hors de la région de sa démarche \(76\)/);
    const scheme = ((await (await call(server.url, 'GET', `/api/schemes/${SCHEME}`, null)).json()) as any).scheme;
    expect(scheme.communes.map((c: { code: string }) => c.code).sort()).toEqual(['46042', '46102']);
    expect((await patch(coordinator, { perimeter: { communes: ['46042', '46102', '46201'] } })).status).toBe(200);
    expect((await patch(admin, { perimeter: { communes: ['46042', '75056'] } })).status).toBe(200);
  });
});

describe.each(backends().filter((b) => b.name === 'postgis'))('two instances on one $name database', (backend) => {
  let a: TestServer;
  let b: TestServer;
  const who = `deux-instances${DOMAIN}`;

  beforeAll(async () => {
    a = await startTestServer(backend);
    b = await startTestServer(backend);
    await a.db.query(`DELETE FROM registry.app_user WHERE email = $1`, [who]);
    await a.db.query(`DELETE FROM registry.login_throttle WHERE ${throttleKeys}`);
    await createUser(a.db, {
      email: who,
      name: 'Deux instances',
      role: 'admin',
      region: null,
      passwordHash: await hashPassword(PASSWORD),
      schemes: [],
    });
  });

  afterAll(async () => {
    await a?.db.query(`DELETE FROM registry.app_user WHERE email LIKE $1`, [`%${DOMAIN}`]);
    await a?.db.query(`DELETE FROM registry.login_throttle WHERE ${throttleKeys}`);
    await a?.close();
    await b?.close();
  });

  it('signs in on A and writes on B with the same cookie', async () => {
    const session = await signIn(a.url, who);
    expect(((await (await call(b.url, 'GET', '/api/auth/me', session)).json()) as any).user.email).toBe(who);
    const created = await call(b.url, 'POST', '/api/users', session, {
      email: `cree-sur-b${DOMAIN}`,
      name: 'Créé sur B',
      role: 'coordinator',
      password: 'une phrase assez longue',
    });
    expect(created.status).toBe(201);
    expect((await call(b.url, 'POST', '/api/users', { ...session, csrf: 'faux' }, {})).status).toBe(403);
    expect((await call(b.url, 'POST', '/api/auth/logout', session)).status).toBe(204);
    expect((await call(a.url, 'GET', '/api/auth/me', session)).status).toBe(401);
  });

  it('locks an account as one after five wrong passwords spread over A and B', async () => {
    for (const [i, server] of [a, b, a, b, a].entries()) {
      expect((await login(server.url, who, `mauvais ${i}`)).status).toBe(401);
    }
    for (const server of [b, a]) {
      const res = await login(server.url, who, PASSWORD);
      expect(res.status).toBe(429);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    // a parallel burst split over both instances tests nothing more
    const burst = await Promise.all(Array.from({ length: 20 }, (_, i) => login((i % 2 ? a : b).url, who, `rafale ${i}`)));
    expect(burst.every((r) => r.status === 429)).toBe(true);
  });
});
