// Authentication, behind one module: how a user proves who they are (a password
// strategy today; an OpenID Connect provider such as ProConnect can replace
// `passwordStrategy` without touching routes), sessions in a secure cookie, CSRF
// protection for every write, and the current user for each request.
import type { Request, RequestHandler, Response } from 'express';
import type { Db, Queryable } from '../../core/db/db.ts';
import { HttpError } from '../errors.ts';
import { verifyPassword } from './passwords.ts';
import type { SessionUser } from '../../contract/permissions.ts';
import { passwordHashByEmail } from '../queries/users.ts';
import { createSession, destroySession, findSession, SESSION_COOKIE, SESSION_TTL_HOURS } from './sessions.ts';

export interface LoginStrategy {
  /** The user id for these credentials, or null. */
  verify(db: Queryable, credentials: { email: string; password: string }): Promise<number | null>;
}

export const passwordStrategy: LoginStrategy = {
  async verify(db, { email, password }) {
    const user = await passwordHashByEmail(db, email);
    // hash anyway when the account does not exist, so timing does not reveal it
    const ok = await verifyPassword(
      password,
      user?.passwordHash ?? 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
    );
    return ok && user ? user.id : null;
  },
};

function readCookie(req: Request, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return null;
}

export function currentUser(res: Response): SessionUser | null {
  return (res.locals.user as SessionUser | undefined) ?? null;
}

export function requireUser(res: Response): SessionUser {
  const user = currentUser(res);
  if (!user) throw new HttpError(401, 'Connectez-vous pour effectuer cette action.');
  return user;
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Loads the session of each request; refuses writes without the session's CSRF token. */
export function sessionMiddleware(db: Db): RequestHandler {
  return async (req, res, next) => {
    try {
      const token = readCookie(req, SESSION_COOKIE);
      const session = token ? await findSession(db, token) : null;
      if (session) {
        res.locals.user = session.user;
        res.locals.csrf = session.csrf;
        res.locals.sessionToken = token;
        if (WRITE_METHODS.has(req.method) && req.path !== '/auth/login' && req.get('x-csrf-token') !== session.csrf) {
          throw new HttpError(403, 'Jeton CSRF absent ou invalide : rechargez la page puis recommencez.');
        }
      }
      next();
    } catch (err) {
      next(err);
    }
  };
}

export async function startSession(db: Db, req: Request, res: Response, userId: number) {
  const { token, csrf } = await createSession(db, userId);
  res.cookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'strict',
    secure: req.secure,
    path: '/',
    maxAge: SESSION_TTL_HOURS * 3600_000,
  });
  return { csrf, session: await findSession(db, token) };
}

export async function endSession(db: Db, res: Response) {
  const token = res.locals.sessionToken as string | undefined;
  if (token) await destroySession(db, token);
  res.clearCookie(SESSION_COOKIE, { path: '/' });
}
