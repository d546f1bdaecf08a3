// Prepares every backend once per test run: migrations, then a real import of
// GEODATA_DIR, then one copy of each imported backend per test worker (./worker-copies.ts):
// the tests write only to the copies. In CI (CI=true) the embedded database is always
// rebuilt from scratch; locally an already-imported one is reused unless FRESH_IMPORT=1.
// The PostGIS one is imported again on every run, unless TEST_REUSE_IMPORT=1 and an
// import already finished there (a second `vitest run` of the same CI job).
import fs from 'node:fs';
import type { TestProject } from 'vitest/node';
import { importReference } from '../../geodata/import.ts';
import { migrate } from '../../core/db/migrate.ts';
import { configuredBackends, GEODATA_DIR, openBackend, type Backend } from './backends.ts';
import { makeWorkerCopy, testWorkers } from './worker-copies.ts';

export default async function setup(project: TestProject) {
  const list = configuredBackends();
  const reuse = process.env.TEST_REUSE_IMPORT === '1';
  // Host and database only: the URL may carry a password.
  const pg = list.find((b) => b.name === 'postgis')?.databaseUrl;
  const where = pg ? new URL(pg) : undefined;
  console.log(
    where
      ? `[setup] bases testées : PGlite embarquée et PostgreSQL + PostGIS (${where.host}${where.pathname})`
      : '[setup] bases testées : PGlite embarquée seule (TEST_DATABASE_URL ajoute PostgreSQL + PostGIS)',
  );
  const workers = testWorkers();
  // both imports at once: PGlite works in its own thread, PostGIS in its own process
  const copies = await Promise.all(
    list.map(async (b) => {
      if (b.name === 'pglite' && (process.env.CI || process.env.FRESH_IMPORT) && !reuse)
        fs.rmSync(b.dataDir, { recursive: true, force: true });
      const db = await openBackend(b);
      try {
        await migrate(db);
        const [done] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM public.import_run WHERE status = 'ok'`);
        if ((b.name === 'postgis' && !reuse) || !done?.n) {
          const t0 = Date.now();
          await importReference(db, GEODATA_DIR);
          console.log(`[setup] import ${b.name} : ${((Date.now() - t0) / 1000).toFixed(1)} s`);
        }
      } finally {
        await db.close();
      }
      const t0 = Date.now();
      const perWorker: Backend[] = [];
      for (let w = 1; w <= workers; w++) perWorker.push(await makeWorkerCopy(b, w));
      console.log(`[setup] ${workers} copie(s) ${b.name} pour les tests en parallèle : ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      return perWorker;
    }),
  );
  // copies[backend][worker] → one list of backends per worker
  project.provide(
    'workerBackends',
    Array.from({ length: workers }, (_, w) => copies.map((c) => c[w]!)),
  );
}
