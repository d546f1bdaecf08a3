// An honest registry over HTTP, on every backend: bulk scheme import (names resolved in
// the file's zone, re-keyed codes, an ambiguous name and an unknown code reported, merge,
// région scope), the registry CSV import's scope, inventory statuses changing the wording
// of gap answers (JSON and CSV), fictitious CPTS flagged, signalled schemes through
// moderation, the contribution rate limit, e-mails hidden from the history and contacts
// scoped per role.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../server/auth/passwords.ts';
import { createUser } from '../../server/queries/users.ts';
import { materializeSchemes } from '../../core/registry/materialize.ts';
import { finishedJob } from '../support/jobs.ts';
import { backends, startTestServer, type TestServer } from '../support/backends.ts';

const PASSWORD = 'correct horse battery staple';
const DOMAIN = '@honnete.test';
const ROLES = {
  admin: { role: 'admin', region: null, schemes: [] },
  coordinator: { role: 'coordinator', region: null, schemes: ['cls-honest-cahors'] },
  otherCoordinator: { role: 'coordinator', region: null, schemes: ['cls-cergy'] },
  planner: { role: 'planner', region: '76', schemes: [] },
  otherPlanner: { role: 'planner', region: '11', schemes: [] },
} as const;
type Actor = keyof typeof ROLES | 'visitor';
const SIGNALLED = 'cls-contrat-local-de-sante-signale-de-figeac';

describe.each(backends())('honest registry on $name', (backend) => {
  let server: TestServer;
  const sessions = new Map<Actor, { cookie: string; csrf: string }>();

  async function call(method: string, path: string, as: Actor, body?: unknown, headers: Record<string, string> = {}) {
    const s = sessions.get(as);
    return fetch(server.url + path, {
      method,
      headers: {
        ...(body !== undefined && typeof body === 'object' && !(body instanceof Uint8Array) ? { 'content-type': 'application/json' } : {}),
        ...(s ? { cookie: s.cookie, 'x-csrf-token': s.csrf } : {}),
        ...headers,
      },
      body:
        body === undefined
          ? undefined
          : ((typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body)) as BodyInit),
    });
  }
  const json = async (method: string, path: string, as: Actor, body?: unknown, headers?: Record<string, string>) => {
    const res = await call(method, path, as, body, headers);
    return { status: res.status, body: (await res.json()) as any };
  };
  const cleanup = async () => {
    const db = server.db;
    await db.query(`DELETE FROM registry.scheme WHERE code LIKE 'bulk-test-%' OR code LIKE 'cls-honest-%' OR code = $1`, [SIGNALLED]);
    await db.query(`DELETE FROM registry.history WHERE scheme LIKE 'bulk-test-%' OR scheme LIKE 'cls-honest-%' OR scheme = $1`, [
      SIGNALLED,
    ]);
    await db.query(
      `DELETE FROM atlas.membership WHERE layer = 'scheme' AND (code LIKE 'bulk-test-%' OR code LIKE 'cls-honest-%' OR code = $1)`,
      [SIGNALLED],
    );
    await db.query(
      `DELETE FROM atlas.perimeter WHERE layer = 'scheme' AND (code LIKE 'bulk-test-%' OR code LIKE 'cls-honest-%' OR code = $1)`,
      [SIGNALLED],
    );
    await db.query(`DELETE FROM registry.contribution WHERE reporter_email LIKE $1`, [`%${DOMAIN}`]);
    // the signalment limit is kept in the database: the test's address starts afresh
    await db.query(`DELETE FROM registry.rate_limit WHERE key LIKE 'contribution:%'`);
    await db.query(`DELETE FROM registry.inventory WHERE comment LIKE 'test honnête%'`);
    await db.query(`DELETE FROM registry.inventory_history WHERE comment LIKE 'test honnête%'`);
    await db.query(`DELETE FROM registry.app_user WHERE email LIKE $1`, [`%${DOMAIN}`]);
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
      sessions.set(name as Actor, { cookie: res.headers.get('set-cookie')!.split(';')[0]!, csrf: ((await res.json()) as any).csrfToken });
    }
  });

  afterAll(async () => {
    if (server) {
      await cleanup();
      await server.db.transaction((tx) => materializeSchemes(tx, 'atlas', null));
      await server.close();
    }
  });

  describe('bulk scheme import', () => {
    // Latin-1, ';', names resolved within Occitanie: Gourdon is 46127 there (other Gourdon
    // lie in other régions), Albas names two communes (11006, 46001), 46014 was merged into 46263
    const sheet = Buffer.from(
      [
        'Identifiant;Type;Intitulé;Porteur;Date de signature;ETP;Périmètre',
        'bulk-test-figeac;CLS;CLS du Grand Figeac;CC Grand-Figeac;12/03/2019;0,5;Figeac | Gourdon | 46014',
        'bulk-test-albas;CLS;CLS de la vallée;Mairie;2020;;Albas | 46102',
        'bulk-test-inconnu;ASV;ASV imaginaire;;2021;;46999',
        'bulk-test-cahors;CLSM;CLSM du Grand Cahors;;2022;1;CA du Grand Cahors',
      ].join('\r\n'),
      'latin1',
    );
    const post = (body: Uint8Array | string, as: Actor, query: string) =>
      json('POST', `/api/schemes/import?${query}`, as, body, { 'content-type': 'text/csv' });

    it('dry-runs, reports every row, then imports exactly that', async () => {
      const dry = await post(sheet, 'planner', 'scope=region:76&fileName=ars-occitanie.csv');
      expect(dry.status).toBe(200);
      expect(dry.body).toMatchObject({
        dryRun: true,
        encoding: 'latin1',
        layout: 'scheme',
        counts: { created: 2, updated: 0, unchanged: 0, rejected: 2 },
      });
      const by = Object.fromEntries(dry.body.schemes.map((s: any) => [s.code, s]));
      expect(by['bulk-test-figeac']).toMatchObject({ outcome: 'created', rekeyed: [{ from: '46014', to: '46263' }], communeCount: 3 });
      expect(by['bulk-test-figeac'].names.map((n: any) => n.code)).toEqual(['46102', '46127']);
      expect(by['bulk-test-albas'].outcome).toBe('rejected');
      expect(by['bulk-test-albas'].ambiguous).toEqual([
        {
          name: 'Albas',
          candidates: expect.arrayContaining([
            { code: '11006', name: 'Albas', kind: 'commune' },
            { code: '46001', name: 'Albas', kind: 'commune' },
          ]),
        },
      ]);
      expect(by['bulk-test-inconnu']).toMatchObject({ outcome: 'rejected', unknown: ['46999'] });
      const [epci] = await server.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM atlas.membership WHERE layer = 'epci' AND code = '200023737'`,
      );
      expect(by['bulk-test-cahors']).toMatchObject({ outcome: 'created', communeCount: epci!.n });
      const [none] = await server.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM registry.scheme WHERE code LIKE 'bulk-test-%'`);
      expect(none!.n).toBe(0); // a dry run writes nothing

      const real = await post(sheet, 'planner', 'scope=region:76&fileName=ars-occitanie.csv&mode=apply');
      expect(real.body.counts).toEqual(dry.body.counts);
      const figeac = (await json('GET', '/api/schemes/bulk-test-figeac', 'visitor')).body.scheme;
      expect(figeac).toMatchObject({
        type: 'CLS',
        signatureDate: '2019-03-12',
        coordinationFte: 0.5,
        sourceKind: 'import',
        source: 'Import du fichier « ars-occitanie.csv » par planner',
      });
      expect(figeac.sourceDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(figeac.communes.map((c: any) => c.code)).toEqual(['46102', '46127', '46263']);
      const sheetApi = (await json('GET', '/api/territories/cls/bulk-test-figeac', 'visitor')).body;
      expect(sheetApi.communeCount).toBe(3); // materialised in the atlas
      const again = await post(sheet, 'planner', 'scope=region:76&mode=apply');
      expect(again.body.counts).toEqual({ created: 0, updated: 0, unchanged: 2, rejected: 2 });
    });

    it('merges one row per (scheme, commune) into an update', async () => {
      const perCommune =
        'id;type;nom;commune\nbulk-test-figeac;CLS;CLS du Grand Figeac;46102\nbulk-test-figeac;CLS;CLS du Grand Figeac;Gourdon\n';
      const r = await post(perCommune, 'planner', 'scope=departement:46&mode=apply');
      expect(r.body).toMatchObject({ layout: 'commune', counts: { created: 0, updated: 1, unchanged: 0, rejected: 0 } });
      const figeac = (await json('GET', '/api/schemes/bulk-test-figeac', 'visitor')).body.scheme;
      expect(figeac.communes.map((c: any) => c.code)).toEqual(['46102', '46127']);
      expect(figeac.signatureDate).toBeNull(); // the new file says no date: the file wins
    });

    it('keeps a planner in their région; refuses coordinators and bad files clearly', async () => {
      expect((await post(sheet, 'otherPlanner', 'scope=region:76')).status).toBe(403);
      expect((await post(sheet, 'coordinator', 'scope=region:76')).status).toBe(403);
      expect((await post(sheet, 'visitor', 'scope=region:76')).status).toBe(401);
      const outside = await post('id;type;nom;perimetre\nbulk-test-x;CLS;CLS hors zone;46102\n', 'otherPlanner', 'scope=region:11');
      expect(outside.body.schemes[0]).toMatchObject({
        outcome: 'rejected',
        reasons: [expect.stringMatching(/hors de la zone du fichier/)],
      });
      const bad = await post('a;b\n1;2\n', 'planner', 'scope=region:76');
      expect(bad.status).toBe(422);
      expect(bad.body.detail).toMatch(/^Colonnes manquantes/);
      expect((await post(sheet, 'planner', 'scope=76')).status).toBe(400);
    });

    it('applies the same scope to the registry CSV import', async () => {
      const csv = (await (await call('GET', '/api/registry/export.csv', 'visitor')).text()).split('\r\n');
      const header = csv[0]!;
      const row = csv.find((l) => l.startsWith('bulk-test-cahors;'))!;
      const file = `${header}\r\n${row}\r\n`;
      const refused = await json('POST', '/api/registry/import', 'otherPlanner', file, { 'content-type': 'text/csv' });
      expect(refused.status).toBe(403);
      expect(refused.body.outside).toEqual(['bulk-test-cahors']);
      const accepted = await call('POST', '/api/registry/import', 'planner', file, { 'content-type': 'text/csv' });
      const job = await finishedJob(server.url, accepted, { cookie: sessions.get('planner')!.cookie });
      expect(job).toMatchObject({ status: 'succeeded', report: { created: 0, updated: 1 } });
    });
  });

  describe('inventory status and the words of coverage answers', () => {
    it('says "connu" until the région declares its inventory complete, in JSON and CSV', async () => {
      const before = (await json('GET', '/api/gaps?layer=cls&within=departement:46', 'visitor')).body;
      const [known] = await server.db.query<{ n: number }>(
        `SELECT count(DISTINCT p.code)::int AS n FROM atlas.perimeter p JOIN atlas.membership m ON m.layer = p.layer AND m.code = p.code
         JOIN atlas.commune c ON c.code = m.commune WHERE p.layer = 'scheme' AND p.subtype = 'CLS' AND c.departement = '46'`,
      );
      expect(before.inventory).toEqual({
        status: 'inconnu',
        completeAt: null,
        known: known!.n,
        wording: `communes sans CLS connu — exhaustivité du registre inconnue : ${known!.n} CLS recensé${known!.n > 1 ? 's' : ''} dans la zone`,
      });
      const body = { status: 'complet', completeAt: '2026-11-30', comment: 'test honnête : liste ARS Occitanie' };
      expect((await call('PUT', '/api/inventory/region:76/CLS', 'visitor', body)).status).toBe(401);
      expect((await call('PUT', '/api/inventory/departement:46/CLS', 'otherPlanner', body)).status).toBe(403);
      expect((await call('PUT', '/api/inventory/region:76/CLS', 'planner', { ...body, comment: '' })).status).toBe(400);
      expect((await call('PUT', '/api/inventory/region:76/CLS', 'planner', { status: 'complet', comment: 'test honnête' })).status).toBe(
        400,
      );
      const set = await json('PUT', '/api/inventory/region:76/CLS', 'planner', body);
      expect(set).toMatchObject({
        status: 200,
        body: { entry: { zone: 'region:76', type: 'CLS', status: 'complet', completeAt: '2026-11-30', updatedBy: 'planner' } },
      });

      const after = (await json('GET', '/api/gaps?layer=cls&within=departement:46', 'visitor')).body;
      expect(after.inventory).toMatchObject({
        status: 'complet',
        completeAt: '2026-11-30',
        wording: 'communes sans CLS (inventaire complet au 30/11/2026)',
      });
      expect(after.uncovered.communeCount).toBe(before.uncovered.communeCount);
      const csv = (await (await call('GET', '/api/gaps?layer=cls&within=departement:46&format=csv', 'visitor')).text()).replace(
        /^\uFEFF/,
        '',
      );
      expect(csv.split('\r\n').slice(0, 3)).toEqual([
        '# communes sans CLS (inventaire complet au 30/11/2026)',
        '# zone : Lot (departement:46)',
        '# état du registre : communes sans CLS (inventaire complet au 30/11/2026)',
      ]);
      // France spans other régions, still unknown: never complete
      const france = (await json('GET', '/api/gaps?layer=cls', 'visitor')).body;
      expect(france.inventory.status).toBe('partiel');
      expect(france.inventory.wording).toMatch(/^communes sans CLS connu — registre partiel : \d+ CLS recensés dans la zone$/);
      const franceCsv = await (await call('GET', '/api/gaps?layer=cls&format=csv', 'visitor')).text();
      expect(franceCsv.replace(/^\uFEFF/, '').split('\r\n')[0]).toBe(`# ${france.inventory.wording}`);
      // QPV: ASV unknown in the Lot, so "connus" even though CLS is complete
      const qpv = (await json('GET', '/api/gaps/qpv?within=departement:46', 'visitor')).body;
      expect(qpv.inventory.wording).toMatch(/^QPV sans ASV ni CLS connus — registre partiel/);

      const listed = (await json('GET', '/api/inventory?region=76', 'visitor')).body.entries;
      expect(listed.find((e: any) => e.zone === 'region:76' && e.type === 'CLS')).toMatchObject({
        status: 'complet',
        comment: body.comment,
      });
      expect(listed.find((e: any) => e.zone === 'departement:46' && e.type === 'ASV')).toMatchObject({ status: 'inconnu' });
      await json('PUT', '/api/inventory/region:76/CLS', 'admin', { status: 'partiel', comment: 'test honnête : retour en partiel' });
      const history = (await json('GET', '/api/inventory/region:76/CLS/history', 'visitor')).body.history;
      expect(history.map((h: any) => [h.status, h.by])).toEqual([
        ['partiel', 'admin'],
        ['complet', 'planner'],
      ]);
      expect((await json('GET', '/api/gaps?layer=cls&within=departement:46', 'visitor')).body.inventory.status).toBe('partiel');
    });

    it('says that the CPTS of the Lot are fictitious examples', async () => {
      const cpts = (await json('GET', '/api/gaps?layer=cpts&within=departement:46', 'visitor')).body;
      const [facts] = await server.db.query<{ n: number }>(
        `SELECT count(DISTINCT m.code)::int AS n FROM atlas.membership m JOIN atlas.commune c ON c.code = m.commune
         WHERE m.layer = 'cpts' AND c.departement = '46'`,
      );
      expect(facts!.n).toBeGreaterThan(0);
      expect(cpts.fiction).toEqual({
        fictitious: true,
        count: facts!.n,
        wording: `Les ${facts!.n} CPTS de la zone sont des exemples fictifs, générés pour la démonstration : cette réponse ne décrit pas la réalité.`,
      });
      expect(cpts.inventory.wording).toMatch(/^communes sans CPTS connue — /);
      const csv = await (await call('GET', '/api/gaps?layer=cpts&within=departement:46&format=csv', 'visitor')).text();
      expect(csv).toContain(`\r\n# données fictives : ${cpts.fiction.wording}\r\n`);
      const cls = (await json('GET', '/api/gaps?layer=cls&within=departement:46', 'visitor')).body;
      expect(cls.fiction).toEqual({ fictitious: false, count: 0, wording: null });
    });
  });

  describe('contributions without an account', () => {
    const form = {
      type: 'CLS',
      name: 'Contrat local de santé signalé de Figeac',
      bearerName: 'Mairie de Figeac',
      communes: ['46102'],
      epci: [],
      signatureDate: '2023-06',
      coordinationFte: 0.4,
      email: `temoin${DOMAIN}`,
      sourceUrl: 'https://www.example.org/cls-figeac',
      website: '',
    };

    it('goes from the public form through moderation to a scheme, the e-mail never published', async () => {
      expect((await call('POST', '/api/contributions', 'visitor', { ...form, website: undefined, name: 'x'.repeat(30_000) })).status).toBe(
        413,
      );
      const sent = await json('POST', '/api/contributions', 'visitor', form);
      expect(sent).toMatchObject({ status: 202, body: { received: true } });
      const other = await json('POST', '/api/contributions', 'visitor', {
        ...form,
        name: 'ASV inventé de Cahors',
        type: 'ASV',
        communes: ['46042'],
      });
      expect(other.status).toBe(202);

      expect((await call('GET', '/api/contributions', 'visitor')).status).toBe(401);
      expect((await call('GET', '/api/contributions', 'coordinator')).status).toBe(403);
      expect(
        (await json('GET', '/api/contributions', 'otherPlanner')).body.contributions.filter((c: any) => c.reporterEmail.endsWith(DOMAIN)),
      ).toEqual([]);
      const queue = (await json('GET', '/api/contributions', 'planner')).body.contributions.filter((c: any) =>
        c.reporterEmail.endsWith(DOMAIN),
      );
      expect(queue.map((c: any) => c.name)).toEqual([form.name, 'ASV inventé de Cahors']);
      expect(queue[0]).toMatchObject({
        region: '76',
        status: 'en_attente',
        communes: [{ code: '46102', name: 'Figeac' }],
        reporterEmail: form.email,
      });
      expect((await json('GET', '/api/contributions', 'admin')).body.contributions.map((c: any) => c.id)).toEqual(
        expect.arrayContaining(queue.map((c: any) => c.id)),
      );

      expect((await call('POST', `/api/contributions/${queue[0].id}/accept`, 'otherPlanner', {})).status).toBe(403);
      const accepted = await json('POST', `/api/contributions/${queue[0].id}/accept`, 'planner', {});
      expect(accepted).toMatchObject({ status: 200, body: { scheme: { code: SIGNALLED } } });
      expect((await call('POST', `/api/contributions/${queue[0].id}/accept`, 'admin', {})).status).toBe(409);
      const scheme = await json('GET', `/api/schemes/${SIGNALLED}`, 'visitor');
      expect(scheme.body.scheme).toMatchObject({
        type: 'CLS',
        bearerName: 'Mairie de Figeac',
        coordinationFte: 0.4,
        sourceKind: 'signalement',
        communes: [{ code: '46102', share: 1 }],
      });
      expect(scheme.body.scheme.source).toMatch(/^Signalement du \d{2}\/\d{2}\/\d{4} — https:\/\/www\.example\.org\/cls-figeac$/);
      for (const path of [
        `/api/schemes/${SIGNALLED}`,
        `/api/schemes/${SIGNALLED}/history`,
        `/api/territories/cls/${SIGNALLED}`,
        '/api/registry/export.csv',
      ]) {
        expect(await (await call('GET', path, 'visitor')).text(), path).not.toContain(form.email);
      }
      const rejected = await json('POST', `/api/contributions/${queue[1].id}/reject`, 'admin', {
        reason: 'Aucun ASV à Cahors selon l’ARS',
      });
      expect(rejected.body.contribution).toMatchObject({ status: 'rejetee', reason: 'Aucun ASV à Cahors selon l’ARS' });
      expect((await json('GET', '/api/contributions?status=rejetee', 'planner')).body.contributions.map((c: any) => c.id)).toContain(
        queue[1].id,
      );
    });

    it('drops robots, refuses markup, and limits signalments per address', async () => {
      const [{ n: before } = { n: 0 }] = await server.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM registry.contribution`);
      const robot = await json('POST', '/api/contributions', 'visitor', { ...form, website: 'http://spam.example' });
      expect(robot.status).toBe(202); // answered as usual…
      const [{ n: after } = { n: 0 }] = await server.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM registry.contribution`);
      expect(after).toBe(before); // …and nothing kept
      const html = await json('POST', '/api/contributions', 'visitor', { ...form, name: 'CLS <script>alert(1)</script>' });
      expect(html.status).toBe(400);
      expect(html.body.detail).toMatch(/pas de balises HTML/);
      // 2 signalments above, the robot and the markup: the fifth is the last one allowed
      expect((await call('POST', '/api/contributions', 'visitor', { ...form, communes: ['46999'] })).status).toBe(422);
      const limited = await call('POST', '/api/contributions', 'visitor', form);
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(((await limited.json()) as any).detail).toMatch(/Trop de signalements/);
    });
  });

  describe('privacy', () => {
    beforeAll(async () => {
      const res = await call('POST', '/api/schemes', 'admin', {
        code: 'cls-honest-cahors',
        type: 'CLS',
        name: 'CLS honnête du Grand Cahors',
        perimeter: { epci: ['200023737'] },
      });
      expect(res.status).toBe(201);
      const ref = await call('PUT', '/api/schemes/cls-honest-cahors/referents/46042', 'admin', {
        name: 'Claire Dupont',
        email: 'c.dupont@mairie.test',
        phone: '05 65 00 00 00',
      });
      expect(ref.status).toBe(204);
    });

    it('names editors by name and role, their e-mail for admins only', async () => {
      for (const actor of ['visitor', 'planner', 'coordinator'] as Actor[]) {
        const res = await call('GET', '/api/schemes/cls-honest-cahors/history', actor);
        const text = await res.text();
        expect(text, actor).not.toContain(DOMAIN);
        const history = JSON.parse(text).history;
        expect(history[0]).toMatchObject({ userName: 'admin', userRole: 'admin', userEmail: null, action: 'création' });
      }
      const admin = (await json('GET', '/api/schemes/cls-honest-cahors/history', 'admin')).body.history;
      expect(admin[0].userEmail).toBe(`admin${DOMAIN}`);
      const scheme = (await json('GET', '/api/schemes/cls-honest-cahors', 'visitor')).body.scheme;
      expect(scheme).toMatchObject({ source: 'Saisie par admin', sourceKind: 'saisie' });
    });

    it('shows referents’ contacts to the scheme’s coordinator, its région’s planner and admins only', async () => {
      const expected: Record<Actor, boolean> = {
        visitor: false,
        coordinator: true,
        otherCoordinator: false,
        planner: true,
        otherPlanner: false,
        admin: true,
      };
      for (const [actor, shown] of Object.entries(expected) as [Actor, boolean][]) {
        const r = (await json('GET', '/api/schemes/cls-honest-cahors/referents', actor)).body;
        expect(r.contactsShown, actor).toBe(shown);
        const cahors = r.communes.find((c: any) => c.commune === '46042');
        expect(cahors.name).toBe('Claire Dupont');
        expect(cahors.email, actor).toBe(shown ? 'c.dupont@mairie.test' : null);
        expect(cahors.phone, actor).toBe(shown ? '05 65 00 00 00' : null);
      }
    });
  });
});
