// POST /api/auth/login, POST /api/auth/logout, GET /api/auth/me (401 for a visitor), GET /api/auth/session (200 for all).
import { Router } from 'express';
import { loginSchema } from '../../contract/auth.ts';
import { currentUser, endSession, passwordStrategy, startSession, type LoginStrategy } from '../auth/index.ts';
import { describeWait, LoginThrottle } from '../auth/throttle.ts';
import type { Db } from '../../core/db/db.ts';
import { HttpError } from '../errors.ts';

export function authRoutes(db: Db, throttle = new LoginThrottle(db), strategy: LoginStrategy = passwordStrategy): Router {
  const router = Router();

  router.post('/auth/login', async (req, res) => {
    const credentials = loginSchema.parse(req.body ?? {});
    const attempt = await throttle.reserve(credentials.email, req.ip);
    if (!attempt.allowed) {
      res.set('Retry-After', String(attempt.waitSeconds));
      const from = attempt.blockedBy === 'account' ? 'pour ce compte' : 'depuis votre adresse réseau';
      throw new HttpError(
        429,
        `Trop de tentatives de connexion ${from} : réessayez dans ${describeWait(attempt.waitSeconds)}. Le délai double à chaque nouvel échec (15 minutes au plus).`,
      );
    }
    const userId = await strategy.verify(db, credentials);
    if (userId === null) throw new HttpError(401, 'Adresse électronique ou mot de passe incorrect.');
    await throttle.succeeded(attempt);
    const { csrf, session } = await startSession(db, req, res, userId);
    res.json({ user: session?.user, csrfToken: csrf });
  });

  router.post('/auth/logout', async (_req, res) => {
    await endSession(db, res);
    res.status(204).end();
  });

  router.get('/auth/me', (_req, res) => {
    const user = currentUser(res);
    if (!user) throw new HttpError(401, 'Vous n’êtes pas connecté.');
    res.json({ user, csrfToken: res.locals.csrf });
  });

  // What the client asks on every visit: a visitor is not an error (no 401 in the console)
  router.get('/auth/session', (_req, res) => {
    const user = currentUser(res);
    res.json(user ? { signedIn: true, user, csrfToken: res.locals.csrf } : { signedIn: false });
  });

  return router;
}
