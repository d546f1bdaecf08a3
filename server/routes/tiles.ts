// GET /tiles/{layer}/{z}/{x}/{y}.mvt and composite /tiles/{a,b,c}/{z}/{x}/{y}.mvt:
// Mapbox vector tiles for any layer of the catalogue, with ETag and Cache-Control.
import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../db/db.ts';
import { badRequest } from '../errors.ts';
import { resolveLayer } from '../layers.ts';
import { MAX_ZOOM, type TileStore } from '../tiles/store.ts';

const paramsSchema = z
  .object({
    layers: z
      .string()
      .regex(/^\{?[a-z][a-z0-9-]*(,[a-z][a-z0-9-]*)*\}?$/, { message: 'liste de couches invalide (ex. : commune ou {epci,scheme})' }),
    z: z.coerce.number().int().min(0).max(MAX_ZOOM + 4, { message: `zoom entre 0 et ${MAX_ZOOM + 4}` }),
    x: z.coerce.number().int().min(0),
    y: z.coerce.number().int().min(0),
  })
  .refine((p) => p.x < 2 ** p.z && p.y < 2 ** p.z, { message: 'tuile hors du monde pour ce zoom' });

export function tileRoutes(db: Db, store: TileStore): Router {
  const router = Router();
  // Known layer ids, resolved once: a cached tile then costs no query at all. Unknown
  // ids are not remembered, so a layer imported later is found.
  const known = new Map<string, string>();
  const tableLayer = async (id: string) => {
    let layer = known.get(id);
    if (!layer) {
      layer = (await resolveLayer(db, id)).layer;
      known.set(id, layer);
    }
    return layer;
  };
  router.get('/:layers/:z/:x/:y.mvt', async (req, res) => {
    const p = paramsSchema.parse(req.params);
    const ids = p.layers.replace(/[{}]/g, '').split(',');
    if (ids.length > 12) throw badRequest('Au plus 12 couches par tuile.');
    // scheme types (cls, asv…) name the scheme layer: the client filters by type
    const layers = new Set<string>();
    for (const id of ids) layers.add(await tableLayer(id));
    const tile = await store.tile([...layers], p.z, p.x, p.y);
    res.set('Cache-Control', 'public, max-age=60, stale-while-revalidate=600');
    if (!tile) return res.status(204).end();
    res.set('ETag', tile.etag);
    if (req.headers['if-none-match'] === tile.etag) return res.status(304).end();
    res.set('Vary', 'Accept-Encoding').type('application/vnd.mapbox-vector-tile');
    if (/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
      res.set('Content-Encoding', 'gzip').send(tile.gzipped);
    } else {
      res.send(tile.body);
    }
  });
  return router;
}
