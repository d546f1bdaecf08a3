// Prepares every backend once per test run: migrations, then a real import of
// GEODATA_DIR. In CI (CI=true) the embedded database is always rebuilt from scratch;
// locally an already-imported one is reused unless FRESH_IMPORT=1.
import fs from 'node:fs';
import type { TestProject } from 'vitest/node';
import { importReference } from '../../geodata/import.ts';
import { migrate } from '../../core/db/migrate.ts';
import { configuredBackends, GEODATA_DIR, openBackend } from './backends.ts';

export default async function setup(project: TestProject) {
  const list = configuredBackends();
  // Host and database only: the URL may carry a password.
  const pg = list.find((b) => b.name === 'postgis')?.databaseUrl;
  const where = pg ? new URL(pg) : undefined;
  console.log(
    where
      ? `[setup] bases testées : PGlite embarquée et PostgreSQL + PostGIS (${where.host}${where.pathname})`
      : '[setup] bases testées : PGlite embarquée seule (TEST_DATABASE_URL ajoute PostgreSQL + PostGIS)',
  );
  for (const b of list) {
    if (b.name === 'pglite' && (process.env.CI || process.env.FRESH_IMPORT)) fs.rmSync(b.dataDir, { recursive: true, force: true });
    const db = await openBackend(b);
    try {
      await migrate(db);
      const [done] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM public.import_run WHERE status = 'ok'`);
      if (b.name === 'postgis' || !done?.n) {
        const t0 = Date.now();
        await importReference(db, GEODATA_DIR);
        console.log(`[setup] import ${b.name} : ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      }
    } finally {
      await db.close();
    }
  }
  project.provide('backends', list);
}
