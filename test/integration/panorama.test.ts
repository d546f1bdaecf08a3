// The panorama over HTTP, on every backend: the figures of the Lot (46) and of Occitanie
// (76) match counts made here with plain SQL on the registry tables and memberships (not
// the panorama's queries); the seed CLS fall in the survey's population bands; fictitious
// CPTS are excluded unless asked; a registry edit shows at once; CSV blocks say what they
// are; bad zones get French 4xx answers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../server/auth/passwords.ts';
import { createUser } from '../../server/queries/users.ts';
import { materializeSchemes } from '../../core/registry/materialize.ts';
import { backends, startTestServer, type TestServer } from '../support/backends.ts';

const PASSWORD = 'correct horse battery staple';
const EMAIL = 'admin@panorama.test';
const TYPES = ['CLS', 'ASV', 'CLSM', 'PTSM'];

describe.each(backends())('panorama on $name', (backend) => {
  let server: TestServer;
  let session: { cookie: string; csrf: string };

  const get = async (path: string) => {
    // a kept-alive socket the server closes after 5 s idle (long SQL checks in between) may
    // be reset as it is reused: such a request never reached the server, ask again
    const res = await fetch(server.url + path).catch((err: unknown) => {
      if ((err as { cause?: { code?: string } }).cause?.code !== 'ECONNRESET') throw err;
      return fetch(server.url + path);
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  const send = (method: string, path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(server.url + path, {
      method,
      headers: { 'content-type': 'application/json', cookie: session.cookie, 'x-csrf-token': session.csrf, ...headers },
      body: JSON.stringify(body),
    });
  const cleanup = async () => {
    const db = server.db;
    await db.query(`DELETE FROM registry.scheme WHERE code LIKE 'asv-panorama-%'`);
    await db.query(`DELETE FROM registry.history WHERE scheme LIKE 'asv-panorama-%'`);
    await db.query(`DELETE FROM atlas.membership WHERE layer = 'scheme' AND code LIKE 'asv-panorama-%'`);
    await db.query(`DELETE FROM atlas.perimeter WHERE layer = 'scheme' AND code LIKE 'asv-panorama-%'`);
    await db.query(`DELETE FROM registry.app_user WHERE email = $1`, [EMAIL]);
  };

  beforeAll(async () => {
    server = await startTestServer(backend);
    await cleanup();
    await createUser(server.db, {
      email: EMAIL,
      name: 'Admin panorama',
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
    expect(res.status).toBe(200);
    session = { cookie: res.headers.get('set-cookie')!.split(';')[0]!, csrf: ((await res.json()) as any).csrfToken };
  });

  afterAll(async () => {
    if (server) {
      await cleanup();
      await server.db.transaction((tx) => materializeSchemes(tx, 'atlas', null));
      await server.close();
    }
  });

  /** What the panorama should say for a zone, counted here from the registry tables. */
  async function expected(column: 'departement' | 'region', code: string) {
    const db = server.db;
    const schemes = await db.query<{ type: string; status: string; n: number }>(
      `SELECT s.type, s.status, count(*)::int AS n FROM registry.scheme s
       WHERE EXISTS (SELECT 1 FROM registry.scheme_commune sc JOIN atlas.commune c ON c.code = sc.commune
                     WHERE sc.scheme = s.code AND c.${column} = $1)
       GROUP BY 1, 2`,
      [code],
    );
    const covered = await db.query<{ type: string; n: number }>(
      `SELECT s.type, count(DISTINCT sc.commune)::int AS n FROM registry.scheme s
       JOIN registry.scheme_commune sc ON sc.scheme = s.code JOIN atlas.commune c ON c.code = sc.commune
       WHERE c.${column} = $1 GROUP BY 1`,
      [code],
    );
    const [zone] = await db.query<{ population: number; communes: number }>(
      `SELECT sum(population)::float8 AS population, count(*)::int AS communes FROM atlas.commune WHERE ${column} = $1`,
      [code],
    );
    const [qpv] = await db.query<{ n: number }>(
      `SELECT count(DISTINCT m.code)::int AS n FROM atlas.membership m JOIN atlas.perimeter p ON p.layer = m.layer AND p.code = m.code
       JOIN atlas.commune c ON c.code = m.commune WHERE m.layer = 'qpv' AND p.subtype = '2024' AND c.${column} = $1`,
      [code],
    );
    const [cpts] = await db.query<{ all: number; fictitious: number }>(
      `SELECT count(*)::int AS all, count(*) FILTER (WHERE p.fictif OR l.fictif)::int AS fictitious
       FROM atlas.perimeter p JOIN atlas.layer l ON l.id = p.layer
       WHERE p.layer = 'cpts' AND EXISTS (SELECT 1 FROM atlas.membership m JOIN atlas.commune c ON c.code = m.commune
                                          WHERE m.layer = 'cpts' AND m.code = p.code AND c.${column} = $1)`,
      [code],
    );
    const count = (t: string) => schemes.filter((r) => r.type === t).reduce((s, r) => s + r.n, 0);
    const status = (t: string, st: string) => schemes.find((r) => r.type === t && r.status === st)?.n ?? 0;
    return { count, status, covered: (t: string) => covered.find((r) => r.type === t)?.n ?? 0, zone: zone!, qpv: qpv!.n, cpts: cpts! };
  }

  function checkAgainst(body: any, e: Awaited<ReturnType<typeof expected>>) {
    expect(body.communes).toBe(e.zone.communes);
    expect(body.population).toBe(e.zone.population);
    for (const t of TYPES) {
      const row = body.types.find((r: any) => r.type === t);
      expect(row.count, t).toBe(e.count(t));
      expect(row.byStatus.en_cours, `${t} en cours`).toBe(e.status(t, 'en_cours'));
      expect(row.byStatus.en_elaboration, `${t} en élaboration`).toBe(e.status(t, 'en_elaboration'));
      expect(row.byStatus.termine, `${t} terminé`).toBe(e.status(t, 'termine'));
      expect(row.coveredCommunes, `${t} communes couvertes`).toBe(e.covered(t));
      expect(body.inventory[t].known).toBe(e.count(t));
    }
    expect(body.qpv.total).toBe(e.qpv);
  }

  it('matches independent counts for the Lot (46)', async () => {
    const e = await expected('departement', '46');
    expect(e.count('CLS')).toBeGreaterThan(0); // Grand Quercy at least: the comparison means something
    const { status, body } = await get('/api/panorama?within=departement:46');
    expect(status).toBe(200);
    expect(body.within).toMatchObject({ kind: 'departement', code: '46', name: 'Lot', parent: { code: '76' } });
    checkAgainst(body, e);
    // fictitious CPTS of the Lot: excluded, and said
    expect(e.cpts.fictitious).toBeGreaterThan(0);
    expect(body.types.find((r: any) => r.type === 'CPTS').count).toBe(e.cpts.all - e.cpts.fictitious);
    expect(body.fiction).toMatchObject({ included: false, count: e.cpts.fictitious });
    expect(body.fiction.wording).toMatch(/exclus?/);
    expect(body.inventory.CLS.wording).toMatch(/CLS connus? \((registre partiel|exhaustivité du registre inconnue)\)/);
    const withFiction = (await get('/api/panorama?within=departement:46&includeFictif=true')).body;
    expect(withFiction.types.find((r: any) => r.type === 'CPTS')).toMatchObject({ count: e.cpts.all, fictitious: e.cpts.fictitious });
    expect(withFiction.fiction.wording).toMatch(/fictifs?.*ne décrivent pas la réalité/);
  });

  it('matches independent counts for Occitanie (76), département by département', async () => {
    const e = await expected('region', '76');
    const { body } = await get('/api/panorama?within=region:76');
    checkAgainst(body, e);
    expect(body.areaLevel).toBe('departement');
    const deps = await server.db.query<{ departement: string; n: number }>(
      `SELECT DISTINCT departement, count(*)::int AS n FROM atlas.commune WHERE region = '76' GROUP BY 1 ORDER BY 1`,
    );
    expect(body.areas.map((a: any) => [a.code, a.communes])).toEqual(deps.map((d) => [d.departement, d.n]));
    for (const d of deps) {
      const de = await expected('departement', d.departement);
      const area = body.areas.find((a: any) => a.code === d.departement);
      for (const t of TYPES) expect(area.types.find((x: any) => x.type === t).count, `${t} ${d.departement}`).toBe(de.count(t));
    }
  });

  it('puts the seed CLS in the survey bands', async () => {
    const { body } = await get('/api/panorama?within=france');
    const quercy = body.units.find((u: any) => u.code === 'cls-grand-quercy');
    const [pop] = await server.db.query<{ p: number }>(
      `SELECT sum(c.population * sc.share)::float8 AS p FROM registry.scheme_commune sc JOIN atlas.commune c ON c.code = sc.commune
       WHERE sc.scheme = 'cls-grand-quercy'`,
    );
    expect(quercy.population).toBe(Math.round(pop!.p));
    expect(quercy.population).toBeGreaterThan(85_000);
    expect(quercy).toMatchObject({ band: '50k_100k', scale: 'petr' });
    expect(body.units.find((u: any) => u.code === 'cls-nantes-metropole')).toMatchObject({ band: 'plus_100k', scale: 'epci' });
    const clsBands = body.bands.find((b: any) => b.type === 'CLS');
    const bandOf = body.units.filter((u: any) => u.type === 'CLS');
    expect(clsBands.counts.plus_100k).toBe(bandOf.filter((u: any) => u.band === 'plus_100k').length);
    expect(Object.values(clsBands.counts).reduce((s: number, n: any) => s + n, clsBands.unknown)).toBe(bandOf.length);
    expect(body.areaLevel).toBe('region');
    expect(body.areas.length).toBeGreaterThanOrEqual(13);
  });

  it('shows a registry edit at once', async () => {
    const before = (await get('/api/panorama?within=departement:46')).body;
    const asv = (b: any) => b.types.find((r: any) => r.type === 'ASV');
    const created = await send('POST', '/api/schemes', {
      code: 'asv-panorama-cahors',
      type: 'ASV',
      name: 'ASV panorama de Cahors',
      perimeter: { communes: ['46042'] },
      signatureDate: '2025',
      coordinationFte: 0.5,
    });
    expect(created.status).toBe(201);
    const after = (await get('/api/panorama?within=departement:46')).body;
    expect(asv(after).count).toBe(asv(before).count + 1);
    expect(asv(after).byStatus.en_cours).toBe(asv(before).byStatus.en_cours + 1);
    expect(after.units.find((u: any) => u.code === 'asv-panorama-cahors')).toMatchObject({ scale: 'commune', year: 2025, fte: 0.5 });

    const read = await fetch(`${server.url}/api/schemes/asv-panorama-cahors`);
    const patched = await send(
      'PATCH',
      '/api/schemes/asv-panorama-cahors',
      { status: 'termine' },
      { 'if-match': read.headers.get('etag')! },
    );
    expect(patched.status).toBe(200);
    const edited = (await get('/api/panorama?within=departement:46')).body;
    expect(asv(edited).byStatus.termine).toBe(asv(before).byStatus.termine + 1);
    expect(asv(edited).byStatus.en_cours).toBe(asv(before).byStatus.en_cours);
  });

  it('exports a block as CSV that says what it is', async () => {
    const res = await fetch(`${server.url}/api/panorama?within=departement:46&format=csv&block=bands`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/csv/);
    const text = await res.text();
    const lines = text.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toBe('# Panorama — Démarches par tranche de population');
    expect(lines).toContain('# requête : GET /api/panorama?within=departement:46&format=csv&block=bands');
    expect(lines.some((l) => /^# état du registre CLS : \d+ CLS connus?/.test(l))).toBe(true);
    expect(lines.some((l) => l.startsWith('# millésime des données : '))).toBe(true);
    const header = lines.find((l) => !l.startsWith('#'))!;
    expect(header).toBe('type;< 10 000;10 000 – 20 000;20 000 – 50 000;50 000 – 100 000;> 100 000;perimetre_inconnu;etat_inventaire');
    const json = (await get('/api/panorama?within=departement:46')).body;
    const cls = lines.find((l) => l.startsWith('CLS;'))!.split(';');
    expect(cls.slice(1, 6).map(Number)).toEqual(Object.values(json.bands.find((b: any) => b.type === 'CLS').counts));
  });

  it('refuses a bad zone in French', async () => {
    const bad = await get('/api/panorama?within=epci:200023737');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/zone attendue/);
    const missing = await get('/api/panorama?within=region:99');
    expect(missing.status).toBe(404);
    expect(missing.body.detail).toMatch(/Zone introuvable/);
    expect((await get('/api/panorama?within=france&block=nimporte')).status).toBe(400);
  });
});
