// Imports as background jobs: uploading a perimeter file or the registry CSV answers
// 202 Accepted with the job and a Location header; the client then polls the job until
// it has succeeded or failed. The job lives in PostgreSQL, so any instance answers it.
import { z } from 'zod';
import { endpoint } from './endpoint.ts';

export const JOB_STATUSES = ['running', 'succeeded', 'failed'] as const;

export const jobSchema = z.object({
  id: z.string(),
  kind: z.enum(['perimeters', 'registry']),
  /** What the import replaces ('perimeters:cpts', 'registry'); null for a dry run. */
  scope: z.string().nullable(),
  status: z.enum(JOB_STATUSES),
  /** Current step, in French. */
  step: z.string(),
  done: z.number().int(),
  /** Units of work in all, when known (schemes of a registry file). */
  total: z.number().int().nullable(),
  /** What the import answers when it succeeded (and a refused perimeter file's report). */
  report: z.unknown().nullable(),
  /** Why it failed, as a problem: the HTTP status the import would have answered and a French detail. */
  error: z.object({ status: z.number().int(), detail: z.string() }).passthrough().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type Job = z.infer<typeof jobSchema>;

export const jobParamsSchema = z.object({ id: z.string().regex(/^[0-9a-f-]{36}$/, { message: 'identifiant de tâche invalide' }) });

/** The answer of a route that starts a job (202 Accepted, Location: /api/jobs/:id). */
export const acceptedJobSchema = z.object({ job: jobSchema });

export const endpoints = {
  job: endpoint({
    method: 'get',
    path: '/api/jobs/:id',
    summary: 'État d’un import en tâche de fond : étape, avancement, rapport ou erreur (son auteur ou un administrateur).',
    tag: 'Imports',
    params: jobParamsSchema,
    response: jobSchema,
  }),
  registryImport: endpoint({
    method: 'post',
    path: '/api/registry/import',
    summary: 'Importe le registre au format CSV (administrateurs) : l’import part en tâche de fond (202, Location).',
    tag: 'Imports',
    response: acceptedJobSchema,
    status: 202,
  }),
};
