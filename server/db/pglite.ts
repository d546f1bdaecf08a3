// Db over embedded PGlite + PostGIS (WebAssembly), its data kept on disk in dataDir so a
// restart does not re-import. Its PostGIS is built without protobuf: no ST_AsMVT here.
import fs from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';
import type { Db, Queryable, Row } from './db.ts';

type PgliteLike = Pick<PGlite, 'query' | 'exec'>;

function wrap(client: PgliteLike): Queryable {
  return {
    async query<T extends object = Row>(sql: string, params: readonly unknown[] = []) {
      const res = await client.query<T>(sql, params as unknown[]);
      return res.rows;
    },
    async exec(sql: string) {
      await client.exec(sql);
    },
  };
}

export async function openPglite(dataDir: string): Promise<Db> {
  fs.mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir, {
    extensions: { postgis },
    // int8 as JS numbers, like the pg implementation.
    parsers: { 20: (v: string) => Number(v) },
  });
  await db.exec('CREATE EXTENSION IF NOT EXISTS postgis');
  return {
    kind: 'pglite',
    ...wrap(db),
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      return db.transaction((tx) => fn(wrap(tx)));
    },
    async close() {
      await db.close();
    },
  };
}
