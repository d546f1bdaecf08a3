// POST /api/perimeters/import?layer=cpts|secteur-psy-adulte|secteur-psy-enfant|other
//   [&name=…][&dryRun=true][&scope=departement:63|region:84|pays][&filename=secteurs.zip]
// Upload of a perimeter file (CSV list of communes, GeoJSON, zipped shapefile) by a
// planner or an administrator; the body is the file. The import replaces the layer's
// units within its scope only (a planner: their région by default, never beyond it).
// It runs as a job (202 + Location: /api/jobs/:id, see contract/jobs.ts), one per layer
// and scope at a time; the job ends with the import report, or fails with a 422 and the
// same report: nothing is written.
import fs from 'node:fs';
import path from 'node:path';
import express, { Router } from 'express';
import { perimeterImportQuery as querySchema, type PerimeterImportReport } from '../../contract/perimeter-import.ts';
import { importPerimeters, MAX_FILE_BYTES, parseScope, PerimeterImportError, resolvePerimeterLayer } from '../../core/perimeters/index.ts';
import { describeScope, SCOPE_SYNTAX, type Scope } from '../../core/perimeters/scope.ts';
import { toJob } from './jobs.ts';
import { requireUser } from '../auth/index.ts';
import { can } from '../../contract/permissions.ts';
import { canTouchScope, SCOPE_FORBIDDEN } from '../auth/perimeter-scope.ts';
import type { Db } from '../../core/db/db.ts';
import { HttpError } from '../errors.ts';
import { readPerimeterFileInWorker } from '../parse/pool.ts';
import { makeUploadDir } from '../jobs/cleanup.ts';
import type { JobRunner } from '../jobs/runner.ts';

/** The layer the file replaces (the job's scope); a bad choice is refused before anything is read. */
function layerOf(choice: string, name: string | undefined) {
  try {
    return resolvePerimeterLayer(choice, name).layer;
  } catch (err) {
    if (err instanceof PerimeterImportError) throw new HttpError(422, `Import refusé, rien n’a été modifié : ${err.message}`);
    throw err;
  }
}

export function perimeterImportRoutes(db: Db, onLayerChanged: (layer: string) => void, jobs: JobRunner): Router {
  const router = Router();
  router.post('/perimeters/import', express.raw({ type: () => true, limit: MAX_FILE_BYTES }), async (req, res) => {
    const user = requireUser(res);
    if (!can(user, 'import-perimeters'))
      throw new HttpError(403, 'Seuls les planificateurs ARS et les administrateurs importent des périmètres.');
    const q = querySchema.parse(req.query);
    // a planner imports within their région unless they name a smaller zone in it
    const scopeText =
      q.scope ?? (q.region ? `region:${q.region}` : user.role === 'planner' && user.region ? `region:${user.region}` : null);
    if (!scopeText) throw new HttpError(400, `Zone d'import obligatoire : ${SCOPE_SYNTAX}.`);
    let scope: Scope;
    try {
      scope = parseScope(scopeText);
      if (!canTouchScope(user, (await describeScope(db, scope)).region)) throw new HttpError(403, SCOPE_FORBIDDEN);
    } catch (err) {
      if (err instanceof PerimeterImportError) throw new HttpError(400, err.message);
      throw err;
    }
    if (!Buffer.isBuffer(req.body) || req.body.length === 0) throw new HttpError(400, 'Le fichier envoyé est vide.');
    const layer = layerOf(q.layer, q.name);
    const dir = makeUploadDir();
    const file = path.join(dir, path.basename(q.filename));
    const remove = () => fs.rmSync(dir, { recursive: true, force: true });
    let job;
    try {
      // written without holding up other requests (up to 50 MB)
      await fs.promises.writeFile(file, req.body);
      // a dry run writes nothing: it does not hold the layer
      const jobScope = q.dryRun ? null : `perimeters:${layer.id}:${scopeText}`;
      job = await jobs.submit(
        { kind: 'perimeters', scope: jobScope, scopeLabel: `de la couche « ${layer.name} »`, user },
        async (progress) => {
          try {
            progress('lecture du fichier et calcul des appartenances');
            // typed by the contract: the report the client reads cannot drift from the importer's
            const report: PerimeterImportReport = await importPerimeters(db, {
              layer: q.layer,
              name: q.name,
              dryRun: q.dryRun,
              scope,
              author: { id: user.id, name: user.name },
              file,
              progress,
              readFile: readPerimeterFileInWorker,
            });
            if (report.status === 'imported' && report.layer) onLayerChanged(report.layer.id);
            if (report.status === 'rejected') {
              throw new HttpError(422, `Import refusé, rien n’a été modifié : ${report.errors.join(' ; ')}`, { report });
            }
            return report;
          } finally {
            remove();
          }
        },
      );
    } catch (err) {
      remove();
      throw err;
    }
    res
      .status(202)
      .location(`/api/jobs/${job.id}`)
      .json({ job: toJob(job) });
  });
  return router;
}
