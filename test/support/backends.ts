// The databases the integration and e2e tests run against: always the embedded PGlite,
// and PostgreSQL + PostGIS when TEST_DATABASE_URL (or DATABASE_URL) names one; each test
// worker runs on its own copies of them (./worker-copies.ts).
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { inject } from 'vitest';
import { createServer, type AppDeps } from '../../server/app.ts';
import { TileStore } from '../../server/tiles/store.ts';
import { openDb, type Db } from '../../core/db/db.ts';

export interface Backend {
  name: 'pglite' | 'postgis';
  databaseUrl?: string;
  dataDir: string;
}

export { GEODATA_DIR } from './geodata-dir.ts';

export function configuredBackends(): Backend[] {
  const list: Backend[] = [{ name: 'pglite', dataDir: path.resolve(process.env.TEST_PGLITE_DIR ?? '.data/test-pglite') }];
  const url = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  if (url) list.push({ name: 'postgis', databaseUrl: url, dataDir: '' });
  return list;
}

/**
 * The backends this test worker runs on: its own copies of the ones the global setup
 * migrated and imported (./worker-copies.ts), never shared with a file running at once.
 */
export function backends(): Backend[] {
  const perWorker = inject('workerBackends');
  const worker = Number(process.env.VITEST_POOL_ID ?? 1);
  const mine = perWorker[worker - 1];
  if (!mine) throw new Error(`Le worker de test n° ${worker} n'a pas de copie des bases (${perWorker.length} préparées).`);
  return mine;
}

export function openBackend(b: Backend): Promise<Db> {
  return openDb({ databaseUrl: b.databaseUrl, dataDir: b.dataDir });
}

export interface TestServer {
  url: string;
  db: Db;
  tiles: TileStore;
  close(): Promise<void>;
}

/** The real app on a free loopback port, over the given backend. */
export async function startTestServer(
  b: Backend,
  options: Pick<AppDeps, 'clientDir' | 'dataChangeIntervalMs' | 'trustProxy'> = {},
): Promise<TestServer> {
  const db = await openBackend(b);
  const tiles = new TileStore(db);
  const server = createServer({ db, logger: pino({ level: 'silent' }), tiles, ...options }).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    db,
    tiles,
    async close() {
      await new Promise((resolve) => server.close(resolve));
      await tiles.close();
      await db.close();
    },
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** Index = VITEST_POOL_ID - 1. */
    workerBackends: Backend[][];
  }
}
