// "Signaler une démarche": anyone, without an account, signals a scheme; it waits in a
// moderation queue read by the planners of the région concerned and by admins, who accept
// it (it becomes a scheme, provenance "signalement du <date>") or reject it with a reason.
// The reporter's e-mail is shown to moderators only, never published.
import { z } from 'zod';
import { endpoint } from './endpoint.ts';

export const CONTRIBUTION_TYPES = ['CLS', 'ASV', 'CLSM', 'PTSM'] as const;
export const CONTRIBUTION_STATUSES = ['en_attente', 'acceptee', 'rejetee'] as const;

/** Plain text only: what is signalled is shown as text, and a tag is refused outright. */
const plain = (min: number, max: number) =>
  z
    .string()
    .trim()
    .min(min, { message: `${min} caractères au moins` })
    .max(max, { message: `${max} caractères au plus` })
    .refine((v) => !/<\s*[a-z!/?]/i.test(v), { message: 'pas de balises HTML' });

const date = z
  .string()
  .regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, { message: 'date attendue sous la forme AAAA, AAAA-MM ou AAAA-MM-JJ' })
  .nullable()
  .default(null);

export const contributionInputSchema = z
  .object({
    type: z.enum(CONTRIBUTION_TYPES, { message: 'type attendu : CLS, ASV, CLSM ou PTSM' }),
    name: plain(3, 200),
    bearerName: plain(2, 200).nullable().default(null),
    communes: z
      .array(z.string().regex(/^(\d{5}|2[AB]\d{3})$/, { message: 'code commune INSEE attendu (5 caractères)' }))
      .max(2000, { message: '2000 communes au plus' })
      .default([]),
    epci: z
      .array(z.string().regex(/^\d{9}$/, { message: 'code SIREN d’EPCI attendu (9 chiffres)' }))
      .max(100, { message: '100 EPCI au plus' })
      .default([]),
    signatureDate: date,
    endDate: date,
    coordinationFte: z.number().min(0).max(50, { message: 'ETP de coordination entre 0 et 50' }).nullable().default(null),
    email: z.string().trim().max(200).email({ message: 'adresse électronique invalide : elle sert seulement à vous recontacter' }),
    sourceUrl: z
      .string()
      .trim()
      .max(500, { message: 'lien trop long' })
      .regex(/^https?:\/\/[^\s<>"]+$/, { message: 'lien attendu de la forme https://…' })
      .nullable()
      .default(null),
    /** Honeypot: hidden from people, filled by robots. */
    website: z.string().max(500).optional(),
  })
  .strict()
  .refine((v) => v.communes.length + v.epci.length > 0, {
    message: 'indiquez le périmètre : au moins une commune ou un EPCI',
    path: ['communes'],
  });

export const contributionSchema = z.object({
  id: z.number().int(),
  status: z.enum(CONTRIBUTION_STATUSES),
  region: z.string().nullable(),
  createdAt: z.string(),
  type: z.enum(CONTRIBUTION_TYPES),
  name: z.string(),
  bearerName: z.string().nullable(),
  communes: z.array(z.object({ code: z.string(), name: z.string() })),
  epci: z.array(z.object({ code: z.string(), name: z.string() })),
  signatureDate: z.string().nullable(),
  endDate: z.string().nullable(),
  coordinationFte: z.number().nullable(),
  sourceUrl: z.string().nullable(),
  reporterEmail: z.string(),
  reason: z.string().nullable(),
  scheme: z.string().nullable(),
});

export const submitContribution = endpoint({
  method: 'post',
  path: '/api/contributions',
  summary: 'Signaler une démarche (sans compte) : elle sera relue avant publication.',
  tag: 'Contributions',
  body: contributionInputSchema,
  status: 202,
  response: z.object({ received: z.literal(true), message: z.string() }),
});

export const listContributions = endpoint({
  method: 'get',
  path: '/api/contributions',
  summary: 'File de modération des signalements (planificateurs de la région concernée, administrateurs).',
  tag: 'Contributions',
  query: z.object({ status: z.enum(CONTRIBUTION_STATUSES).default('en_attente') }),
  response: z.object({ contributions: z.array(contributionSchema) }),
});

const idParams = z.object({ id: z.coerce.number().int().positive({ message: 'identifiant de signalement invalide' }) });

export const acceptContribution = endpoint({
  method: 'post',
  path: '/api/contributions/:id/accept',
  summary: 'Accepter un signalement : il devient une démarche du registre.',
  tag: 'Contributions',
  params: idParams,
  body: z.object({}).strict().default({}),
  response: z.object({ scheme: z.object({ code: z.string(), name: z.string() }) }),
});

export const rejectContribution = endpoint({
  method: 'post',
  path: '/api/contributions/:id/reject',
  summary: 'Rejeter un signalement, avec la raison.',
  tag: 'Contributions',
  params: idParams,
  body: z
    .object({
      reason: z.string().trim().min(3, { message: 'indiquez la raison du rejet' }).max(1000, { message: '1000 caractères au plus' }),
    })
    .strict(),
  response: z.object({ contribution: contributionSchema }),
});

export const endpoints = [submitContribution, listContributions, acceptContribution, rejectContribution];
