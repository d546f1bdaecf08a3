// The benchmark database: created with PostGIS if missing, migrated, and filled with the
// full national reference import when empty (the same code as the server's first start).
import pg from 'pg';
import { importReference } from '../../geodata/import.ts';
import { openDb, type Db } from '../../core/db/db.ts';
import { migrate } from '../../core/db/migrate.ts';

export const DEFAULT_BENCH_URL = 'postgres://postgres@127.0.0.1/mf_bench';

async function createDatabaseIfMissing(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`database name not supported by the bench: ${name}`);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
}

/** Opens a ready database (PostGIS when url is given, else PGlite in dataDir). */
export async function prepareDb(opts: { url?: string; dataDir?: string; geodataDir: string; log: (s: string) => void }): Promise<Db> {
  if (opts.url) await createDatabaseIfMissing(opts.url);
  const db = await openDb({ databaseUrl: opts.url, dataDir: opts.dataDir ?? '' });
  await migrate(db);
  const [{ n }] = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM atlas.commune')) as [{ n: number }];
  if (n === 0) {
    opts.log(`empty ${db.kind} database: importing the national reference data (once)…`);
    const t0 = Date.now();
    await importReference(db, opts.geodataDir);
    opts.log(`import done in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  }
  return db;
}
