// GET /api/perimeters/versions?layer=cpts: the imports of a layer (planners and
// administrators); POST /api/perimeters/versions/:id/undo: restores the scope of an
// import as it was before it (a planner of the import's région, or an administrator).
// Shapes and messages are described in contract/perimeter-versions.ts.
import { Router } from 'express';
import { versionParams, versionsQuery, type PerimeterVersionOut } from '../../contract/perimeter-versions.ts';
import { PerimeterImportError } from '../../core/perimeters/errors.ts';
import { listVersions, undoVersion } from '../../core/perimeters/versions.ts';
import { requireUser } from '../auth/index.ts';
import { canTouchScope, SCOPE_FORBIDDEN } from '../auth/perimeter-scope.ts';
import { can } from '../../contract/permissions.ts';
import type { Db } from '../../core/db/db.ts';
import { HttpError } from '../errors.ts';

const FORBIDDEN = 'Seuls les planificateurs ARS et les administrateurs consultent et annulent les imports de périmètres.';

export function perimeterVersionRoutes(db: Db, onLayerChanged: (layer: string) => void): Router {
  const router = Router();

  router.get('/perimeters/versions', async (req, res) => {
    const user = requireUser(res);
    if (!can(user, 'import-perimeters')) throw new HttpError(403, FORBIDDEN);
    const { layer } = versionsQuery.parse(req.query);
    const versions: PerimeterVersionOut[] = (await listVersions(db, { layer })).map((v) => ({
      ...v,
      canUndo: !v.undoneAt && canTouchScope(user, v.region),
    }));
    res.json({ versions });
  });

  router.post('/perimeters/versions/:id/undo', async (req, res) => {
    const user = requireUser(res);
    if (!can(user, 'import-perimeters')) throw new HttpError(403, FORBIDDEN);
    const { id } = versionParams.parse(req.params);
    const [version] = await listVersions(db, { id });
    if (!version) throw new HttpError(404, `Import n° ${id} introuvable.`);
    if (!canTouchScope(user, version.region)) throw new HttpError(403, SCOPE_FORBIDDEN);
    try {
      const r = await undoVersion(db, id, user.name);
      onLayerChanged(r.layer);
      res.json({ undone: { id, ...r } });
    } catch (err) {
      if (err instanceof PerimeterImportError) throw new HttpError(409, err.message);
      throw err;
    }
  });
  return router;
}
