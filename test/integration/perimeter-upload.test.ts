// Upload of a perimeter file through the API: roles, dry run, refusal, real import
// replacing the fictitious examples of its zone (the planner's région by default) and
// nothing else, and the tiles following. The import is undone afterwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { undoVersion } from '../../core/perimeters/versions.ts';
import { hashPassword } from '../../server/auth/passwords.ts';
import { createUser } from '../../server/queries/users.ts';
import { backends, startTestServer, type TestServer } from '../support/backends.ts';
import { finishedJob } from '../support/jobs.ts';
import { restoreLotExamples } from '../support/examples.ts';

const DOMAIN = '@upload.test';
const PASSWORD = 'un mot de passe assez long';
// Two CPTS of the Lot, the second listed with a 2021 code of the Doubs (re-keyed) to show the report
const CSV =
  'code_cpts;nom_cpts;insee\nCPTS-A;CPTS du Grand Cahors;46042\nCPTS-A;CPTS du Grand Cahors;46007\nCPTS-B;CPTS du Figeacois;46102\nCPTS-B;CPTS du Figeacois;25347\n';

describe.each(backends())('perimeter upload on $name', (backend) => {
  let server: TestServer;
  let version: number | null = null;
  const cookies = new Map<string, { cookie: string; csrf: string }>();
  const upload = (as: string | null, query: string, body: string) => {
    const s = as ? cookies.get(as) : undefined;
    return fetch(`${server.url}/api/perimeters/import?${query}`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv', ...(s ? { cookie: s.cookie, 'x-csrf-token': s.csrf } : {}) },
      body,
    });
  };
  const cptsCount = async () =>
    (
      await server.db.query<{ n: number; fictif: number; lot: number }>(
        `SELECT count(*)::int AS n, count(*) FILTER (WHERE fictif)::int AS fictif,
           count(*) FILTER (WHERE code LIKE 'FICTIF-CPTS-46-%')::int AS lot FROM atlas.perimeter WHERE layer = 'cpts'`,
      )
    )[0]!;

  beforeAll(async () => {
    server = await startTestServer(backend);
    await restoreLotExamples(server.db);
    await server.db.query(`DELETE FROM registry.app_user WHERE email LIKE $1`, [`%${DOMAIN}`]);
    const hash = await hashPassword(PASSWORD);
    for (const [role, region] of [
      ['planner', '76'],
      ['coordinator', null],
    ] as const) {
      await createUser(server.db, { email: `${role}${DOMAIN}`, name: role, role, region, passwordHash: hash, schemes: [] });
      const res = await fetch(`${server.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: `${role}${DOMAIN}`, password: PASSWORD }),
      });
      cookies.set(role, { cookie: res.headers.get('set-cookie')!.split(';')[0]!, csrf: ((await res.json()) as any).csrfToken });
    }
  });

  afterAll(async () => {
    if (!server) return;
    if (version) await undoVersion(server.db, version, 'nettoyage des tests');
    await server.db.query(`DELETE FROM registry.app_user WHERE email LIKE $1`, [`%${DOMAIN}`]);
    await server.close();
  });

  it('lets only planners and administrators upload', async () => {
    expect((await upload(null, 'layer=cpts&dryRun=true', CSV)).status).toBe(401);
    expect((await upload('coordinator', 'layer=cpts&dryRun=true', CSV)).status).toBe(403);
  });

  it('reports a dry run and writes nothing', async () => {
    const before = await cptsCount();
    expect(before.fictif).toBeGreaterThan(0);
    const job = await finishedJob(server.url, await upload('planner', 'layer=cpts&dryRun=true&region=76&filename=cpts.csv', CSV), {
      cookie: cookies.get('planner')!.cookie,
    });
    expect(job).toMatchObject({ kind: 'perimeters', scope: null, status: 'succeeded' });
    const report = job.report as any;
    expect(report).toMatchObject({ status: 'dry-run', perimeters: 2, communesMatched: 4 });
    expect(report.rekeyed).toEqual([{ from: '25347', to: '25390' }]);
    expect(report.outsideRegion.length).toBe(1);
    expect(await cptsCount()).toEqual(before);
  });

  it('refuses a bad file with its report, changing nothing', async () => {
    const before = await cptsCount();
    const job = await finishedJob(server.url, await upload('planner', 'layer=cpts&filename=vide.csv', 'code;nom;insee\n'), {
      cookie: cookies.get('planner')!.cookie,
    });
    expect(job).toMatchObject({ status: 'failed', error: { status: 422, detail: expect.stringMatching(/Import refusé/) } });
    expect((job.report as any).status).toBe('rejected');
    expect(await cptsCount()).toEqual(before);
    expect((await upload('planner', 'layer=planete', CSV)).status).toBe(400);
  });

  it('replaces the fictitious examples of its région with the real file, tiles included', async () => {
    const tile = `${server.url}/tiles/cpts/8/129/92.mvt`;
    const etagBefore = (await fetch(tile)).headers.get('etag');
    const before = await cptsCount();
    expect(before.lot).toBeGreaterThan(0);
    // no zone given: a planner imports within their région (Occitanie)
    const res = await upload('planner', 'layer=cpts&filename=cpts.csv', CSV);
    expect(res.headers.get('location')).toMatch(/^\/api\/jobs\/[0-9a-f-]{36}$/);
    const job = await finishedJob(server.url, res, { cookie: cookies.get('planner')!.cookie });
    expect(job).toMatchObject({ scope: 'perimeters:cpts:region:76', status: 'succeeded', step: 'terminé' });
    const report = job.report as any;
    expect(report).toMatchObject({ status: 'imported', scope: { kind: 'region', code: '76' } });
    version = report.version;
    // the Lot's examples are gone, the other examples and the real CPTS of PACA stay
    expect(await cptsCount()).toEqual({ n: before.n - before.lot + 2, fictif: before.fictif - before.lot, lot: 0 });
    const sheet = (await (await fetch(`${server.url}/api/territories/cpts/CPTS-A`)).json()) as any;
    expect(sheet).toMatchObject({ name: 'CPTS du Grand Cahors', communeCount: 2, fictif: false });
    // the layer's tiles are rebuilt in the background (the previous ones serve meanwhile): the new tile comes soon after
    await expect.poll(async () => (await fetch(tile)).headers.get('etag'), { timeout: 60_000, interval: 250 }).not.toBe(etagBefore);
  });
});
