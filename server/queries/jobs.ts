// SQL of public.import_job (migration 006): the import jobs every instance can see.
import type { Job } from '../../contract/jobs.ts';
import type { Queryable } from '../../core/db/db.ts';

export interface JobRow extends Job {
  userId: number | null;
}

const COLUMNS = `id, kind, scope, user_id AS "userId", status, step, done, total, report, error,
  to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt",
  to_char(finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "finishedAt"`;

/** PostgreSQL's unique_violation: another job holds the scope. */
export const SCOPE_TAKEN = '23505';

export async function insertJob(
  db: Queryable,
  job: { id: string; kind: Job['kind']; scope: string | null; userId: number; step: string; total: number | null },
): Promise<JobRow> {
  const [row] = await db.query<JobRow>(
    `INSERT INTO public.import_job (id, kind, scope, user_id, step, total) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
    [job.id, job.kind, job.scope, job.userId, job.step, job.total],
  );
  return row!;
}

export async function getJob(db: Queryable, id: string): Promise<JobRow | null> {
  const [row] = await db.query<JobRow>(`SELECT ${COLUMNS} FROM public.import_job WHERE id = $1`, [id]);
  return row ?? null;
}

/** Progress, which is also the heartbeat that says the job's instance is alive. */
export async function updateJobProgress(db: Queryable, id: string, p: { step: string; done: number; total: number | null }) {
  await db.query(
    `UPDATE public.import_job SET step = $2, done = $3, total = $4, heartbeat_at = now() WHERE id = $1 AND status = 'running'`,
    [id, p.step, p.done, p.total],
  );
}

export async function heartbeatJobs(db: Queryable, ids: string[]) {
  await db.query(`UPDATE public.import_job SET heartbeat_at = now() WHERE id = ANY($1::text[]) AND status = 'running'`, [ids]);
}

export async function finishJob(
  db: Queryable,
  id: string,
  end: { status: 'succeeded' | 'failed'; step: string; report: unknown; error: Record<string, unknown> | null },
) {
  await db.query(
    `UPDATE public.import_job SET status = $2, step = $3, report = $4::jsonb, error = $5::jsonb, finished_at = now(), heartbeat_at = now()
     WHERE id = $1`,
    [id, end.status, end.step, end.report === null ? null : JSON.stringify(end.report), end.error && JSON.stringify(end.error)],
  );
}

/**
 * Jobs whose instance stopped beating (it died): failed, freeing their scope. With
 * `staleSeconds` 0 every running job goes (a start on the embedded database, which
 * only one process can hold).
 */
export async function failAbandonedJobs(db: Queryable, staleSeconds: number, error: Record<string, unknown>): Promise<string[]> {
  const rows = await db.query<{ id: string }>(
    `UPDATE public.import_job SET status = 'failed', step = 'interrompu', error = $2::jsonb, finished_at = now()
     WHERE status = 'running' AND heartbeat_at <= now() - make_interval(secs => $1) RETURNING id`,
    [staleSeconds, JSON.stringify(error)],
  );
  return rows.map((r) => r.id);
}
