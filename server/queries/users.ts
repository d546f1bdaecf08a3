// SQL for accounts.
import type { Queryable } from '../../core/db/db.ts';
import type { Role } from '../../contract/permissions.ts';

export interface UserRow {
  id: number;
  email: string;
  name: string;
  role: Role;
  region: string | null;
  disabled: boolean;
  schemes: string[];
  sessions: number;
}

export async function createUser(
  db: Queryable,
  u: { email: string; name: string; role: Role; region: string | null; passwordHash: string; schemes: string[] },
): Promise<number> {
  const [row] = await db.query<{ id: number }>(
    `INSERT INTO registry.app_user (email, name, role, region, password_hash) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [u.email, u.name, u.role, u.region, u.passwordHash],
  );
  await db.query(`INSERT INTO registry.user_scheme (user_id, scheme) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING`, [
    row!.id,
    u.schemes,
  ]);
  return row!.id;
}

const USER_COLUMNS = `u.id, u.email, u.name, u.role, u.region, u.disabled,
       coalesce((SELECT array_agg(scheme ORDER BY scheme) FROM registry.user_scheme s WHERE s.user_id = u.id), '{}') AS schemes,
       (SELECT count(*)::int FROM registry.session s WHERE s.user_id = u.id AND s.expires_at > now()) AS sessions`;

export async function listUsers(db: Queryable): Promise<UserRow[]> {
  return db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM registry.app_user u ORDER BY u.email`);
}

export async function getUser(db: Queryable, id: number): Promise<UserRow | null> {
  const [row] = await db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM registry.app_user u WHERE u.id = $1`, [id]);
  return row ?? null;
}

export async function emailTaken(db: Queryable, email: string): Promise<boolean> {
  return (await db.query(`SELECT 1 FROM registry.app_user WHERE lower(email) = lower($1)`, [email])).length > 0;
}

/** Disables or re-enables an account; false when there is no such account. */
export async function setDisabled(db: Queryable, id: number, disabled: boolean): Promise<boolean> {
  return (await db.query(`UPDATE registry.app_user SET disabled = $2 WHERE id = $1 RETURNING id`, [id, disabled])).length > 0;
}

/** Ends every session of an account; how many were open. */
export async function endSessions(db: Queryable, userId: number): Promise<number> {
  const rows = await db.query<{ live: boolean }>(`DELETE FROM registry.session WHERE user_id = $1 RETURNING expires_at > now() AS live`, [
    userId,
  ]);
  return rows.filter((r) => r.live).length;
}

/** The password hash of an enabled account, for signing in. */
export async function passwordHashByEmail(db: Queryable, email: string): Promise<{ id: number; passwordHash: string } | null> {
  const [user] = await db.query<{ id: number; passwordHash: string }>(
    `SELECT id, password_hash AS "passwordHash" FROM registry.app_user WHERE lower(email) = lower($1) AND NOT disabled`,
    [email],
  );
  return user ?? null;
}
