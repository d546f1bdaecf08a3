// Db over a real PostgreSQL + PostGIS server, through a pg connection pool.
import pg from 'pg';
import type { Db, Queryable, Row } from './db.ts';

// int8 (counts) and numeric come back as strings by default; our SQL casts what it
// needs, but a bare count(*) must still be a number.
pg.types.setTypeParser(20, (v) => Number(v));

export async function openPostgis(url: string): Promise<Db> {
  const pool = new pg.Pool({ connectionString: url, max: 8 });
  pool.on('error', () => {
    /* idle client errors are reported on the next query */
  });
  await pool.query('CREATE EXTENSION IF NOT EXISTS postgis');

  const wrap = (client: pg.Pool | pg.PoolClient): Queryable => ({
    async query<T extends object = Row>(sql: string, params: readonly unknown[] = []) {
      const res = await client.query(sql, params as unknown[]);
      return res.rows as T[];
    },
    async exec(sql: string) {
      await client.query(sql);
    },
  });

  return {
    kind: 'postgis',
    ...wrap(pool),
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(wrap(client));
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    async close() {
      await pool.end();
    },
  };
}
