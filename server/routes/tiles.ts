// GET /tiles/{layer}/{z}/{x}/{y}.mvt and composite /tiles/{a,b,c}/{z}/{x}/{y}.mvt:
// Mapbox vector tiles for any layer of the catalogue, with ETag and Cache-Control.
//
// A map asks for dozens of tiles per movement, nearly all of them already encoded. So the
// endpoint has two entrances sharing one answer (`sendTile`):
// - `fastLane`, called by the HTTP server before Express: for layer ids already resolved
//   and well-formed coordinates (the checks of the schema below), a tile in the store's
//   cache is answered at once and any other is cut; anything else returns false.
// - `middleware`, mounted first in Express: validation (zod, French problems), layer
//   resolution, cutting; it also answers a request whose cut failed in the fast lane.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gunzipSync } from 'node:zlib';
import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { Db } from '../../core/db/db.ts';
import { badRequest } from '../errors.ts';
import { resolveLayer } from '../layers.ts';
import { MAX_ZOOM, type EncodedTile, type TileStore } from '../tiles/store.ts';

const TILE_PATH = /^\/tiles\/([^/?]+)\/([^/?]+)\/([^/?]+)\/([^/?]+)\.mvt(?:\?|$)/;
const CACHE_CONTROL = 'public, max-age=60, stale-while-revalidate=600';
/** One layer id or a composite {a,b,c}. */
const LAYER_LIST = /^\{?[a-z][a-z0-9-]*(,[a-z][a-z0-9-]*)*\}?$/;
/** Layers one composite tile may carry. */
const MAX_LAYERS = 12;

const paramsSchema = z
  .object({
    layers: z.string().regex(LAYER_LIST, { message: 'liste de couches invalide (ex. : commune ou {epci,scheme})' }),
    z: z.coerce
      .number()
      .int()
      .min(0)
      .max(MAX_ZOOM + 4, { message: `zoom entre 0 et ${MAX_ZOOM + 4}` }),
    x: z.coerce.number().int().min(0),
    y: z.coerce.number().int().min(0),
  })
  .refine((p) => p.x < 2 ** p.z && p.y < 2 ** p.z, { message: 'tuile hors du monde pour ce zoom' });

function sendTile(req: IncomingMessage, res: ServerResponse, tile: EncodedTile | null): void {
  if (!tile) {
    res.writeHead(204, { 'Cache-Control': CACHE_CONTROL }).end();
    return;
  }
  const headers: Record<string, string> = { 'Cache-Control': CACHE_CONTROL, ETag: tile.etag, Vary: 'Accept-Encoding' };
  if (req.headers['if-none-match'] === tile.etag) {
    res.writeHead(304, headers).end();
    return;
  }
  headers['Content-Type'] = 'application/vnd.mapbox-vector-tile';
  const gzip = /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
  if (gzip) headers['Content-Encoding'] = 'gzip';
  const body = gzip ? tile.gzipped : gunzipSync(tile.gzipped);
  headers['Content-Length'] = String(body.length);
  res.writeHead(200, headers).end(req.method === 'HEAD' ? undefined : body);
}

export interface TileEndpoint {
  /**
   * Takes a request for a tile of known layers at well-formed coordinates: true when it was
   * answered at once (already encoded), a promise of the answer when the tile is being cut
   * (rejected if cutting failed: Express then answers the request), false for anything else
   * (Express answers it, with its checks and French problems).
   */
  fastLane(req: IncomingMessage, res: ServerResponse): boolean | Promise<void>;
  middleware: RequestHandler;
}

export function tileEndpoint(db: Db, store: TileStore): TileEndpoint {
  // Layer ids as written in URLs (scheme types such as cls name the scheme layer: the
  // client filters by type), resolved once. Unknown ids are not remembered, so a layer
  // imported later is found.
  const known = new Map<string, string>();
  const idsOf = (param: string) => param.replace(/[{}]/g, '').split(',');
  /** The table layers of these ids, each once; null if one of them was never resolved. */
  const knownLayers = (ids: string[]): string[] | null => {
    const layers = new Set<string>();
    for (const id of ids) {
      const layer = known.get(id);
      if (!layer) return null;
      layers.add(layer);
    }
    return [...layers];
  };

  return {
    fastLane(req, res) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return false;
      const m = TILE_PATH.exec(req.url ?? '');
      if (!m) return false;
      let param = m[1]!;
      if (param.includes('%')) {
        try {
          param = decodeURIComponent(param);
        } catch {
          return false;
        }
      }
      const ids = idsOf(param);
      const layers = ids.length <= MAX_LAYERS ? knownLayers(ids) : null;
      if (!layers) return false;
      // Number() as zod's coerce reads them; the checks are paramsSchema's
      const z = Number(m[2]);
      const x = Number(m[3]);
      const y = Number(m[4]);
      const tile = store.cached(layers, z, x, y);
      if (tile !== undefined) {
        sendTile(req, res, tile);
        return true;
      }
      const valid = Number.isInteger(z) && Number.isInteger(x) && Number.isInteger(y) && z >= 0 && x >= 0 && y >= 0;
      if (!valid || z > MAX_ZOOM + 4 || x >= 2 ** z || y >= 2 ** z || !LAYER_LIST.test(param)) return false;
      return store.tile(layers, z, x, y).then((cut) => sendTile(req, res, cut));
    },

    async middleware(req, res, next) {
      const m = req.method === 'GET' || req.method === 'HEAD' ? TILE_PATH.exec(req.url) : null;
      if (!m) return next();
      let layersParam: string;
      try {
        layersParam = decodeURIComponent(m[1]!);
      } catch {
        throw badRequest('Liste de couches mal encodée.');
      }
      const p = paramsSchema.parse({ layers: layersParam, z: m[2], x: m[3], y: m[4] });
      const ids = idsOf(p.layers);
      if (ids.length > MAX_LAYERS) throw badRequest(`Au plus ${MAX_LAYERS} couches par tuile.`);
      for (const id of ids) if (!known.has(id)) known.set(id, (await resolveLayer(db, id)).layer);
      sendTile(req, res, await store.tile(knownLayers(ids)!, p.z, p.x, p.y));
    },
  };
}
