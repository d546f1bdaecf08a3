// Starts Millefeuille: configuration, database (PostGIS or embedded), migrations, the
// reference import on first start, cleanup of what a crash left behind (running import
// jobs, upload folders), then the HTTP server; stops cleanly on signals.
import pino from 'pino';
import { formatReport, importReference } from '../geodata/import.ts';
import { createServer } from './app.ts';
import { loadConfig } from '../core/config.ts';
import { holdDataDir } from '../core/db/data-dir-lock.ts';
import { openDb } from '../core/db/db.ts';
import { migrate } from '../core/db/migrate.ts';
import { cleanupAfterCrash } from './jobs/cleanup.ts';
import { countCommunes, listLayers } from './queries/layers.ts';
import { TileStore } from './tiles/store.ts';

const config = loadConfig();
// Asynchronous writes: under load, lines written while one write is under way go out
// together instead of one system call per request. Flushed before exiting.
const logOutput = pino.destination({ dest: 1, sync: false });
const logger = pino({ level: config.logLevel }, logOutput);

const releaseDataDir = holdDataDir(config, 'serveur');
const db = await openDb(config);
logger.info({ database: db.kind, dataDir: db.kind === 'pglite' ? config.dataDir : undefined }, 'database open');
const applied = await migrate(db);
if (applied.length) logger.info({ applied }, 'migrations applied');

if ((await countCommunes(db)) === 0) {
  logger.info({ geodataDir: config.geodataDir }, 'empty database: importing reference data (first start)');
  const report = await importReference(db, config.geodataDir, (step) => logger.info(step));
  logger.info(formatReport(report));
}

const leftovers = await cleanupAfterCrash(db);
if (leftovers.jobs.length || leftovers.uploads.length) logger.warn(leftovers, 'interrupted imports marked failed, upload folders removed');

// Tile indexes are built before listening, so the first visitor's tiles come from memory.
const tiles = new TileStore(db, { onCutterLost: (why) => logger.warn({ why }, 'tile cutter restarted') });
const started = Date.now();
await tiles.warm((await listLayers(db)).map((l) => l.id));
logger.info({ ms: Date.now() - started }, 'tile indexes built');

const server = createServer({
  db,
  logger,
  tiles,
  basemapStyleUrl: config.basemapStyleUrl ?? null,
  tilesUrl: config.tilesUrl ?? null,
  trustProxy: config.trustProxy,
});
server.listen(config.port, config.host, () => {
  logger.info(`Millefeuille écoute sur http://${config.host}:${config.port}`);
});

let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'stopping');
  server.close();
  await db.close();
  releaseDataDir();
  logOutput.flushSync();
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
