// Login throttling kept in PostgreSQL (registry.login_throttle), so every instance on
// one database counts the same attempts. Two keys per attempt: the account (e-mail)
// with a low threshold and the client address with a higher one, since many people
// may share one address (an ARS behind one proxy).
//
// The rule, per key: each attempt raises a level by one, and the level fades by one
// every `fadeSeconds`. While the rounded level is under `limit`, attempts go through.
// The attempt that reaches the limit sets a delay before the next one: 30 s, then
// doubling with each further failure (1 min, 2 min, …), never more than 15 min. So a
// locked account is never locked for good: after the delay, the right password works
// again from any address, while a guesser gets one try per delay.
//
// An attempt is *reserved* under a row lock before the password is checked, and a
// refused reservation changes nothing: a burst of parallel requests cannot test more
// passwords than the limit. Times are read with clock_timestamp(), not the transaction's
// start: a reservation that waited for another's row lock must see the time it got it.
// A successful login clears the account's level and gives the address its attempt back.
import { isIPv6 } from 'node:net';
import type { Db, Queryable } from '../../core/db/db.ts';
import { lockThrottle, raiseThrottle, relieveThrottle } from '../queries/login-throttle.ts';

export interface KeyRule {
  limit: number;
  fadeSeconds: number;
}

export interface ThrottlePolicy {
  account: KeyRule;
  address: KeyRule;
  firstDelaySeconds: number;
  maxDelaySeconds: number;
}

export const DEFAULT_POLICY: ThrottlePolicy = {
  account: { limit: 5, fadeSeconds: 15 * 60 },
  address: { limit: 50, fadeSeconds: 60 },
  firstDelaySeconds: 30,
  maxDelaySeconds: 15 * 60,
};

/** Seconds to wait after an attempt that brought a key to `level` (0: none). */
export function delayAfter(level: number, limit: number, policy: Pick<ThrottlePolicy, 'firstDelaySeconds' | 'maxDelaySeconds'>): number {
  const whole = Math.round(level);
  if (whole < limit) return 0;
  return Math.min(policy.maxDelaySeconds, policy.firstDelaySeconds * 2 ** Math.min(whole - limit, 30));
}

/** The address a throttle counts: IPv4 as is, IPv6 by its /64 (one subscriber's prefix). */
export function addressKey(ip: string | undefined): string {
  if (!ip) return 'address:inconnue';
  const v4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (v4) return `address:${v4[1]}`;
  if (!isIPv6(ip)) return `address:${ip}`;
  const [head = '', tail = ''] = ip.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const full = ip.includes('::') ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right] : left;
  return `address:${full
    .slice(0, 4)
    .map((h) => h.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

export const accountKey = (email: string) => `account:${email.trim().toLowerCase()}`;

export type Reservation =
  { allowed: true; account: string; address: string } | { allowed: false; waitSeconds: number; blockedBy: 'account' | 'address' };

class Refused extends Error {
  constructor(
    readonly waitSeconds: number,
    readonly blockedBy: 'account' | 'address',
  ) {
    super('throttled');
  }
}

export class LoginThrottle {
  constructor(
    private readonly db: Db,
    private readonly policy: ThrottlePolicy = DEFAULT_POLICY,
  ) {}

  /** Counts one attempt on both keys, or none when either must wait. */
  async reserve(email: string, ip: string | undefined): Promise<Reservation> {
    const account = accountKey(email);
    const address = addressKey(ip);
    try {
      // always account then address: concurrent reservations lock rows in one order
      await this.db.transaction(async (tx) => {
        await this.take(tx, account, this.policy.account, 'account');
        await this.take(tx, address, this.policy.address, 'address');
      });
      return { allowed: true, account, address };
    } catch (err) {
      if (err instanceof Refused) return { allowed: false, waitSeconds: err.waitSeconds, blockedBy: err.blockedBy };
      throw err;
    }
  }

  /** The password was right: the account starts afresh, the address gets its attempt back. */
  async succeeded(r: { account: string; address: string }): Promise<void> {
    await relieveThrottle(this.db, r.account, r.address, this.policy.address.limit);
  }

  private async take(tx: Queryable, key: string, rule: KeyRule, kind: 'account' | 'address'): Promise<void> {
    const row = await lockThrottle(tx, key, rule.fadeSeconds);
    if (row.wait > 0) throw new Refused(Math.ceil(row.wait), kind);
    const level = row.level + 1;
    await raiseThrottle(tx, key, level, delayAfter(level, rule.limit, this.policy));
  }
}

/** "30 secondes", "2 minutes": the wait in words for the 429 message. */
export function describeWait(seconds: number): string {
  if (seconds < 60) return `${seconds} seconde${seconds > 1 ? 's' : ''}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes > 1 ? 's' : ''}`;
}
