// Sessions over HTTP: sign in (e-mail and password, throttled), sign out, who am I. The
// session is a cookie; writes also carry the CSRF token the sign-in answers.
import { z } from 'zod';
import { ROLES } from './domain.ts';
import { endpoint } from './endpoint.ts';

export const loginSchema = z.object({
  email: z.string({ message: 'adresse électronique manquante' }).trim().email({ message: 'adresse électronique invalide' }).max(200),
  password: z.string({ message: 'mot de passe manquant' }).min(1, { message: 'mot de passe manquant' }).max(500),
});

export const userSchema = z.object({
  id: z.number().int(),
  email: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  region: z.string().nullable(),
  schemes: z.array(z.string()),
});
export type User = z.infer<typeof userSchema>;

export const sessionSchema = z.object({ user: userSchema, csrfToken: z.string() });
export type Session = z.infer<typeof sessionSchema>;

/** What the client asks on every visit: a visitor is an answer, not a 401. */
export const sessionStateSchema = z.discriminatedUnion('signedIn', [
  z.object({ signedIn: z.literal(true), user: userSchema, csrfToken: z.string() }),
  z.object({ signedIn: z.literal(false) }),
]);

const tag = 'Comptes';
export const endpoints = {
  login: endpoint({
    method: 'post',
    path: '/api/auth/login',
    tag,
    summary: 'Connexion par adresse électronique et mot de passe ; répond l’utilisateur et le jeton CSRF (429 après trop d’échecs).',
    body: loginSchema,
    response: sessionSchema,
  }),
  logout: endpoint({
    method: 'post',
    path: '/api/auth/logout',
    tag,
    summary: 'Déconnexion : ferme la session (réponse 204).',
    status: 204,
  }),
  me: endpoint({
    method: 'get',
    path: '/api/auth/me',
    tag,
    summary: 'L’utilisateur connecté et son jeton CSRF (401 sans session).',
    response: sessionSchema,
  }),
  session: endpoint({
    method: 'get',
    path: '/api/auth/session',
    tag,
    summary: 'La session en cours : l’utilisateur et son jeton CSRF, ou « non connecté » (toujours 200).',
    response: sessionStateSchema,
  }),
};
