// The signalment form's rate limit ("Signaler une démarche") on every backend: counted in
// the database, so a parallel burst gets exactly the limit through, a second instance on
// the same database sees the same count, and a signed-in account is counted on its own,
// not on the address it shares with others.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../server/auth/passwords.ts';
import { createServer } from '../../server/app.ts';
import { createUser } from '../../server/queries/users.ts';
import { backends, startTestServer, type TestServer } from '../support/backends.ts';

const DOMAIN = '@limite-signalement.test';
const PASSWORD = 'une phrase de passe assez longue';
/** The form's default: 5 signalments per hour. */
const LIMIT = 5;
// the honeypot field filled: answered 202 and nothing kept, but counted like any signalment
const ROBOT = {
  type: 'CLS',
  name: 'Signalement de test de limite',
  bearerName: 'Mairie de Figeac',
  communes: ['46102'],
  epci: [],
  signatureDate: '2023-06',
  coordinationFte: 0.4,
  email: `temoin${DOMAIN}`,
  sourceUrl: 'https://www.example.org/limite',
  website: 'http://robot.example',
};

describe.each(backends())('signalment rate limit on $name', (backend) => {
  let server: TestServer;
  let second: Server;
  let secondUrl: string;
  const reset = () => server.db.query(`DELETE FROM registry.rate_limit WHERE key LIKE 'contribution:%'`);
  const signal = (base: string, headers: Record<string, string> = {}) =>
    fetch(`${base}/api/contributions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(ROBOT),
    });
  const burst = async (n: number, send: () => Promise<Response>) => {
    const statuses = (await Promise.all(Array.from({ length: n }, send))).map((r) => r.status);
    return { passed: statuses.filter((s) => s === 202).length, refused: statuses.filter((s) => s === 429).length };
  };

  beforeAll(async () => {
    server = await startTestServer(backend);
    // another instance of the app over the same database
    second = createServer({ db: server.db, logger: pino({ level: 'silent' }), tiles: server.tiles }).listen(0, '127.0.0.1');
    await new Promise((resolve) => second.once('listening', resolve));
    secondUrl = `http://127.0.0.1:${(second.address() as AddressInfo).port}`;
    await reset();
    await server.db.query(`DELETE FROM registry.app_user WHERE email LIKE $1`, [`%${DOMAIN}`]);
    await createUser(server.db, {
      email: `planificateur${DOMAIN}`,
      name: 'Planificateur limite',
      role: 'planner',
      region: '76',
      passwordHash: await hashPassword(PASSWORD),
      schemes: [],
    });
  });

  afterAll(async () => {
    if (!server) return;
    await reset();
    await server.db.query(`DELETE FROM registry.app_user WHERE email LIKE $1`, [`%${DOMAIN}`]);
    await new Promise((resolve) => second.close(resolve));
    await server.close();
  });

  it('lets exactly the limit through a parallel burst split over two instances', async () => {
    let i = 0;
    const { passed, refused } = await burst(30, () => signal(i++ % 2 ? secondUrl : server.url));
    expect(passed).toBe(LIMIT);
    expect(refused).toBe(30 - LIMIT);
    const late = await signal(secondUrl);
    expect(late.status).toBe(429);
    const wait = Number(late.headers.get('retry-after'));
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(3600);
    expect(late.headers.get('content-type')).toMatch(/problem\+json/);
    expect(((await late.json()) as { detail: string }).detail).toMatch(/Trop de signalements depuis cette adresse/);
  });

  it('counts a signed-in account on its own, not on the address it shares', async () => {
    const login = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: `planificateur${DOMAIN}`, password: PASSWORD }),
    });
    expect(login.status).toBe(200);
    const headers = { cookie: login.headers.get('set-cookie')!.split(';')[0]!, 'x-csrf-token': ((await login.json()) as any).csrfToken };
    // the address is at its limit (previous test), the account is not
    expect((await signal(server.url)).status).toBe(429);
    let i = 0;
    const { passed, refused } = await burst(12, () => signal(i++ % 2 ? secondUrl : server.url, headers));
    expect(passed).toBe(LIMIT);
    expect(refused).toBe(12 - LIMIT);
    const late = await signal(server.url, headers);
    expect(late.status).toBe(429);
    expect(((await late.json()) as { detail: string }).detail).toMatch(/depuis ce compte/);
  });
});
