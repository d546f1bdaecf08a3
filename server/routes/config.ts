// GET /api/config: the few settings the client needs (an optional remote basemap, an
// optional base URL of static PMTiles archives).
import { Router } from 'express';

export function configRoutes(settings: { basemapStyleUrl: string | null; tilesUrl: string | null }): Router {
  const router = Router();
  router.get('/config', (_req, res) => {
    res.json(settings);
  });
  return router;
}
