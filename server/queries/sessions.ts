// SQL for server-side sessions (registry.session): the token's hash, the user, the CSRF
// token and an expiry; the session's user as the permission rule sees them.
import type { Queryable } from '../../core/db/db.ts';
import type { Role, SessionUser } from '../../contract/permissions.ts';

export async function insertSession(
  db: Queryable,
  s: { tokenHash: string; userId: number; csrf: string; ttlHours: number },
): Promise<void> {
  await db.query(`DELETE FROM registry.session WHERE expires_at < now()`);
  await db.query(
    `INSERT INTO registry.session (token_hash, user_id, csrf, expires_at)
     VALUES ($1, $2, $3, now() + make_interval(hours => $4))`,
    [s.tokenHash, s.userId, s.csrf, s.ttlHours],
  );
}

/** The live session of this token hash, with its enabled user, or null. */
export async function sessionByTokenHash(db: Queryable, tokenHash: string): Promise<{ user: SessionUser; csrf: string } | null> {
  const [row] = await db.query<SessionUser & { role: Role; csrf: string }>(
    `SELECT u.id, u.email, u.name, u.role, u.region, s.csrf,
       coalesce((SELECT array_agg(us.scheme ORDER BY us.scheme) FROM registry.user_scheme us WHERE us.user_id = u.id), '{}') AS schemes
     FROM registry.session s JOIN registry.app_user u ON u.id = s.user_id
     WHERE s.token_hash = $1 AND s.expires_at > now() AND NOT u.disabled`,
    [tokenHash],
  );
  if (!row) return null;
  const { csrf, ...user } = row;
  return { user, csrf };
}

export async function deleteSession(db: Queryable, tokenHash: string): Promise<void> {
  await db.query(`DELETE FROM registry.session WHERE token_hash = $1`, [tokenHash]);
}
