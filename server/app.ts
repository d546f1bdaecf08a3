// Builds the Express application (API routes, the built client, errors) and the HTTP
// server in front of it, which answers tiles already encoded before Express.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import type { Logger } from 'pino';
import type { Db } from './db/db.ts';
import { errorHandler, unknownRoute } from './errors.ts';
import { compareRoutes } from './routes/compare.ts';
import { configRoutes } from './routes/config.ts';
import { gapRoutes } from './routes/gaps.ts';
import { healthRoutes } from './routes/health.ts';
import { layerRoutes } from './routes/layers.ts';
import { loadRoutes } from './routes/load.ts';
import { perimeterImportRoutes } from './routes/perimeter-import.ts';
import { referentRoutes } from './routes/referents.ts';
import { registryTransferRoutes } from './routes/registry-transfer.ts';
import { schemeRoutes } from './routes/schemes.ts';
import { userRoutes } from './routes/users.ts';
import { authRoutes } from './routes/auth.ts';
import { sessionMiddleware } from './auth/index.ts';
import { registryEditor } from './registry/edit.ts';
import { searchRoutes } from './routes/search.ts';
import { territoryRoutes } from './routes/territories.ts';
import { tileEndpoint, type TileEndpoint } from './routes/tiles.ts';
import { TileStore } from './tiles/store.ts';

export const CLIENT_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../client/dist');

export interface AppDeps {
  db: Db;
  logger: Logger;
  tiles?: TileStore;
  clientDir?: string;
  basemapStyleUrl?: string | null;
  tilesUrl?: string | null;
}

/** One log line per request. */
function logRequest(logger: Logger, method: string, url: string, status: number, start: bigint): void {
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  logger.info({ method, url, status, ms: Math.round(ms * 10) / 10 }, 'request');
}

/** The HTTP server: tiles already encoded are answered here, everything else by Express. */
export function createServer(deps: AppDeps): http.Server {
  const tiles = deps.tiles ?? new TileStore(deps.db);
  const endpoint = tileEndpoint(deps.db, tiles);
  const app = createApp({ ...deps, tiles }, endpoint);
  return http.createServer((req, res) => {
    const start = process.hrtime.bigint();
    if (endpoint.fastLane(req, res)) logRequest(deps.logger, req.method!, req.url!, res.statusCode, start);
    else void app(req, res);
  });
}

export function createApp(
  { db, logger, tiles = new TileStore(db), clientDir = CLIENT_DIST, basemapStyleUrl = null, tilesUrl = null }: AppDeps,
  tileRoutes: TileEndpoint = tileEndpoint(db, tiles),
) {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');

  app.use((req, res, next) => {
    const start = process.hrtime.bigint();
    res.on('finish', () => logRequest(logger, req.method, req.originalUrl, res.statusCode, start));
    next();
  });
  // tiles first: the bulk of the traffic, and none of it needs a body or a session
  app.use(tileRoutes.middleware);
  app.use(express.json({ limit: '1mb' }));

  // Every write bumps the data version: analyses cached against an older one are dropped.
  let dataVersion = 0;
  const changed = (layer: string) => {
    dataVersion++;
    tiles.invalidate(layer);
  };
  const editor = registryEditor({ db, onSchemesChanged: () => changed('scheme') });
  const api = express.Router();
  api.use(sessionMiddleware(db));
  api.use(
    authRoutes(db),
    userRoutes(db),
    configRoutes({ basemapStyleUrl, tilesUrl }),
    healthRoutes(db),
    layerRoutes(db),
    searchRoutes(db),
    territoryRoutes(db),
    schemeRoutes(db, editor),
    referentRoutes(db, editor),
    registryTransferRoutes(db, editor),
    perimeterImportRoutes(db, changed),
    compareRoutes(db),
    gapRoutes(db, () => dataVersion),
    loadRoutes(db),
  );
  api.use(unknownRoute);
  app.use('/api', api);

  if (fs.existsSync(path.join(clientDir, 'index.html'))) {
    app.use(express.static(clientDir, { index: false, maxAge: '1h' }));
    app.get(/^\/(?!api\/|tiles\/).*/, (_req, res) => res.sendFile(path.join(clientDir, 'index.html')));
  }
  app.use(unknownRoute);
  app.use(errorHandler((err, req) => logger.error({ err, method: req.method, url: req.url }, 'unhandled error')));
  return app;
}
