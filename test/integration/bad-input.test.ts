// The bad-input corpus (test/fixtures/bad-input/corpus.ts) against the real server on
// every backend, anonymously and signed in as an administrator: no answer is a 5xx,
// every error is a problem+json with a French detail, the server still answers
// /api/health afterwards, and the log stays small (no stack for client errors). Then the
// specific promises of issue 11: bounded uploads (ZIP bomb, deep and huge GeoJSON),
// French 4xx for malformed escapes, charsets, encodings, NUL and lone surrogates, CSV
// syntax with its line, a database outage answered 503 with Retry-After, and security
// headers on every kind of answer.
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, createServer } from '../../server/app.ts';
import { hashPassword } from '../../server/auth/passwords.ts';
import { openDb, type Db } from '../../core/db/db.ts';
import { ERROR_LINES_PER_CLIENT, LOG_WINDOW_MS } from '../../server/request-log.ts';
import { createUser } from '../../server/queries/users.ts';
import { TileStore } from '../../server/tiles/store.ts';
import { deepGeojson, hostileRequests, RAW_REQUESTS, routesOf, zipBomb, type HostileRequest } from '../fixtures/bad-input/corpus.ts';
import { backends, openBackend, type Backend } from '../support/backends.ts';

const DOMAIN = '@corpus.test';
const PASSWORD = 'un mot de passe de corpus assez long';
const CONCURRENCY = 8;

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  ms: number;
}

/** French enough: accents, guillemets or common French words, and none of the English of libraries. */
const FRENCH =
  /[àâçéèêëîïôûùüœ«»’]|\b(le|la|les|des|du|de|un|une|est|pas|aucune?|pour|cette|vous|dans|avec|sur|et|ou|au|aux|en|attendu|requête|refusée?|trop)\b/i;
const ENGLISH =
  /\b(the|is not|expected|received|invalid input|unexpected|cannot|undefined|failed|syntax error|maximum call stack|too large|unsupported|not found)\b/i;

function problemFailure(a: Answer): string | null {
  if (a.status >= 500) return `statut ${a.status}`;
  if (a.status < 400) return null;
  if (!/^application\/problem\+json/.test(String(a.headers['content-type']))) return `type ${a.headers['content-type']}`;
  let detail: unknown;
  try {
    detail = (JSON.parse(a.body) as { detail?: unknown }).detail;
  } catch {
    return 'corps non JSON';
  }
  if (typeof detail !== 'string' || !FRENCH.test(detail) || ENGLISH.test(detail)) return `détail non français : ${String(detail)}`;
  return null;
}

/** Counts the bytes and keeps the lines the server logs. */
function countingLog() {
  const lines: string[] = [];
  let bytes = 0;
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      lines.push(chunk.toString());
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines, bytes: () => bytes };
}

/** A built client stand-in, so express.static and the page fallback are exercised whatever the build. */
function clientFixture(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'millefeuille-corpus-client-'));
  fs.mkdirSync(path.join(dir, 'assets'));
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><html lang="fr"><title>corpus</title></html>');
  fs.writeFileSync(path.join(dir, 'assets', 'app.js'), 'console.log(1);');
  return dir;
}

describe.each(backends())('bad input on $name', (backend: Backend) => {
  let db: Db;
  let tiles: TileStore;
  let server: http.Server;
  let base: string;
  let clientDir: string;
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const log = countingLog();
  let admin: { cookie: string; csrf: string };

  function send(method: string, url: string, headers: Record<string, string> = {}, body?: Buffer, retry = true): Promise<Answer> {
    const t0 = Date.now();
    return new Promise((resolve, reject) => {
      const req = http.request(base + url, { method, headers, agent, timeout: 60_000 }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString(), ms: Date.now() - t0 }),
        );
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error(`délai dépassé : ${method} ${url.slice(0, 80)}`)));
      req.on('error', (err: Error & { code?: string }) => {
        // a kept-alive socket the server closed while idle: the request never reached it
        if (retry && req.reusedSocket && err.code === 'ECONNRESET') send(method, url, headers, body, false).then(resolve, reject);
        else reject(err);
      });
      req.end(body);
    });
  }

  /**
   * An import started as a background job (202 + job) is followed to its end: what it
   * answers then is the job's error as a problem, or its report. Other answers as they are.
   */
  async function settle(a: Answer): Promise<Answer> {
    if (a.status !== 202) return a;
    const { job } = JSON.parse(a.body) as { job: { id: string } };
    const deadline = Date.now() + 60_000;
    for (;;) {
      const res = await send('GET', `/api/jobs/${job.id}`, { cookie: admin.cookie });
      const j = JSON.parse(res.body) as { status: string; error: { status: number; detail: string } | null; report: unknown };
      if (j.status === 'failed')
        return {
          status: j.error!.status,
          headers: { 'content-type': 'application/problem+json' },
          body: JSON.stringify(j.error),
          ms: a.ms,
        };
      if (j.status !== 'running') return { status: 200, headers: res.headers, body: JSON.stringify({ report: j.report }), ms: a.ms };
      if (Date.now() > deadline) throw new Error(`tâche ${job.id} toujours en cours`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Raw bytes on a socket: what the server answers, status line and body. */
  function sendRaw(raw: string): Promise<Answer> {
    const t0 = Date.now();
    return new Promise((resolve, reject) => {
      const { port } = server.address() as AddressInfo;
      const socket = net.connect(port, '127.0.0.1', () => socket.end(raw));
      const chunks: Buffer[] = [];
      socket.setTimeout(10_000, () => socket.destroy(new Error('délai dépassé')));
      socket.on('data', (c: Buffer) => chunks.push(c));
      socket.on('error', reject);
      socket.on('close', () => {
        const text = Buffer.concat(chunks).toString();
        const [head = '', body = ''] = text.split('\r\n\r\n');
        const [statusLine = '', ...headerLines] = head.split('\r\n');
        const headers: http.IncomingHttpHeaders = {};
        for (const l of headerLines) headers[l.slice(0, l.indexOf(':')).toLowerCase()] = l.slice(l.indexOf(':') + 1).trim();
        resolve({ status: Number(statusLine.split(' ')[1] ?? 0), headers, body, ms: Date.now() - t0 });
      });
    });
  }

  const asAdmin = (r: HostileRequest): Record<string, string> => ({
    cookie: admin.cookie,
    // never end the corpus's own session
    'x-csrf-token': /logout|session/.test(r.path) ? 'faux-jeton' : admin.csrf,
    ...r.headers,
  });

  beforeAll(async () => {
    db = await openBackend(backend);
    tiles = new TileStore(db);
    clientDir = clientFixture();
    server = createServer({ db, logger: log.logger, tiles, clientDir }).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await db.query(`DELETE FROM registry.app_user WHERE email LIKE $1`, [`%${DOMAIN}`]);
    await createUser(db, {
      email: `admin${DOMAIN}`,
      name: 'Corpus',
      role: 'admin',
      region: null,
      passwordHash: await hashPassword(PASSWORD),
      schemes: [],
    });
    const res = await send(
      'POST',
      '/api/auth/login',
      { 'content-type': 'application/json' },
      Buffer.from(JSON.stringify({ email: `admin${DOMAIN}`, password: PASSWORD })),
    );
    expect(res.status).toBe(200);
    admin = {
      cookie: String(res.headers['set-cookie']![0]).split(';')[0]!,
      csrf: (JSON.parse(res.body) as { csrfToken: string }).csrfToken,
    };
  });

  afterAll(async () => {
    agent.destroy();
    if (db) {
      for (const sql of [
        `DELETE FROM registry.history WHERE scheme LIKE 'corpus-%'`,
        `DELETE FROM registry.scheme WHERE code LIKE 'corpus-%'`,
        `DELETE FROM atlas.membership WHERE layer = 'scheme' AND code LIKE 'corpus-%'`,
        `DELETE FROM atlas.perimeter WHERE layer = 'scheme' AND code LIKE 'corpus-%'`,
        `DELETE FROM registry.app_user WHERE email LIKE '%${DOMAIN}'`,
      ])
        await db.query(sql);
    }
    if (server) await new Promise((resolve) => server.close(resolve));
    await tiles?.close();
    await db?.close();
    if (clientDir) fs.rmSync(clientDir, { recursive: true, force: true });
  });

  it('answers 1,000+ hostile requests on every route with French 4xx problems, never a 5xx', async () => {
    const routes = routesOf(createApp({ db, logger: pino({ level: 'silent' }), clientDir }) as never);
    const corpus = hostileRequests(routes);
    // every route is tried both ways: variants alternate between an anonymous visitor and
    // the administrator; the hostile files of the upload routes are all the administrator's
    // (anonymous uploads stop at authentication), the generic hostile bodies sent to those
    // routes are anonymous (the files cover the administrator)
    const runs = corpus.map((r, i) =>
      r.upload || (i % 2 === 0 && !(r.body && r.route.endsWith('/import')))
        ? { r, identity: 'admin', headers: asAdmin(r) }
        : { r, identity: 'anonyme', headers: r.headers ?? {} },
    );
    const failures: string[] = [];
    const byStatus = new Map<number, number>();
    const covered = new Set<string>();
    const slowest: { what: string; ms: number }[] = [];
    const logBefore = log.bytes();
    const t0 = Date.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < runs.length) {
          const { r, identity, headers } = runs[next++]!;
          let answer: Answer;
          try {
            answer = await settle(await send(r.method, r.path, headers, r.body));
          } catch (err) {
            failures.push(`${identity} ${r.route} [${r.label}] : pas de réponse (${(err as Error).message})`);
            continue;
          }
          byStatus.set(answer.status, (byStatus.get(answer.status) ?? 0) + 1);
          covered.add(r.route);
          slowest.push({ what: `${r.route} [${r.label}]`, ms: answer.ms });
          const why = problemFailure(answer);
          if (why) failures.push(`${identity} ${r.route} [${r.label}] → ${answer.status} : ${why}`.slice(0, 400));
        }
      }),
    );
    for (const raw of RAW_REQUESTS) {
      const answer = await sendRaw(raw.raw);
      byStatus.set(answer.status, (byStatus.get(answer.status) ?? 0) + 1);
      const why = answer.status === 0 ? 'pas de réponse' : problemFailure(answer);
      if (why) failures.push(`brut [${raw.label}] → ${answer.status} : ${why}`);
    }
    const fiveXX = [...byStatus].filter(([s]) => s >= 500).reduce((n, [, c]) => n + c, 0);
    console.log(
      `[bad-input] ${backend.name} : ${runs.length + RAW_REQUESTS.length} requêtes en ${((Date.now() - t0) / 1000).toFixed(1)} s, ` +
        `${fiveXX} × 5xx, journal ${log.bytes() - logBefore} octets, statuts ${JSON.stringify(Object.fromEntries([...byStatus].sort()))}`,
    );
    console.log(
      `[bad-input] les plus lentes : ${slowest
        .sort((a, b) => b.ms - a.ms)
        .slice(0, 8)
        .map((x) => `${x.what} ${x.ms} ms`)
        .join(' ; ')}`,
    );
    expect(runs.length).toBeGreaterThanOrEqual(1000);
    expect([...new Set(routes.map((r) => `${r.method} ${r.path}`))].filter((r) => !covered.has(r))).toEqual([]);
    expect(failures.slice(0, 40)).toEqual([]);

    // the server still answers, and the log of this abusive client stayed small and stack-free
    expect((await send('GET', '/api/health')).status).toBe(200);
    const elapsed = Date.now() - t0;
    const failedLines = log.lines.filter((l) => /"status":[45]\d\d/.test(l)).length;
    expect(failedLines).toBeLessThanOrEqual(ERROR_LINES_PER_CLIENT * (Math.ceil(elapsed / LOG_WINDOW_MS) + 1));
    expect(log.lines.filter((l) => l.includes('"stack"'))).toEqual([]);
  }, 300_000);

  const upload = async (query: string, body: Buffer, contentType = 'application/octet-stream') =>
    settle(
      await send(
        'POST',
        `/api/perimeters/import?${query}`,
        { 'content-type': contentType, cookie: admin.cookie, 'x-csrf-token': admin.csrf },
        body,
      ),
    );

  it('refuses the ZIP bomb of the audit (398 kB, 390 MB of zeros) in a bounded time, naming the limit', async () => {
    const bomb = zipBomb(390);
    expect(bomb.length).toBeLessThan(450_000);
    const t0 = Date.now();
    const [res, health] = await Promise.all([
      upload('layer=cpts&dryRun=true&scope=pays&filename=bombe.zip', bomb),
      new Promise((r) => setTimeout(r, 50)).then(() => send('GET', '/api/health')),
    ]);
    const ms = Date.now() - t0;
    console.log(`[bad-input] ${backend.name} : bombe ZIP refusée en ${ms} ms, /api/health pendant : ${health.ms} ms`);
    expect(res.status).toBe(422);
    expect(JSON.parse(res.body).detail).toMatch(/390 Mo.*limite : 200 Mo/);
    expect(ms).toBeLessThan(5_000);
    expect(health.status).toBe(200);
  });

  it('refuses a GeoJSON nested 100,000 deep and one of 60,000 features in a bounded time, naming the limit', async () => {
    let t0 = Date.now();
    const deep = await upload(
      'layer=cpts&dryRun=true&scope=pays&filename=profond.geojson',
      Buffer.from(deepGeojson(100_000)),
      'application/geo+json',
    );
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(deep.status).toBe(422);
    expect(JSON.parse(deep.body).detail).toMatch(/plus de 64 niveaux/);
    expect(deep.body).not.toMatch(/call stack/i);

    const many = JSON.stringify({
      type: 'FeatureCollection',
      features: Array.from({ length: 60_000 }, () => ({ type: 'Feature', properties: {}, geometry: null })),
    });
    t0 = Date.now();
    const huge = await upload('layer=cpts&dryRun=true&scope=pays&filename=nombreux.geojson', Buffer.from(many), 'application/geo+json');
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(huge.status).toBe(422);
    expect(JSON.parse(huge.body).detail).toMatch(/60\s000 objets \(limite : 50\s000/);
  });

  it('imports attributes with NUL and lone surrogates without internal English in the report', async () => {
    const text = JSON.stringify({
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: { code: 'CPTS-NUL', nom: 'CPTS\u0000 du Lot', note: 'x' },
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [1.43, 44.44],
                [1.46, 44.44],
                [1.46, 44.46],
                [1.43, 44.46],
                [1.43, 44.44],
              ],
            ],
          },
        },
      ],
    }).replace('"x"', '"\\udc00x"');
    const res = await upload('layer=cpts&dryRun=true&scope=pays&filename=attributs.geojson', Buffer.from(text), 'application/geo+json');
    expect(res.status).toBe(200);
    const { report } = JSON.parse(res.body) as { report: { status: string; perimeters: number; errors: string[] } };
    expect(report).toMatchObject({ status: 'dry-run', perimeters: 1, errors: [] });
  });

  it('answers French 4xx to malformed escapes, charsets, encodings, NUL and lone surrogates', async () => {
    const json = { 'content-type': 'application/json', cookie: admin.cookie, 'x-csrf-token': admin.csrf };
    const cases: [string, () => Promise<Answer>, number, RegExp][] = [
      ['% dans un paramètre', () => send('GET', '/api/schemes/%E0%A4%A'), 400, /mal encodée/],
      ['% dans une tuile', () => send('GET', '/tiles/%/0/0/0.mvt'), 400, /mal encodée/],
      ['%00 dans un paramètre', () => send('GET', '/api/territories/commune/46042%00'), 400, /caractère nul/],
      [
        'charset latin1',
        () => send('POST', '/api/schemes', { ...json, 'content-type': 'application/json; charset=latin1' }, Buffer.from('{}')),
        415,
        /latin1.*UTF-8/,
      ],
      [
        'Content-Encoding inconnu',
        () => send('POST', '/api/schemes', { ...json, 'content-encoding': 'x-bombe' }, Buffer.from('{}')),
        415,
        /x-bombe/,
      ],
      [
        'gzip invalide',
        () => send('POST', '/api/schemes', { ...json, 'content-encoding': 'gzip' }, Buffer.from('pas du gzip')),
        400,
        /illisible/,
      ],
      [
        'NUL dans le JSON',
        () => send('POST', '/api/schemes', json, Buffer.from('{"type":"CLS","name":"CLS\\u0000 nul"}')),
        400,
        /caractère nul.*name/,
      ],
      [
        'surrogat isolé',
        () => send('POST', '/api/schemes', json, Buffer.from('{"type":"CLS","name":"CLS \\ud800"}')),
        400,
        /surrogat isolé.*name/,
      ],
      [
        'If-Match débordant',
        () =>
          send('PATCH', '/api/schemes/cls-grand-quercy', { ...json, 'if-match': '"v99999999999999999999"' }, Buffer.from('{"remark":"x"}')),
        409,
        /modifiée entre-temps/,
      ],
    ];
    for (const [what, request, status, detail] of cases) {
      const a = await request();
      expect(a.status, what).toBe(status);
      expect(a.headers['content-type'], what).toMatch(/problem\+json/);
      expect(JSON.parse(a.body).detail, what).toMatch(detail);
    }
  });

  it('checks the registry CSV like the API: syntax with its line, bearer type, themes', async () => {
    const csv = async (text: string) =>
      settle(
        await send(
          'POST',
          '/api/registry/import',
          { 'content-type': 'text/csv', cookie: admin.cookie, 'x-csrf-token': admin.csrf },
          Buffer.from(text),
        ),
      );
    const header =
      'code;type;nom;porteur_type;porteur_nom;perimetre_reference;date_signature;generation;statut;date_fin;etp_coordination;thematiques;signataires;source;remarque;communes\n';
    const row = (bearer: string, themes: string, name = 'CLS du corpus (fictif)') =>
      `corpus-cls;CLS;${name};${bearer};;;2020;1;en_cours;;0,5;${themes};;;;46042\n`;
    const unclosed = await csv(header + row('EPCI', 'santé mentale') + row('EPCI', '', '"CLS ouvert'));
    expect(unclosed.status).toBe(422);
    expect(JSON.parse(unclosed.body).detail).toMatch(/ligne 3 : guillemet ouvert jamais refermé/);
    const bearer = await csv(header + row('PIRATE', 'astrologie'));
    expect(bearer.status).toBe(422);
    const detail = JSON.parse(bearer.body).detail as string;
    expect(detail).toMatch(/ligne 2 : « porteur_type » : type de porteur attendu/);
    expect(detail).toMatch(/ligne 2 : « thematiques » : thématique inconnue/);
    expect((await db.query(`SELECT code FROM registry.scheme WHERE code = 'corpus-cls'`)).length).toBe(0);
  });

  it('sets the security headers on the API, tiles, the client, errors and refused requests', async () => {
    const tile = '/tiles/departement/6/32/23.mvt';
    const answers = [
      await send('GET', '/api/health'),
      await send('GET', '/api/nulle-part'),
      await send('GET', tile), // cut by Express
      await send('GET', tile), // from the fast lane
      await send('GET', '/'),
      await send('GET', '/assets/app.js'),
      await sendRaw(`GET /api/health HTTP/1.1\r\nHost: x\r\nX-Long: ${'a'.repeat(20_000)}\r\n\r\n`),
    ];
    expect(answers.map((a) => a.status)).toEqual([200, 404, 200, 200, 200, 200, 431]);
    for (const a of answers) {
      const csp = String(a.headers['content-security-policy']);
      expect(csp).toMatch(/default-src 'self'/);
      expect(csp).toMatch(/frame-ancestors 'none'/);
      expect(csp).toMatch(/worker-src 'self' blob:/);
      expect(csp).not.toMatch(/unsafe-eval/);
      expect(a.headers['x-content-type-options']).toBe('nosniff');
      expect(a.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
      expect(a.headers['x-frame-options']).toBe('DENY');
    }
  });
});

/** A TCP relay to a database that the test can cut, as a network outage would. */
function relay(target: { host: string; port: number }) {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    sockets.add(client).add(upstream);
    client.pipe(upstream).pipe(client);
    const drop = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
  });
  return {
    listen: () => new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port))),
    cut: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

describe.each(backends())('database outage on $name', (backend: Backend) => {
  it('answers 503 with Retry-After, in French, when the database is gone', async () => {
    let db: Db;
    let cut: () => Promise<void>;
    if (backend.databaseUrl) {
      // PostgreSQL behind a relay: connections terminated, then refused
      const url = new URL(backend.databaseUrl);
      const r = relay({ host: url.hostname, port: Number(url.port || 5432) });
      url.port = String(await r.listen());
      url.hostname = '127.0.0.1';
      db = await openDb({ databaseUrl: url.toString(), dataDir: '' });
      cut = r.cut;
    } else {
      // the embedded database closed under the running server
      db = await openBackend(backend);
      cut = () => db.close();
    }
    const tiles = new TileStore(db);
    const server = createServer({ db, logger: pino({ level: 'silent' }), tiles }).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      expect((await fetch(`${url}/api/schemes`)).status).toBe(200);
      await cut();
      for (const path of ['/api/schemes', '/api/search?q=Cahors', '/api/territories/commune/46042']) {
        const res = await fetch(url + path);
        expect(res.status, path).toBe(503);
        expect(res.headers.get('retry-after'), path).toMatch(/^\d+$/);
        expect(((await res.json()) as { detail: string }).detail).toMatch(/base de données ne répond pas/);
      }
    } finally {
      await new Promise((resolve) => server.close(resolve));
      await tiles.close().catch(() => undefined);
      if (backend.databaseUrl) await db.close().catch(() => undefined);
    }
  });
});
