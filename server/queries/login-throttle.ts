// SQL of the sign-in throttle (registry.login_throttle): one row per account and per
// network address, a level that fades with time and the moment the next attempt is allowed.
import type { Queryable } from '../../core/db/db.ts';

/** Reserves the key's row (locked until the transaction ends): its faded level and the seconds still to wait. */
export async function lockThrottle(tx: Queryable, key: string, fadeSeconds: number): Promise<{ level: number; wait: number }> {
  const [row] = await tx.query<{ level: number; wait: number }>(
    `INSERT INTO registry.login_throttle AS t (key) VALUES ($1)
     ON CONFLICT (key) DO UPDATE SET level = t.level
     RETURNING greatest(0, t.level - extract(epoch FROM clock_timestamp() - t.updated_at)::float8 / $2::float8) AS level,
               greatest(0, extract(epoch FROM t.next_at - clock_timestamp()))::float8 AS wait`,
    [key, fadeSeconds],
  );
  return row!;
}

/** A failed or reserved attempt: the new level and the delay before the next one. */
export async function raiseThrottle(tx: Queryable, key: string, level: number, delaySeconds: number): Promise<void> {
  await tx.query(
    `UPDATE registry.login_throttle SET level = $2, updated_at = clock_timestamp(), next_at = clock_timestamp() + make_interval(secs => $3) WHERE key = $1`,
    [key, level, delaySeconds],
  );
}

/** A right password: the account starts afresh (and day-old idle rows go), the address gets its attempt back. */
export async function relieveThrottle(db: Queryable, account: string, address: string, addressLimit: number): Promise<void> {
  await db.query(
    `DELETE FROM registry.login_throttle WHERE key = $1 OR (updated_at < clock_timestamp() - interval '1 day' AND next_at < clock_timestamp())`,
    [account],
  );
  await db.query(
    `UPDATE registry.login_throttle
     SET level = greatest(0, level - 1),
         next_at = CASE WHEN floor(greatest(0, level - 1) + 0.5) < $2 THEN least(next_at, clock_timestamp()) ELSE next_at END
     WHERE key = $1`,
    [address, addressLimit],
  );
}
