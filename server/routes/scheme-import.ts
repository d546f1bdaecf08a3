// POST /api/schemes/import?scope=departement:46[&mode=apply][&fileName=…] (contract/scheme-import.ts):
// the bulk scheme import. The dry run and the real import take the same path, so what
// the dry run announces is what the import does; the real one runs in one transaction.
import express, { Router } from 'express';
import { requireUser } from '../auth/index.ts';
import type { Db } from '../../core/db/db.ts';
import { HttpError, notFound } from '../errors.ts';
import { schemeImport } from '../../contract/scheme-import.ts';
import { regionOfZone } from '../queries/inventory.ts';
import { applyBulkImport, planBulkImport, readSheet, reportOf } from '../registry/bulk-import.ts';
import { requireRegion } from '../registry/scope.ts';

const MAX_BYTES = '5mb';

export function schemeImportRoutes(db: Db, onSchemesChanged: () => void): Router {
  const router = Router();

  router.post('/schemes/import', express.raw({ type: () => true, limit: MAX_BYTES }), async (req, res) => {
    const user = requireUser(res);
    const q = schemeImport.query!.parse(req.query);
    const region = await regionOfZone(db, `${q.scope.kind}:${q.scope.code}`);
    if (!region) throw notFound(`Zone introuvable : « ${q.scope.kind}:${q.scope.code} ».`);
    requireRegion(user, region, 'importer des démarches');
    if (!Buffer.isBuffer(req.body) || req.body.length === 0) {
      throw new HttpError(400, 'Envoyez le fichier CSV dans le corps de la requête (Content-Type: text/csv).');
    }
    const sheet = readSheet(new Uint8Array(req.body));
    if (!sheet.rows.length) throw new HttpError(422, 'Le fichier ne contient aucune ligne.');
    const dryRun = q.mode === 'dry-run';
    const report = await db.transaction(async (tx) => {
      const planned = await planBulkImport(tx, user, q.scope, sheet, region);
      if (!dryRun) await applyBulkImport(tx, user, planned, q.fileName);
      return reportOf(q.scope, sheet, planned);
    });
    if (!dryRun && report.counts.created + report.counts.updated > 0) onSchemesChanged();
    res.json({ ...report, dryRun });
  });

  return router;
}
