// Runs imports as background jobs: the request that submits one gets the job row at
// once (202), the work goes on in this process and writes its progress, and finally its
// report or its error, to public.import_job where every instance reads it. The row's
// partial unique index refuses a second running job of the same scope (409), whichever
// instance holds the first. A heartbeat tells the others this instance is still alive;
// a job whose heartbeat stopped (its instance died) is marked failed, freeing its scope.
import { randomUUID } from 'node:crypto';
import type { Job } from '../../contract/jobs.ts';
import type { SessionUser } from '../../contract/permissions.ts';
import type { Db } from '../../core/db/db.ts';
import { HttpError } from '../errors.ts';
import {
  failAbandonedJobs,
  finishJob,
  getJob,
  heartbeatJobs,
  insertJob,
  SCOPE_TAKEN,
  updateJobProgress,
  type JobRow,
} from '../queries/jobs.ts';

const HEARTBEAT_MS = 5_000;
/** A running job not heard of for this long belongs to an instance that died. */
export const STALE_SECONDS = 30;

export const INTERRUPTED = {
  status: 500,
  detail: 'Import interrompu : le serveur qui le menait s’est arrêté. Les données précédentes sont intactes ; relancez l’import.',
};

export interface JobProgress {
  /** The current step in French; `done` of `total` units when they are counted. */
  (step: string, done?: number, total?: number | null): void;
}

export interface JobSpec {
  kind: Job['kind'];
  /** What the job replaces: one running job per scope across instances (null: no exclusivity). */
  scope: string | null;
  /** French name of the scope for the 409 message. */
  scopeLabel: string;
  user: SessionUser;
  total?: number | null;
}

export class JobRunner {
  /** Jobs this instance runs: their progress is answered from memory, even while the database is busy. */
  private live = new Map<string, { row: JobRow; finished: Promise<void> }>();
  private heartbeat: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: Db,
    private readonly logError: (err: unknown, job: string) => void,
  ) {}

  /** Records the job (409 if its scope is taken) and starts `work`, whose result becomes the job's report. */
  async submit(spec: JobSpec, work: (progress: JobProgress) => Promise<unknown>): Promise<JobRow> {
    await failAbandonedJobs(this.db, STALE_SECONDS, INTERRUPTED);
    let row: JobRow;
    try {
      row = await insertJob(this.db, {
        id: randomUUID(),
        kind: spec.kind,
        scope: spec.scope,
        userId: spec.user.id,
        step: 'en attente',
        total: spec.total ?? null,
      });
    } catch (err) {
      if ((err as { code?: string }).code !== SCOPE_TAKEN) throw err;
      throw new HttpError(
        409,
        `Un import ${spec.scopeLabel} est déjà en cours : attendez qu’il se termine (son avancement s’affiche chez la personne qui l’a lancé), puis recommencez.`,
      );
    }
    const live = { row: { ...row }, finished: Promise.resolve() };
    live.finished = this.run(live.row, work);
    this.live.set(row.id, live);
    this.beat();
    return row;
  }

  /** A job as this instance knows it (live progress) or as the database holds it. */
  async get(id: string): Promise<JobRow | null> {
    const live = this.live.get(id);
    if (live) return { ...live.row };
    await failAbandonedJobs(this.db, STALE_SECONDS, INTERRUPTED);
    return getJob(this.db, id);
  }

  /** Resolves when every job this instance runs has finished (tests, shutdown). */
  async idle(): Promise<void> {
    await Promise.all([...this.live.values()].map((j) => j.finished));
  }

  private beat(): void {
    if (this.heartbeat) return;
    this.heartbeat = setInterval(() => {
      if (this.live.size === 0) {
        clearInterval(this.heartbeat!);
        this.heartbeat = null;
        return;
      }
      heartbeatJobs(this.db, [...this.live.keys()]).catch((err: unknown) => this.logError(err, 'heartbeat'));
    }, HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  private async run(row: JobRow, work: (progress: JobProgress) => Promise<unknown>): Promise<void> {
    // progress writes are coalesced: one in flight, then the latest state
    let writing: Promise<void> | null = null;
    let again = false;
    const flush = () => {
      if (writing) {
        again = true;
        return;
      }
      writing = updateJobProgress(this.db, row.id, row)
        .catch((err: unknown) => this.logError(err, row.id))
        .finally(() => {
          writing = null;
          if (again) {
            again = false;
            flush();
          }
        });
    };
    const progress: JobProgress = (step, done = row.done, total = row.total) => {
      Object.assign(row, { step, done, total });
      flush();
    };

    let end: Parameters<typeof finishJob>[2];
    try {
      // the request that submitted the job is answered before the work starts
      await new Promise((resolve) => setImmediate(resolve));
      const report = await work(progress);
      end = { status: 'succeeded', step: 'terminé', report, error: null };
    } catch (err) {
      if (err instanceof HttpError) {
        const { report = null, ...extra } = err.extra;
        end = { status: 'failed', step: 'refusé', report, error: { status: err.status, detail: err.detail, ...extra } };
      } else {
        this.logError(err, row.id);
        end = {
          status: 'failed',
          step: 'échec',
          report: null,
          error: {
            status: 500,
            detail: 'L’import a échoué sur une erreur inattendue (consignée) ; les données précédentes sont intactes.',
          },
        };
      }
    }
    while (writing) await writing;
    try {
      await finishJob(this.db, row.id, end);
    } catch (err) {
      // the row stays 'running' without heartbeat: it is marked failed once stale
      this.logError(err, row.id);
    }
    Object.assign(row, { status: end.status, step: end.step, report: end.report, error: end.error, finishedAt: new Date().toISOString() });
    this.live.delete(row.id);
  }
}
