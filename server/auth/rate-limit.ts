// A rate limit kept in the database (registry.rate_limit, migration 012), so every
// instance on one database counts the same hits: at most `max` per key within a fixed
// window of `windowSeconds`, then refused until the window ends. Used for the public
// signalment form (server/routes/contributions.ts); logins have their own, progressive
// throttle (throttle.ts). One statement per hit (server/queries/rate-limit.ts), counting only
// while under the limit: a parallel burst cannot get more than `max` through.
import type { Db } from '../../core/db/db.ts';
import { countHit, forgetEndedWindows } from '../queries/rate-limit.ts';

export interface RateRule {
  max: number;
  windowSeconds: number;
}

export type Hit = { allowed: true } | { allowed: false; waitSeconds: number };

export class RateLimit {
  constructor(
    private readonly db: Db,
    private readonly rule: RateRule,
  ) {}

  /** Counts one hit for `key`, or refuses it (and counts nothing) when the key is at its limit. */
  async hit(key: string): Promise<Hit> {
    const row = await countHit(this.db, key, this.rule.windowSeconds, this.rule.max);
    if (row.hits != null) {
      // a window starting: the moment to forget the ones long ended
      if (row.hits === 1) await forgetEndedWindows(this.db, this.rule.windowSeconds);
      return { allowed: true };
    }
    // the row may have been created by a concurrent hit this statement did not see yet
    return { allowed: false, waitSeconds: Math.max(1, row.wait ?? this.rule.windowSeconds) };
  }
}
