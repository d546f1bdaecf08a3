// A rate limit kept in the database (registry.rate_limit, migration 012), so every
// instance on one database counts the same hits: at most `max` per key within a fixed
// window of `windowSeconds`, then refused until the window ends. Used for the public
// signalment form (server/routes/contributions.ts); logins have their own, progressive
// throttle (throttle.ts). One statement per hit, counting only while under the limit: a
// parallel burst cannot get more than `max` through. Times are read with clock_timestamp().
import type { Db } from '../../core/db/db.ts';

export interface RateRule {
  max: number;
  windowSeconds: number;
}

export type Hit = { allowed: true } | { allowed: false; waitSeconds: number };

const SQL = {
  // no row back: the key is at its limit within its window
  hit: `WITH hit AS (
      INSERT INTO registry.rate_limit AS r (key) VALUES ($1)
      ON CONFLICT (key) DO UPDATE SET
        hits = CASE WHEN r.window_start <= clock_timestamp() - make_interval(secs => $2) THEN 1 ELSE r.hits + 1 END,
        window_start = CASE WHEN r.window_start <= clock_timestamp() - make_interval(secs => $2) THEN clock_timestamp() ELSE r.window_start END
      WHERE r.window_start <= clock_timestamp() - make_interval(secs => $2) OR r.hits < $3
      RETURNING hits)
    SELECT (SELECT hits FROM hit) AS hits,
      (SELECT ceil(extract(epoch FROM r.window_start + make_interval(secs => $2) - clock_timestamp()))::float8
       FROM registry.rate_limit r WHERE r.key = $1) AS wait`,
  // windows ended a day ago: nobody needs them any more
  forget: `DELETE FROM registry.rate_limit WHERE window_start < clock_timestamp() - make_interval(secs => $1) - interval '1 day'`,
};

export class RateLimit {
  constructor(
    private readonly db: Db,
    private readonly rule: RateRule,
  ) {}

  /** Counts one hit for `key`, or refuses it (and counts nothing) when the key is at its limit. */
  async hit(key: string): Promise<Hit> {
    const [row] = await this.db.query<{ hits: number | null; wait: number | null }>(SQL.hit, [key, this.rule.windowSeconds, this.rule.max]);
    if (row?.hits != null) {
      // a window starting: the moment to forget the ones long ended
      if (row.hits === 1) await this.db.query(SQL.forget, [this.rule.windowSeconds]);
      return { allowed: true };
    }
    // the row may have been created by a concurrent hit this statement did not see yet
    return { allowed: false, waitSeconds: Math.max(1, row?.wait ?? this.rule.windowSeconds) };
  }
}
