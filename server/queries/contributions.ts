// SQL for the moderation queue of signalled schemes (registry.contribution).
import type { Queryable } from '../../core/db/db.ts';

export interface ContributionPayload {
  type: string;
  name: string;
  bearerName: string | null;
  communes: string[];
  epci: string[];
  signatureDate: string | null;
  endDate: string | null;
  coordinationFte: number | null;
  sourceUrl: string | null;
}

export interface ContributionRow {
  id: number;
  status: 'en_attente' | 'acceptee' | 'rejetee';
  region: string | null;
  createdAt: string;
  payload: ContributionPayload;
  reporterEmail: string;
  reason: string | null;
  scheme: string | null;
}

const COLUMNS = `id, status, region, to_char(created_at, 'YYYY-MM-DD') AS "createdAt", payload,
  reporter_email AS "reporterEmail", reason, scheme`;

export async function insertContribution(
  db: Queryable,
  payload: ContributionPayload,
  email: string,
  region: string | null,
): Promise<number> {
  const [row] = await db.query<{ id: number }>(
    `INSERT INTO registry.contribution (payload, reporter_email, region) VALUES ($1::jsonb, $2, $3) RETURNING id`,
    [JSON.stringify(payload), email, region],
  );
  return row!.id;
}

/** The queue of a status, for one région or (null) all of them. */
export async function listContributions(db: Queryable, status: string, region: string | null): Promise<ContributionRow[]> {
  return db.query<ContributionRow>(
    `SELECT ${COLUMNS} FROM registry.contribution WHERE status = $1 AND ($2::text IS NULL OR region = $2) ORDER BY id`,
    [status, region],
  );
}

export async function getContribution(db: Queryable, id: number): Promise<ContributionRow | null> {
  const [row] = await db.query<ContributionRow>(`SELECT ${COLUMNS} FROM registry.contribution WHERE id = $1`, [id]);
  return row ?? null;
}

/** Moves a pending contribution to a decision; false when it was no longer pending. */
export async function decideContribution(
  db: Queryable,
  id: number,
  d: { status: 'acceptee' | 'rejetee' | 'en_attente'; userId: number | null; reason: string | null; scheme: string | null },
  from: 'en_attente' | 'acceptee' = 'en_attente',
): Promise<boolean> {
  const rows = await db.query(
    `UPDATE registry.contribution SET status = $2, decided_by = $3, decided_at = CASE WHEN $2 = 'en_attente' THEN NULL ELSE now() END,
       reason = $4, scheme = $5
     WHERE id = $1 AND status = $6 RETURNING id`,
    [id, d.status, d.userId, d.reason, d.scheme, from],
  );
  return rows.length === 1;
}

/** Names of communes and EPCI, to show a signalled perimeter as a person reads it. */
export async function unitNames(db: Queryable, communes: string[], epci: string[]): Promise<Map<string, string>> {
  const rows = await db.query<{ key: string; name: string }>(
    `SELECT 'commune:' || code AS key, name FROM atlas.commune WHERE code = ANY($1::text[])
     UNION ALL SELECT 'epci:' || code, name FROM atlas.perimeter WHERE layer = 'epci' AND code = ANY($2::text[])`,
    [communes, epci],
  );
  return new Map(rows.map((r) => [r.key, r.name]));
}

/** The scheme an accepted contribution became. */
export async function linkContributionScheme(db: Queryable, id: number, scheme: string): Promise<void> {
  await db.query(`UPDATE registry.contribution SET scheme = $2 WHERE id = $1`, [id, scheme]);
}
