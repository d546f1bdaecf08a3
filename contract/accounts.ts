// Account administration, for administrators: list and create accounts, disable or
// re-enable one (disabling ends its sessions at once), end its sessions. The password
// policy is the server's (server/auth/password-policy.ts), added to `newUserSchema` there.
import { z } from 'zod';
import { codeSchema, ROLES } from './domain.ts';
import { userSchema } from './auth.ts';
import { endpoint } from './endpoint.ts';

export const accountParams = z.object({
  id: z.coerce
    .number({ message: 'identifiant de compte attendu (nombre entier)' })
    .int()
    .positive({ message: 'identifiant de compte invalide' }),
});

export const accountPatch = z.object({ disabled: z.boolean({ message: 'true ou false attendu' }) }).strict();

export const account = userSchema.extend({
  disabled: z.boolean(),
  /** Sessions still open (not expired). */
  sessions: z.number().int(),
});

export type Account = z.infer<typeof account>;

export const newUserSchema = z
  .object({
    email: z.string().trim().email({ message: 'adresse électronique invalide' }).max(200),
    name: z.string().trim().min(2, { message: 'nom trop court' }).max(200),
    role: z.enum(ROLES, { message: 'rôle attendu : admin, planner ou coordinator' }),
    region: z
      .string()
      .regex(/^\d{2}$/, { message: 'code région à 2 chiffres' })
      .nullable()
      .default(null),
    password: z.string().max(500, { message: 'mot de passe trop long (500 caractères au plus)' }),
    schemes: z.array(codeSchema).max(100).default([]),
  })
  .strict()
  .refine((u) => u.role !== 'planner' || u.region, { message: 'un planificateur ARS doit avoir une région', path: ['region'] });

export const endpoints = {
  list: endpoint({
    method: 'get',
    path: '/api/users',
    summary: 'Liste des comptes avec leurs démarches et leurs sessions ouvertes (administrateurs).',
    tag: 'Comptes',
    response: z.object({ users: z.array(account) }),
  }),
  create: endpoint({
    method: 'post',
    path: '/api/users',
    summary: 'Crée un compte (administrateurs) ; le mot de passe suit la politique de mots de passe.',
    tag: 'Comptes',
    body: newUserSchema,
    response: userSchema,
    status: 201,
  }),
  setDisabled: endpoint({
    method: 'patch',
    path: '/api/users/:id',
    summary: 'Désactive ou réactive un compte ; la désactivation ferme aussitôt toutes ses sessions (administrateurs).',
    tag: 'Comptes',
    params: accountParams,
    body: accountPatch,
    response: z.object({ user: account }),
  }),
  endSessions: endpoint({
    method: 'delete',
    path: '/api/users/:id/sessions',
    summary: 'Ferme toutes les sessions ouvertes d’un compte, qui devra se reconnecter (administrateurs).',
    tag: 'Comptes',
    params: accountParams,
    response: z.object({ ended: z.number().int() }),
  }),
};
