// GET /api/schemes[?type=CLS]: the scheme registry as a table (the map colours scheme
// tiles from it through feature-state, so an edit recolours without new tiles).
import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../db/db.ts';
import { listSchemes } from '../queries/schemes.ts';

const querySchema = z.object({
  type: z
    .enum(['CLS', 'ASV', 'CLSM', 'PTSM', 'cls', 'asv', 'clsm', 'ptsm'], { message: 'type attendu : CLS, ASV, CLSM ou PTSM' })
    .transform((t) => t.toUpperCase())
    .optional(),
});

export function schemeRoutes(db: Db): Router {
  const router = Router();
  router.get('/schemes', async (req, res) => {
    const { type } = querySchema.parse(req.query);
    res.json({ schemes: await listSchemes(db, type ?? null) });
  });
  return router;
}
