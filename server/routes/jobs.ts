// GET /api/jobs/:id: where an import stands (see contract/jobs.ts). Its author or an
// administrator may read it; to anyone else it does not exist.
import { Router } from 'express';
import { jobParamsSchema, type Job } from '../../contract/jobs.ts';
import { requireUser } from '../auth/index.ts';
import { notFound } from '../errors.ts';
import type { JobRunner } from '../jobs/runner.ts';
import type { JobRow } from '../queries/jobs.ts';

/** The job as the API shows it (without its author's id). */
export function toJob({ userId: _u, ...job }: JobRow): Job {
  return job;
}

export function jobRoutes(jobs: JobRunner): Router {
  const router = Router();
  router.get('/jobs/:id', async (req, res) => {
    const user = requireUser(res);
    const { id } = jobParamsSchema.parse(req.params);
    const job = await jobs.get(id);
    if (!job || (job.userId !== user.id && user.role !== 'admin')) throw notFound(`Aucune tâche d’import « ${id} » parmi les vôtres.`);
    res.set('cache-control', 'no-store').json(toJob(job));
  });
  return router;
}
