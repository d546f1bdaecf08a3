// Import jobs on every backend: one running import per layer whichever instance holds it
// (409 in French, a dry run holds nothing), job lookup rules, and the cleanup a start
// makes after a crash (jobs left 'running', upload folders of dead processes).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../server/auth/passwords.ts';
import { cleanupAfterCrash } from '../../server/jobs/cleanup.ts';
import { createUser } from '../../server/queries/users.ts';
import { backends, startTestServer, type TestServer } from '../support/backends.ts';
import { finishedJob } from '../support/jobs.ts';

const EMAIL = 'planner@jobs.test';
const PASSWORD = 'un mot de passe assez long';
const CSV = 'code_cpts;nom_cpts;insee\nCPTS-A;CPTS du Grand Cahors;46042\n';

describe.each(backends())('import jobs on $name', (backend) => {
  let server: TestServer;
  let session: { cookie: string; csrf: string };
  const upload = (query: string) =>
    fetch(`${server.url}/api/perimeters/import?${query}`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv', cookie: session.cookie, 'x-csrf-token': session.csrf },
      body: CSV,
    });
  const removeTestJobs = () => server.db.query(`DELETE FROM public.import_job WHERE scope LIKE 'test:%' OR scope LIKE 'perimeters:cpts%'`);

  beforeAll(async () => {
    server = await startTestServer(backend);
    await server.db.query(`DELETE FROM registry.app_user WHERE email = $1`, [EMAIL]);
    await createUser(server.db, {
      email: EMAIL,
      name: 'planner',
      role: 'planner',
      region: '76',
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
    await removeTestJobs();
    await server.db.query(`DELETE FROM registry.app_user WHERE email = $1`, [EMAIL]);
    await server.close();
  });

  it('refuses a second import of a layer while one runs, in French; a dry run holds nothing', async () => {
    // an import of the CPTS layer running elsewhere (another instance: its heartbeat is fresh)
    await server.db.query(
      `INSERT INTO public.import_job (id, kind, scope, step) VALUES ('test-running', 'perimeters', 'perimeters:cpts:region:76', 'écriture')`,
    );
    try {
      const refused = await upload('layer=cpts&scope=region:76&filename=cpts.csv');
      expect(refused.status).toBe(409);
      expect(((await refused.json()) as any).detail).toBe(
        'Un import de la couche « CPTS » est déjà en cours : attendez qu’il se termine (son avancement s’affiche chez la personne qui l’a lancé), puis recommencez.',
      );
      const dry = await finishedJob(server.url, await upload('layer=cpts&scope=region:76&dryRun=true&filename=cpts.csv'), {
        cookie: session.cookie,
      });
      expect(dry).toMatchObject({ scope: null, status: 'succeeded', report: { status: 'dry-run', perimeters: 1 } });
    } finally {
      await server.db.query(`DELETE FROM public.import_job WHERE id = 'test-running'`);
    }
  });

  it('answers 404 for a job that does not exist and 400 for a malformed id', async () => {
    const headers = { cookie: session.cookie };
    expect((await fetch(`${server.url}/api/jobs/00000000-0000-4000-8000-000000000000`, { headers })).status).toBe(404);
    const bad = await fetch(`${server.url}/api/jobs/pas-un-identifiant`, { headers });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).detail).toMatch(/identifiant de tâche invalide/);
  });

  it('marks the jobs a crash left running as failed and removes the upload folders and staged rows of dead processes', async () => {
    // rows a polygon import staged before its transaction: one a day old, one just written
    await server.db.query(`DELETE FROM public.import_stage_perimeter WHERE key LIKE 'test-stage-%'`);
    await server.db.query(
      `INSERT INTO public.import_stage_perimeter (key, code, created_at) VALUES
         ('test-stage-old', 'A', now() - interval '2 days'), ('test-stage-new', 'B', now())`,
    );
    await server.db.query(
      `INSERT INTO public.import_stage_membership (key, code, commune, share, created_at) VALUES
         ('test-stage-old', 'A', '46042', 1, now() - interval '2 days'), ('test-stage-new', 'B', '46042', 1, now())`,
    );
    // and the schemes a registry import staged
    await server.db.query(`DELETE FROM public.import_stage_scheme WHERE key LIKE 'test-stage-%'`);
    await server.db.query(
      `INSERT INTO public.import_stage_scheme (key, ord, code, record, communes, search_key, created_at) VALUES
         ('test-stage-scheme-old', 0, 'A', '{}', '[]', 'a', now() - interval '2 days'),
         ('test-stage-scheme-new', 0, 'B', '{}', '[]', 'b', now())`,
    );
    await server.db.query(
      `INSERT INTO public.import_job (id, kind, scope, step, heartbeat_at) VALUES
         ('test-stale', 'registry', 'test:stale', 'écriture', now() - interval '1 hour'),
         ('test-live', 'registry', 'test:live', 'écriture', now())`,
    );
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mf-cleanup-test-'));
    const deadPid = spawnSync(process.execPath, ['-e', '']).pid!;
    for (const name of [
      `millefeuille-upload-${deadPid}-aaa`,
      `millefeuille-upload-${process.pid}-bbb`,
      'millefeuille-upload-ccc',
      'autre-dossier',
    ]) {
      fs.mkdirSync(path.join(tmp, name));
      fs.writeFileSync(path.join(tmp, name, 'fichier.csv'), 'x');
    }
    try {
      const { jobs, stages, uploads } = await cleanupAfterCrash(server.db, tmp);
      expect(uploads.sort()).toEqual([`millefeuille-upload-${deadPid}-aaa`, 'millefeuille-upload-ccc']);
      expect(fs.readdirSync(tmp).sort()).toEqual(['autre-dossier', `millefeuille-upload-${process.pid}-bbb`]);
      // on PostgreSQL another instance may be running the live one; the embedded database has no other instance
      const failed = backend.name === 'pglite' ? ['test-live', 'test-stale'] : ['test-stale'];
      expect(jobs.filter((id) => id.startsWith('test-')).sort()).toEqual(failed);
      const rows = await server.db.query<{ id: string; status: string; error: { status: number; detail: string } | null }>(
        `SELECT id, status, error FROM public.import_job WHERE id IN ('test-stale', 'test-live') ORDER BY id`,
      );
      expect(rows.find((r) => r.id === 'test-stale')).toMatchObject({
        status: 'failed',
        error: { status: 500, detail: expect.stringMatching(/^Import interrompu/) },
      });
      expect(rows.find((r) => r.id === 'test-live')!.status).toBe(backend.name === 'pglite' ? 'failed' : 'running');
      // likewise the staged rows: all of them on the embedded database, a day old on PostgreSQL
      const removed =
        backend.name === 'pglite'
          ? ['test-stage-new', 'test-stage-old', 'test-stage-scheme-new', 'test-stage-scheme-old']
          : ['test-stage-old', 'test-stage-scheme-old'];
      expect(stages.filter((k) => k.startsWith('test-stage-')).sort()).toEqual(removed);
      const left = await server.db.query<{ key: string }>(
        `SELECT key FROM public.import_stage_perimeter WHERE key LIKE 'test-stage-%'
         UNION ALL SELECT key FROM public.import_stage_membership WHERE key LIKE 'test-stage-%'
         UNION ALL SELECT key FROM public.import_stage_scheme WHERE key LIKE 'test-stage-%' ORDER BY key`,
      );
      expect(left.map((r) => r.key)).toEqual(
        backend.name === 'pglite' ? [] : ['test-stage-new', 'test-stage-new', 'test-stage-scheme-new'],
      );
    } finally {
      await server.db.query(`DELETE FROM public.import_stage_scheme WHERE key LIKE 'test-stage-%'`);
      await server.db.query(`DELETE FROM public.import_stage_membership WHERE key LIKE 'test-stage-%'`);
      await server.db.query(`DELETE FROM public.import_stage_perimeter WHERE key LIKE 'test-stage-%'`);
      fs.rmSync(tmp, { recursive: true, force: true });
      await removeTestJobs();
    }
  });
});
