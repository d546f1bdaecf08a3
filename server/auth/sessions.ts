// Server-side sessions: the cookie holds a random token, the database only its hash,
// with the user, the CSRF token and an expiry.
import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from '../db/db.ts';
import type { Role, SessionUser } from '../../contract/permissions.ts';

export const SESSION_COOKIE = 'mf_session';
export const SESSION_TTL_HOURS = 8;

const digest = (token: string) => createHash('sha256').update(token).digest('hex');

export async function createSession(db: Queryable, userId: number): Promise<{ token: string; csrf: string }> {
  const token = randomBytes(32).toString('base64url');
  const csrf = randomBytes(24).toString('base64url');
  await db.query(`DELETE FROM registry.session WHERE expires_at < now()`);
  await db.query(
    `INSERT INTO registry.session (token_hash, user_id, csrf, expires_at)
     VALUES ($1, $2, $3, now() + make_interval(hours => $4))`,
    [digest(token), userId, csrf, SESSION_TTL_HOURS],
  );
  return { token, csrf };
}

export async function findSession(db: Queryable, token: string): Promise<{ user: SessionUser; csrf: string } | null> {
  const [row] = await db.query<{
    id: number;
    email: string;
    name: string;
    role: Role;
    region: string | null;
    csrf: string;
    schemes: string[];
  }>(
    `SELECT u.id, u.email, u.name, u.role, u.region, s.csrf,
       coalesce((SELECT array_agg(us.scheme ORDER BY us.scheme) FROM registry.user_scheme us WHERE us.user_id = u.id), '{}') AS schemes
     FROM registry.session s JOIN registry.app_user u ON u.id = s.user_id
     WHERE s.token_hash = $1 AND s.expires_at > now() AND NOT u.disabled`,
    [digest(token)],
  );
  if (!row) return null;
  const { csrf, ...user } = row;
  return { user, csrf };
}

export async function destroySession(db: Queryable, token: string): Promise<void> {
  await db.query(`DELETE FROM registry.session WHERE token_hash = $1`, [digest(token)]);
}
