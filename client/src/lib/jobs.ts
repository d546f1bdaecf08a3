// Imports run on the server as jobs: the upload answers 202 with the job, and the client
// polls GET /api/jobs/:id until it has succeeded or failed, telling the caller each step
// (contract/jobs.ts). A job outlives a slow answer: polling retries after a network hiccup.
import { endpoints as jobs, type Job } from '../../../contract/jobs.ts';
import { ApiError, fetchJson } from './http.ts';

export type { Job } from '../../../contract/jobs.ts';

const POLL_MS = 500;
/** Polls that may fail in a row (server restarting, network) before giving up. */
const MAX_MISSES = 10;

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Follows a job to its end; `onProgress` sees every state read. */
export async function followJob(job: Job, onProgress: (job: Job) => void = () => {}): Promise<Job> {
  let misses = 0;
  onProgress(job);
  while (job.status === 'running') {
    await wait(POLL_MS);
    try {
      job = await fetchJson(jobs.job, { params: { id: job.id } });
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      const transient = err.status === 0 || err.status >= 500;
      if (transient && ++misses <= MAX_MISSES) continue;
      if (err.status === 0) throw new ApiError(0, 'Le serveur ne répond plus : l’import continue peut-être ; rechargez la page plus tard.');
      throw new ApiError(err.status, `Impossible de suivre l’import (erreur ${err.status}).`);
    }
    misses = 0;
    onProgress(job);
  }
  return job;
}

/** A job's step as a line of text: « écriture des démarches (120 / 1 000) ». */
export function describeProgress(job: Job): string {
  return job.total ? `${job.step} (${job.done.toLocaleString('fr-FR')} / ${job.total.toLocaleString('fr-FR')})` : job.step;
}
