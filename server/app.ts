// Builds the Express application (API routes, the built client, errors) and the HTTP
// server in front of it, which answers tiles already encoded before Express.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import type { Logger } from 'pino';
import type { TrustProxy } from '../core/config.ts';
import type { Db } from '../core/db/db.ts';
import { errorHandler, unknownRoute } from './errors.ts';
import { answerClientError, rejectBadStrings, rejectMalformedUrl } from './request-guard.ts';
import { requestLogger } from './request-log.ts';
import { securityHeaders, securityHeaderValues } from './security-headers.ts';
import { clientFiles } from './static.ts';
import { compressJson } from './compress-json.ts';
import { compareRoutes } from './routes/compare.ts';
import { configRoutes } from './routes/config.ts';
import { gapRoutes } from './routes/gaps.ts';
import { inventoryRoutes } from './routes/inventory.ts';
import { panoramaRoutes } from './routes/panorama.ts';
import { schemeImportRoutes } from './routes/scheme-import.ts';
import { contributionRoutes } from './routes/contributions.ts';
import { healthRoutes } from './routes/health.ts';
import { jobRoutes } from './routes/jobs.ts';
import { JobRunner } from './jobs/runner.ts';
import { layerRoutes } from './routes/layers.ts';
import { loadRoutes } from './routes/load.ts';
import { ogcRoutes } from './routes/ogc.ts';
import { openApiRoutes } from './routes/openapi.ts';
import { openDataRoutes } from './routes/open-data.ts';
import { perimeterImportRoutes } from './routes/perimeter-import.ts';
import { perimeterVersionRoutes } from './routes/perimeter-versions.ts';
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
import { tileJsonRoutes } from './routes/tilejson.ts';
import { TileStore } from './tiles/store.ts';
import { DataVersion, watchDataChanges } from './data-changes.ts';
import { Catalogue } from './ogc/catalogue.ts';

export const CLIENT_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../client/dist');

export interface AppDeps {
  db: Db;
  logger: Logger;
  tiles?: TileStore;
  clientDir?: string;
  basemapStyleUrl?: string | null;
  tilesUrl?: string | null;
  /** How often the server reads public.data_change for imports made by other processes. */
  dataChangeIntervalMs?: number;
  /** Reverse proxies trusted for the client address and protocol (TRUST_PROXY). */
  trustProxy?: TrustProxy;
}

const DATA_CHANGE_INTERVAL_MS = 5_000;

/** The HTTP server: tiles of known layers are answered here, everything else by Express. */
export function createServer(deps: AppDeps): http.Server {
  const tiles = deps.tiles ?? new TileStore(deps.db);
  const version = new DataVersion(tiles);
  const endpoint = tileEndpoint(deps.db, tiles);
  const app = createApp({ ...deps, tiles }, { tileRoutes: endpoint, version });
  const logRequest = requestLogger(deps.logger);
  const secure = securityHeaders(deps);
  const server = http.createServer((req, res) => {
    const start = process.hrtime.bigint();
    secure(res);
    const taken = endpoint.fastLane(req, res);
    if (taken === true) logRequest(req, req.url!, res.statusCode, start);
    else if (taken === false) void app(req, res);
    // a tile being cut: logged once sent; if cutting failed, Express answers (and logs)
    else
      taken.then(
        () => logRequest(req, req.url!, res.statusCode, start),
        () => void app(req, res),
      );
  });
  server.on('clientError', (err, socket) => answerClientError(err, socket, securityHeaderValues(deps)));
  const watcher = watchDataChanges(deps.db, (layer) => version.changed(layer), {
    intervalMs: deps.dataChangeIntervalMs ?? DATA_CHANGE_INTERVAL_MS,
    onError: (err) => deps.logger.error({ err }, 'reading public.data_change failed'),
  });
  server.on('close', () => watcher.stop());
  return server;
}

export function createApp(
  { db, logger, tiles = new TileStore(db), clientDir = CLIENT_DIST, basemapStyleUrl = null, tilesUrl = null, trustProxy = false }: AppDeps,
  { tileRoutes = tileEndpoint(db, tiles), version = new DataVersion(tiles) }: { tileRoutes?: TileEndpoint; version?: DataVersion } = {},
) {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.set('trust proxy', trustProxy);

  const logRequest = requestLogger(logger);
  app.use((req, res, next) => {
    const start = process.hrtime.bigint();
    res.on('finish', () => logRequest(req, req.originalUrl, res.statusCode, start));
    next();
  });
  app.use(rejectMalformedUrl);
  // tiles first: the bulk of the traffic, and none of it needs a body or a session
  app.use(tileRoutes.middleware);
  app.use(express.json({ limit: '1mb' }), rejectBadStrings);
  // JSON answers over 1 kB leave compressed (tiles, answered above, are already gzipped)
  app.use(compressJson);

  // GIS clients (QGIS, GDAL, MapLibre): TileJSON of each tile source, OGC API – Features
  const catalogue = new Catalogue(db, () => version.current);
  app.use(tileJsonRoutes(catalogue), ogcRoutes(db, catalogue));

  const changed = (layer: string) => version.changed(layer);
  const editor = registryEditor({ db, onSchemesChanged: () => changed('scheme') });
  const jobs = new JobRunner(db, (err, job) => logger.error({ err, job }, 'import job'));
  const api = express.Router();
  // before the session lookup: the health check never waits for the database
  api.use(healthRoutes(db), openApiRoutes());
  api.use(sessionMiddleware(db));
  api.use(
    authRoutes(db),
    userRoutes(db),
    configRoutes({ basemapStyleUrl, tilesUrl }),
    jobRoutes(jobs),
    layerRoutes(db),
    searchRoutes(db, version),
    territoryRoutes(db),
    schemeRoutes(db, editor),
    referentRoutes(db, editor),
    registryTransferRoutes(db, editor, jobs),
    perimeterImportRoutes(db, changed, jobs),
    perimeterVersionRoutes(db, changed),
    compareRoutes(db),
    gapRoutes(db, version),
    inventoryRoutes(db),
    panoramaRoutes(db, () => version.current),
    schemeImportRoutes(db, () => changed('scheme')),
    contributionRoutes(db, editor),
    loadRoutes(db),
    openDataRoutes(db),
  );
  api.use(unknownRoute);
  app.use('/api', api);

  if (fs.existsSync(path.join(clientDir, 'index.html'))) {
    const client = clientFiles(clientDir);
    app.use(client.files);
    app.get(/^\/(?!api\/|tiles\/).*/, client.index);
  }
  app.use(unknownRoute);
  app.use(errorHandler((err, req) => logger.error({ err, method: req.method, url: req.url }, 'unhandled error')));
  return app;
}
