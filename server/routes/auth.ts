// POST /api/auth/login, POST /api/auth/logout, GET /api/auth/me.
import { Router } from 'express';
import { z } from 'zod';
import { currentUser, endSession, passwordStrategy, startSession, type LoginStrategy } from '../auth/index.ts';
import { LoginLimiter } from '../auth/rate-limit.ts';
import type { Db } from '../db/db.ts';
import { HttpError } from '../errors.ts';

const loginSchema = z.object({
  email: z.string({ message: 'adresse électronique manquante' }).trim().email({ message: 'adresse électronique invalide' }).max(200),
  password: z.string({ message: 'mot de passe manquant' }).min(1, { message: 'mot de passe manquant' }).max(500),
});

export function authRoutes(db: Db, limiter = new LoginLimiter(), strategy: LoginStrategy = passwordStrategy): Router {
  const router = Router();

  router.post('/auth/login', async (req, res) => {
    const credentials = loginSchema.parse(req.body ?? {});
    const keys = [`ip:${req.ip}`, `email:${credentials.email.toLowerCase()}`];
    const wait = limiter.retryAfter(keys);
    if (wait > 0) {
      res.set('Retry-After', String(wait));
      throw new HttpError(429, `Trop de tentatives de connexion : réessayez dans ${Math.ceil(wait / 60)} minute(s).`);
    }
    const userId = await strategy.verify(db, credentials);
    if (userId === null) {
      limiter.fail(keys);
      throw new HttpError(401, 'Adresse électronique ou mot de passe incorrect.');
    }
    limiter.succeed(keys);
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

  return router;
}
