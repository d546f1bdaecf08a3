// GET /tiles/{layer}/{z}/{x}/{y}.mvt and composite /tiles/{a,b,c}/{z}/{x}/{y}.mvt:
// Mapbox vector tiles for any layer of the catalogue, with ETag and Cache-Control.
// A map asks for dozens of tiles per movement, nearly all of them from the cache, so this
// is one plain middleware mounted before the rest of the app, answering with writeHead/end.
import { gunzipSync } from 'node:zlib';
import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { Db } from '../db/db.ts';
import { badRequest } from '../errors.ts';
import { resolveLayer } from '../layers.ts';
import { MAX_ZOOM, type TileStore } from '../tiles/store.ts';

const TILE_PATH = /^\/tiles\/([^/?]+)\/([^/?]+)\/([^/?]+)\/([^/?]+)\.mvt(?:\?|$)/;
const CACHE_CONTROL = 'public, max-age=60, stale-while-revalidate=600';

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

export function tileRoutes(db: Db, store: TileStore): RequestHandler {
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
  return async (req, res, next) => {
    const m = req.method === 'GET' || req.method === 'HEAD' ? TILE_PATH.exec(req.url) : null;
    if (!m) return next();
    let layersParam: string;
    try {
      layersParam = decodeURIComponent(m[1]!);
    } catch {
      throw badRequest('Liste de couches mal encodée.');
    }
    const p = paramsSchema.parse({ layers: layersParam, z: m[2], x: m[3], y: m[4] });
    const ids = p.layers.replace(/[{}]/g, '').split(',');
    if (ids.length > 12) throw badRequest('Au plus 12 couches par tuile.');
    // scheme types (cls, asv…) name the scheme layer: the client filters by type
    const layers = new Set<string>();
    for (const id of ids) layers.add(await tableLayer(id));
    const tile = await store.tile([...layers], p.z, p.x, p.y);
    if (!tile) return res.writeHead(204, { 'Cache-Control': CACHE_CONTROL }).end();
    const headers: Record<string, string> = { 'Cache-Control': CACHE_CONTROL, ETag: tile.etag, Vary: 'Accept-Encoding' };
    if (req.headers['if-none-match'] === tile.etag) return res.writeHead(304, headers).end();
    headers['Content-Type'] = 'application/vnd.mapbox-vector-tile';
    const gzip = /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
    if (gzip) headers['Content-Encoding'] = 'gzip';
    const body = gzip ? tile.gzipped : gunzipSync(tile.gzipped);
    headers['Content-Length'] = String(body.length);
    res.writeHead(200, headers).end(req.method === 'HEAD' ? undefined : body);
  };
}
