// GET /api/health: the database answers and reference data is loaded (with its vintage).
import { Router } from 'express';
import type { Db } from '../db/db.ts';
import { HttpError } from '../errors.ts';

export function healthRoutes(db: Db): Router {
  const router = Router();
  router.get('/health', async (_req, res) => {
    let run: { vintage: string; finished_at: string } | undefined;
    try {
      [run] = await db.query<{ vintage: string; finished_at: string }>(
        `SELECT vintage, finished_at FROM public.import_run WHERE status = 'ok' ORDER BY id DESC LIMIT 1`,
      );
    } catch {
      throw new HttpError(503, 'La base de données ne répond pas.');
    }
    if (!run) throw new HttpError(503, 'Aucune donnée de référence n’est encore chargée (import en cours ou à lancer).');
    res.json({ status: 'ok', database: db.kind, vintage: `COG ${run.vintage}`, importedAt: run.finished_at });
  });
  return router;
}
