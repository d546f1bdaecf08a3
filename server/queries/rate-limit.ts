// SQL of the database rate limit (registry.rate_limit, migration 012): one row per key
// with the start of its window and the hits counted in it. See server/auth/rate-limit.ts.
import type { Queryable } from '../../core/db/db.ts';

/**
 * Counts one hit for the key unless it is at its limit within its window, in one statement
 * (a parallel burst cannot pass more than `max`). `hits` is null when refused; `wait` is
 * the seconds left in the key's window. Times are read with clock_timestamp().
 */
export async function countHit(
  db: Queryable,
  key: string,
  windowSeconds: number,
  max: number,
): Promise<{ hits: number | null; wait: number | null }> {
  const [row] = await db.query<{ hits: number | null; wait: number | null }>(
    `WITH hit AS (
      INSERT INTO registry.rate_limit AS r (key) VALUES ($1)
      ON CONFLICT (key) DO UPDATE SET
        hits = CASE WHEN r.window_start <= clock_timestamp() - make_interval(secs => $2) THEN 1 ELSE r.hits + 1 END,
        window_start = CASE WHEN r.window_start <= clock_timestamp() - make_interval(secs => $2) THEN clock_timestamp() ELSE r.window_start END
      WHERE r.window_start <= clock_timestamp() - make_interval(secs => $2) OR r.hits < $3
      RETURNING hits)
    SELECT (SELECT hits FROM hit) AS hits,
      (SELECT ceil(extract(epoch FROM r.window_start + make_interval(secs => $2) - clock_timestamp()))::float8
       FROM registry.rate_limit r WHERE r.key = $1) AS wait`,
    [key, windowSeconds, max],
  );
  return row ?? { hits: null, wait: null };
}

/** Forgets the windows that ended a day ago: nobody needs them any more. */
export async function forgetEndedWindows(db: Queryable, windowSeconds: number): Promise<void> {
  await db.query(`DELETE FROM registry.rate_limit WHERE window_start < clock_timestamp() - make_interval(secs => $1) - interval '1 day'`, [
    windowSeconds,
  ]);
}
