// Db over a real PostgreSQL + PostGIS server, through a pg connection pool, and one
// dedicated connection per LISTEN (notifications do not go through a pool).
import pg from 'pg';
import type { Db, DbActivity, Queryable, Row } from './db.ts';

// int8 (counts) and numeric come back as strings by default; our SQL casts what it
// needs, but a bare count(*) must still be a number.
pg.types.setTypeParser(20, (v) => Number(v));

export async function openPostgis(url: string): Promise<Db> {
  const pool = new pg.Pool({ connectionString: url, max: 8 });
  pool.on('error', () => {
    /* idle client errors are reported on the next query */
  });
  await pool.query('CREATE EXTENSION IF NOT EXISTS postgis');

  const activity: DbActivity = { inFlight: 0, lastContactAt: Date.now() };
  const tracked = async <R>(run: () => Promise<R>): Promise<R> => {
    activity.inFlight++;
    try {
      const result = await run();
      activity.lastContactAt = Date.now();
      return result;
    } finally {
      activity.inFlight--;
    }
  };
  const wrap = (client: pg.Pool | pg.PoolClient): Queryable => ({
    async query<T extends object = Row>(sql: string, params: readonly unknown[] = []) {
      const res = await tracked(() => client.query(sql, params as unknown[]));
      return res.rows as T[];
    },
    async exec(sql: string) {
      await tracked(() => client.query(sql));
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
    activity: () => ({ ...activity }),
    listen: (channel, onNotify) => listen(url, channel, onNotify),
    async close() {
      await pool.end();
    },
  };
}

const RECONNECT_MS = 1_000;

async function listen(url: string, channel: string, onNotify: () => void): Promise<() => Promise<void>> {
  if (!/^[a-z_]+$/.test(channel)) throw new Error(`invalid channel name ${channel}`);
  let client: pg.Client | null = null;
  let stopped = false;
  let retry: NodeJS.Timeout | null = null;
  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: url });
    const lost = () => {
      if (client !== c || stopped) return;
      client = null;
      void c.end().catch(() => undefined);
      retry = setTimeout(() => void reconnect(), RECONNECT_MS);
      retry.unref();
    };
    c.on('notification', () => onNotify());
    c.on('error', lost);
    c.on('end', lost);
    client = c;
    await c.connect();
    await c.query(`LISTEN ${channel}`);
  };
  const reconnect = async () => {
    try {
      await connect();
      onNotify();
    } catch {
      client?.emit('end');
    }
  };
  await connect();
  return async () => {
    stopped = true;
    if (retry) clearTimeout(retry);
    await client?.end().catch(() => undefined);
  };
}
