// The whole registry as CSV: GET /api/registry/export.csv (no personal data in it) and
// POST /api/registry/import (administrators for the country, planners for their région
// only; text/csv body; all or nothing). The file is parsed and bounded in the parse worker
// (server/parse/: a 20 MB CSV is not read on the thread that answers requests) and its
// scope checked here (422/413/403 at once); the import itself runs as a job (202 +
// Location: /api/jobs/:id, see contract/jobs.ts), one registry import at a time.
import express, { Router } from 'express';
import { requireUser } from '../auth/index.ts';
import { can } from '../../contract/permissions.ts';
import { sendCsv } from '../export/send.ts';
import type { Db, Queryable } from '../../core/db/db.ts';
import { HttpError } from '../errors.ts';
import { allSchemes } from '../../core/queries/registry.ts';
import { parsePool, refusalAsHttp } from '../parse/pool.ts';
import { registryToCsv } from '../registry/csv.ts';
import type { RegistryEditor } from '../registry/edit.ts';
import { assertSchemesInRegion } from '../registry/bulk-import.ts';
import type { JobRunner } from '../jobs/runner.ts';
import { toJob } from './jobs.ts';

export function registryTransferRoutes(db: Db, editor: RegistryEditor, jobs: JobRunner): Router {
  const router = Router();

  router.get('/registry/export.csv', async (_req, res) => {
    sendCsv(res, 'registre-demarches.csv', registryToCsv(await allSchemes(db)));
  });

  router.post(
    '/registry/import',
    express.raw({ type: ['text/csv', 'text/plain', 'application/octet-stream'], limit: '20mb' }),
    async (req, res) => {
      const user = requireUser(res);
      const admin = can(user, 'import-registry');
      if (!admin && user.role !== 'planner')
        throw new HttpError(403, 'Seuls un administrateur ou un planificateur (pour sa région) peuvent importer le registre.');
      if (!Buffer.isBuffer(req.body) || req.body.length === 0) {
        throw new HttpError(400, 'Envoyez le fichier CSV du registre dans le corps de la requête (Content-Type: text/csv).');
      }
      // the size limits (413) are checked in the worker, before the rows cross back
      const { rows, errors } = await parsePool.run({ kind: 'registry-csv', bytes: new Uint8Array(req.body) }).catch((err: unknown) => {
        throw refusalAsHttp(err);
      });
      if (errors.length) throw new HttpError(422, `Import refusé, rien n’a été modifié : ${errors.join(' ; ')}`, { errors });
      if (!rows.length) throw new HttpError(422, 'Le fichier ne contient aucune démarche.');
      const scope = (tx: Queryable) =>
        assertSchemesInRegion(
          tx,
          user,
          rows.map((r) => r.record),
        );
      // a planner's file outside their région is refused now, and checked again inside the import's transaction
      if (!admin) await scope(db);
      const job = await jobs.submit(
        { kind: 'registry', scope: 'registry', scopeLabel: 'du registre', user, total: rows.length },
        (progress) => editor.importRows(user, rows, admin ? undefined : scope, progress),
      );
      res
        .status(202)
        .location(`/api/jobs/${job.id}`)
        .json({ job: toJob(job) });
    },
  );

  return router;
}
