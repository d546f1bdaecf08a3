// Account administration routes added for issue 11: an administrator disables or
// re-enables an account (disabling ends its sessions at once) or ends its sessions.
import { z } from 'zod';
import { endpoint } from './endpoint.ts';

export const accountParams = z.object({
  id: z.coerce
    .number({ message: 'identifiant de compte attendu (nombre entier)' })
    .int()
    .positive({ message: 'identifiant de compte invalide' }),
});

export const accountPatch = z.object({ disabled: z.boolean({ message: '« disabled » attendu : true ou false' }) }).strict();

export const account = z.object({
  id: z.number().int(),
  email: z.string(),
  name: z.string(),
  role: z.enum(['admin', 'planner', 'coordinator']),
  region: z.string().nullable(),
  disabled: z.boolean(),
  schemes: z.array(z.string()),
  /** Sessions still open (not expired). */
  sessions: z.number().int(),
});

export const endpoints = [
  endpoint({
    method: 'patch',
    path: '/api/users/:id',
    summary: 'Désactive ou réactive un compte ; la désactivation ferme aussitôt toutes ses sessions (administrateurs).',
    tag: 'Comptes',
    params: accountParams,
    body: accountPatch,
    response: z.object({ user: account }),
  }),
  endpoint({
    method: 'delete',
    path: '/api/users/:id/sessions',
    summary: 'Ferme toutes les sessions ouvertes d’un compte, qui devra se reconnecter (administrateurs).',
    tag: 'Comptes',
    params: accountParams,
    response: z.object({ ended: z.number().int() }),
  }),
];
