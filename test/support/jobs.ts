// Imports answer 202 with a job to poll (contract/jobs.ts): the tests follow it to its end.
import type { Job } from '../../contract/jobs.ts';

/** Polls the job a 202 answer points to until it has succeeded or failed. */
export async function finishedJob(
  base: string,
  accepted: Response,
  headers: Record<string, string>,
  { timeoutMs = 120_000, onPoll }: { timeoutMs?: number; onPoll?: (job: Job) => void } = {},
): Promise<Job> {
  if (accepted.status !== 202) throw new Error(`expected 202, got ${accepted.status}: ${await accepted.text()}`);
  const location = accepted.headers.get('location');
  if (!location) throw new Error('202 without Location');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await fetch(base + location, { headers });
    if (res.status !== 200) throw new Error(`GET ${location}: ${res.status} ${await res.text()}`);
    const job = (await res.json()) as Job;
    onPoll?.(job);
    if (job.status !== 'running') return job;
    if (Date.now() > deadline) throw new Error(`job ${job.id} still running after ${timeoutMs} ms (${job.step})`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
