// SQL of the health check: the last reference import that succeeded, with its vintage.
import type { Queryable } from '../../core/db/db.ts';

export interface ImportRun {
  vintage: string;
  finished_at: string;
}

export async function lastImportRun(db: Queryable): Promise<ImportRun | undefined> {
  const [run] = await db.query<ImportRun>(
    `SELECT vintage, finished_at FROM public.import_run WHERE status = 'ok' ORDER BY id DESC LIMIT 1`,
  );
  return run;
}
