// Server-side sessions: the cookie holds a random token, the database only its hash,
// with the user, the CSRF token and an expiry (SQL in queries/sessions.ts).
import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from '../../core/db/db.ts';
import type { SessionUser } from '../../contract/permissions.ts';
import { deleteSession, insertSession, sessionByTokenHash } from '../queries/sessions.ts';

export const SESSION_COOKIE = 'mf_session';
export const SESSION_TTL_HOURS = 8;

const digest = (token: string) => createHash('sha256').update(token).digest('hex');

export async function createSession(db: Queryable, userId: number): Promise<{ token: string; csrf: string }> {
  const token = randomBytes(32).toString('base64url');
  const csrf = randomBytes(24).toString('base64url');
  await insertSession(db, { tokenHash: digest(token), userId, csrf, ttlHours: SESSION_TTL_HOURS });
  return { token, csrf };
}

export function findSession(db: Queryable, token: string): Promise<{ user: SessionUser; csrf: string } | null> {
  return sessionByTokenHash(db, digest(token));
}

export function destroySession(db: Queryable, token: string): Promise<void> {
  return deleteSession(db, digest(token));
}
