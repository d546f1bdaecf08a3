// GET /api/layers: the catalogue of layers with their counts, vintage, source, licence.
import { Router } from 'express';
import type { Db } from '../../core/db/db.ts';
import { SCHEME_TYPE_LAYERS } from '../layers.ts';
import { countSchemesByType, listLayers } from '../queries/layers.ts';

export function layerRoutes(db: Db): Router {
  const router = Router();
  router.get('/layers', async (_req, res) => {
    const [layers, byType] = await Promise.all([listLayers(db), countSchemesByType(db)]);
    const types = Object.entries(SCHEME_TYPE_LAYERS).map(([id, type]) => ({
      id,
      type,
      count: byType.find((t) => t.type === type)?.count ?? 0,
    }));
    res.json({
      layers: layers.map((l) => (l.id === 'scheme' ? { ...l, types } : l)),
    });
  });
  return router;
}
