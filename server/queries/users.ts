// SQL for accounts.
import type { Queryable } from '../db/db.ts';
import type { Role } from '../auth/permissions.ts';

export interface UserRow {
  id: number;
  email: string;
  name: string;
  role: Role;
  region: string | null;
  disabled: boolean;
  schemes: string[];
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

export async function listUsers(db: Queryable): Promise<UserRow[]> {
  return db.query<UserRow>(
    `SELECT u.id, u.email, u.name, u.role, u.region, u.disabled,
       coalesce((SELECT array_agg(scheme ORDER BY scheme) FROM registry.user_scheme s WHERE s.user_id = u.id), '{}') AS schemes
     FROM registry.app_user u ORDER BY u.email`,
  );
}

export async function emailTaken(db: Queryable, email: string): Promise<boolean> {
  return (await db.query(`SELECT 1 FROM registry.app_user WHERE lower(email) = lower($1)`, [email])).length > 0;
}
