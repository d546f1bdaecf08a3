// Imports run on the server as jobs: the upload answers 202 with the job, and the client
// polls GET /api/jobs/:id until it has succeeded or failed, telling the caller each step
// (contract/jobs.ts). A job outlives a slow answer: polling retries after a network hiccup.
import type { Job } from '../../../contract/jobs.ts';
import { ApiError } from './api.ts';

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
    let res: Response;
    try {
      res = await fetch(`/api/jobs/${encodeURIComponent(job.id)}`, { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
    } catch {
      if (++misses > MAX_MISSES)
        throw new ApiError(0, 'Le serveur ne répond plus : l’import continue peut-être ; rechargez la page plus tard.');
      continue;
    }
    if (res.status >= 500 && ++misses <= MAX_MISSES) continue;
    if (!res.ok) throw new ApiError(res.status, `Impossible de suivre l’import (erreur ${res.status}).`);
    misses = 0;
    job = (await res.json()) as Job;
    onProgress(job);
  }
  return job;
}

/** A job's step as a line of text: « écriture des démarches (120 / 1 000) ». */
export function describeProgress(job: Job): string {
  return job.total ? `${job.step} (${job.done.toLocaleString('fr-FR')} / ${job.total.toLocaleString('fr-FR')})` : job.step;
}
