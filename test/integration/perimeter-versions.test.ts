// Scoped and undoable perimeter imports through the API, on every backend: a planner of
// Auvergne-Rhône-Alpes uploading three CPTS for the Puy-de-Dôme replaces the CPTS of the
// Puy-de-Dôme only (every other unit byte-identical), cannot import outside their région
// (403), and undoes the import, after which the API answers byte for byte as before. The
// real PACA listing re-imported by an administrator and undone measures import + undo.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importPerimeters } from '../../core/perimeters/index.ts';
import { undoVersion } from '../../core/perimeters/versions.ts';
import { hashPassword } from '../../server/auth/passwords.ts';
import { createUser } from '../../server/queries/users.ts';
import { finishedJob } from '../support/jobs.ts';
import { backends, GEODATA_DIR, startTestServer, type TestServer } from '../support/backends.ts';

const DOMAIN = '@versions.test';
const PASSWORD = 'un mot de passe assez long';

/** Every column of every CPTS unit and membership, geometry as bytes: "byte-identical" in the database. */
const dumpCpts = (server: TestServer, where = 'true') =>
  server.db.query<{ row: string }>(
    `SELECT p.code || '|' || p.name || '|' || coalesce(p.subtype, '') || '|' || p.attrs::text || '|' || p.fictif || '|' ||
       coalesce(p.population::text, '') || '|' || coalesce(p.area_km2::text, '') || '|' || p.commune_count || '|' ||
       coalesce(encode(ST_AsBinary(p.geom), 'hex'), '') || '|' || p.search_key || '|' ||
       (SELECT string_agg(m.commune || '=' || coalesce(m.share::text, 'null'), ',' ORDER BY m.commune) FROM atlas.membership m
        WHERE m.layer = p.layer AND m.code = p.code) AS row
     FROM atlas.perimeter p WHERE p.layer = 'cpts' AND ${where} ORDER BY p.code`,
  );

describe.each(backends())('scoped, undoable perimeter imports on $name', (backend) => {
  let server: TestServer;
  let dir: string;
  const cookies = new Map<string, { cookie: string; csrf: string }>();
  const call = (as: string, method: string, url: string, body?: string) => {
    const s = cookies.get(as)!;
    return fetch(server.url + url, {
      method,
      headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, ...(body ? { 'content-type': 'text/csv' } : {}) },
      body,
    });
  };
  const upload = (as: string, query: string, body: string) => call(as, 'POST', `/api/perimeters/import?${query}`, body);
  /** The raw answers of the API a visitor sees, as text. */
  const answers = async (paths: string[]) => Promise.all(paths.map(async (p) => `${p}\n${await (await get(p)).text()}`));
  // a kept-alive socket may have been closed by the server during a long import: one retry
  const get = (p: string) => fetch(server.url + p).catch(() => fetch(server.url + p));

  let puy: { code: string; name: string }[];
  // three CPTS for the Puy-de-Dôme, the third with a commune of the Allier (still mostly in 63)
  const csv = () =>
    'code_cpts;nom_cpts;insee\n' +
    `CPTS-63-A;CPTS des Combrailles;${puy[0]!.code}\nCPTS-63-A;CPTS des Combrailles;${puy[1]!.code}\n` +
    `CPTS-63-B;CPTS du Livradois;${puy[2]!.code}\n` +
    `CPTS-63-C;CPTS des Dômes;${puy[3]!.code}\nCPTS-63-C;CPTS des Dômes;${puy[4]!.code}\nCPTS-63-C;CPTS des Dômes;03190\n`;
  const VISITOR_PATHS = [
    '/api/territories/cpts/FICTIF-CPTS-63-01',
    '/api/territories/cpts/FICTIF-CPTS-63-01/communes?format=csv',
    '/api/territories/commune/63113',
    '/api/territories/cpts/CPTS-AIX-SAINTE-VICTOIRE',
    '/api/territories/commune/13055',
    '/api/territories/cpts/FICTIF-CPTS-46-01',
    '/api/search?q=cpts&layers=cpts',
    '/api/layers',
  ];

  beforeAll(async () => {
    server = await startTestServer(backend);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mf-versions-'));
    puy = await server.db.query(`SELECT code, name FROM atlas.commune WHERE departement = '63' ORDER BY code LIMIT 5`);
    await server.db.query(`DELETE FROM registry.app_user WHERE email LIKE $1`, [`%${DOMAIN}`]);
    const hash = await hashPassword(PASSWORD);
    for (const [key, role, region] of [
      ['ara', 'planner', '84'],
      ['paca', 'planner', '93'],
      ['admin', 'admin', null],
    ] as const) {
      const email = `${key}${DOMAIN}`;
      await createUser(server.db, { email, name: `Compte ${key}`, role, region, passwordHash: hash, schemes: [] });
      const res = await fetch(`${server.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: PASSWORD }),
      });
      const body = (await res.json()) as { csrfToken: string };
      cookies.set(key, { cookie: res.headers.get('set-cookie')!.split(';')[0]!, csrf: body.csrfToken });
    }
  });

  afterAll(async () => {
    if (!server) return;
    // undo whatever a failed test left imported, newest first
    const left = await server.db.query<{ id: number }>(
      `SELECT id FROM public.perimeter_version WHERE undone_at IS NULL AND file IN ('cpts-63.csv', 'cpts-paca-2026-01.csv') ORDER BY id DESC`,
    );
    for (const v of left) await undoVersion(server.db, v.id, 'nettoyage des tests');
    await server.db.query(`DELETE FROM registry.app_user WHERE email LIKE $1`, [`%${DOMAIN}`]);
    await server.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses an import outside the planner’s région, in French, changing nothing', async () => {
    const before = await dumpCpts(server);
    for (const scope of ['departement:13', 'region:93', 'pays']) {
      const res = await upload('ara', `layer=cpts&scope=${scope}&filename=cpts-63.csv`, csv());
      expect(res.status, scope).toBe(403);
      expect(((await res.json()) as { detail: string }).detail).toMatch(/dans sa seule région/);
    }
    expect((await upload('ara', 'layer=cpts&scope=departement:999&filename=cpts-63.csv', csv())).status).toBe(400);
    expect(await dumpCpts(server)).toEqual(before);
  });

  it('a planner replaces the CPTS of the Puy-de-Dôme only, after a dry run showing the diff, and undoes it', async () => {
    const beforeAll = await dumpCpts(server);
    const outside = `NOT EXISTS (SELECT 1 FROM atlas.membership m JOIN atlas.commune c ON c.code = m.commune
      WHERE m.layer = p.layer AND m.code = p.code AND c.departement = '63')`;
    const beforeOutside = await dumpCpts(server, outside);
    const beforeAnswers = await answers(VISITOR_PATHS);
    const examples63 = (
      await server.db.query<{ code: string; name: string }>(
        `SELECT code, name FROM atlas.perimeter WHERE layer = 'cpts' AND code LIKE 'FICTIF-CPTS-63-%' ORDER BY code`,
      )
    ).map((u) => ({ ...u, fictif: true }));
    expect(examples63.length).toBeGreaterThan(5);

    // dry run: exactly what will change
    const dryJob = await finishedJob(
      server.url,
      await upload('ara', 'layer=cpts&scope=departement:63&dryRun=true&filename=cpts-63.csv', csv()),
      { cookie: cookies.get('ara')!.cookie },
    );
    expect(dryJob.status).toBe('succeeded');
    const d = dryJob.report as any;
    expect(d.status).toBe('dry-run');
    expect(d.scope).toEqual({ kind: 'departement', code: '63', label: 'Puy-de-Dôme (63)' });
    expect(d.changes.added.map((u: any) => u.code)).toEqual(['CPTS-63-A', 'CPTS-63-B', 'CPTS-63-C']);
    expect(d.changes.replaced).toEqual([]);
    expect(d.changes.removed).toEqual(examples63);
    expect(d.outsideRegion.map((o: any) => o.commune)).toEqual([]);
    expect(await dumpCpts(server)).toEqual(beforeAll);

    // real import: the Puy-de-Dôme replaced, everything else byte-identical
    const job = await finishedJob(server.url, await upload('ara', 'layer=cpts&scope=departement:63&filename=cpts-63.csv', csv()), {
      cookie: cookies.get('ara')!.cookie,
    });
    expect(job).toMatchObject({ status: 'succeeded', scope: 'perimeters:cpts:departement:63' });
    const report = job.report as any;
    expect(report).toMatchObject({ status: 'imported', perimeters: 3, version: expect.any(Number) });
    expect(await dumpCpts(server, outside)).toEqual(beforeOutside);
    const codes63 = await server.db.query<{ code: string }>(
      `SELECT DISTINCT m.code FROM atlas.membership m JOIN atlas.commune c ON c.code = m.commune WHERE m.layer = 'cpts' AND c.departement = '63' ORDER BY 1`,
    );
    expect(codes63.map((r) => r.code)).toEqual(['CPTS-63-A', 'CPTS-63-B', 'CPTS-63-C']);
    expect((await fetch(`${server.url}/api/territories/cpts/CPTS-AIX-SAINTE-VICTOIRE`)).status).toBe(200);

    // the version: who, when, which file, which scope, what changed
    const list = await call('ara', 'GET', '/api/perimeters/versions?layer=cpts');
    const { versions } = (await list.json()) as { versions: any[] };
    expect(versions[0]).toMatchObject({
      id: report.version,
      layer: 'cpts',
      file: 'cpts-63.csv',
      author: 'Compte ara',
      scope: { kind: 'departement', code: '63', label: 'Puy-de-Dôme (63)' },
      region: '84',
      undoneAt: null,
      canUndo: true,
    });
    expect(versions[0].changes).toMatchObject({ perimeters: 3, unknown: 0 });
    expect(versions[0].changes.removed.length).toBe(examples63.length);
    // a planner of another région sees it but may not undo it
    const other = (await (await call('paca', 'GET', '/api/perimeters/versions?layer=cpts')).json()) as { versions: any[] };
    expect(other.versions.find((v) => v.id === report.version).canUndo).toBe(false);
    expect((await call('paca', 'POST', `/api/perimeters/versions/${report.version}/undo`)).status).toBe(403);

    // undo: the API answers byte for byte as before
    const undo = await call('ara', 'POST', `/api/perimeters/versions/${report.version}/undo`);
    expect(undo.status).toBe(200);
    expect(((await undo.json()) as any).undone).toEqual({ id: report.version, layer: 'cpts', removed: 3, restored: examples63.length });
    expect(await dumpCpts(server)).toEqual(beforeAll);
    expect(await answers(VISITOR_PATHS)).toEqual(beforeAnswers);
    const again = await call('ara', 'POST', `/api/perimeters/versions/${report.version}/undo`);
    expect(again.status).toBe(409);
    expect(((await again.json()) as { detail: string }).detail).toMatch(/déjà annulé/);
  });

  it('re-imports the PACA listing over the reference and undoes it (timed)', async () => {
    const before = await dumpCpts(server);
    const paths = ['/api/territories/cpts/CPTS-MARSEILLE-7', '/api/territories/commune/13055', '/api/territories/commune/06088'];
    const beforeAnswers = await answers(paths);
    const t0 = performance.now();
    const report = await importPerimeters(server.db, {
      layer: 'cpts',
      file: path.join(GEODATA_DIR, 'cpts/cpts-paca-2026-01.csv'),
      nameField: 'cpts_nom',
      communeField: 'insee_com_2025',
      scope: { kind: 'region', code: '93' },
      author: { id: null, name: 'test' },
    });
    const importMs = performance.now() - t0;
    expect(report.status, report.errors.join('\n')).toBe('imported');
    // same codes as the reference: the 70 CPTS are replaced, none added or removed
    expect(report.changes!.replaced.length).toBe(70);
    expect(report.changes!.added).toEqual([]);
    // a list of communes knows no arrondissement: Marseille is now whole in each
    expect(await dumpCpts(server)).not.toEqual(before);
    const t1 = performance.now();
    await undoVersion(server.db, report.version!, 'test');
    const undoMs = performance.now() - t1;
    expect(await dumpCpts(server)).toEqual(before);
    expect(await answers(paths)).toEqual(beforeAnswers);
    console.log(`[mesure] ${backend.name} : import du listing CPTS PACA ${Math.round(importMs)} ms, annulation ${Math.round(undoMs)} ms`);
  });
});
