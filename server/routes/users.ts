// Accounts, for administrators: GET /api/users, POST /api/users.
import { Router } from 'express';
import { z } from 'zod';
import { requireUser } from '../auth/index.ts';
import { hashPassword, MIN_PASSWORD_LENGTH } from '../auth/passwords.ts';
import { can } from '../auth/permissions.ts';
import type { Db } from '../db/db.ts';
import { HttpError } from '../errors.ts';
import { codeSchema } from '../layers.ts';
import { createUser, emailTaken, listUsers } from '../queries/users.ts';

export const newUserSchema = z
  .object({
    email: z.string().trim().email({ message: 'adresse électronique invalide' }).max(200),
    name: z.string().trim().min(2, { message: 'nom trop court' }).max(200),
    role: z.enum(['admin', 'planner', 'coordinator'], { message: 'rôle attendu : admin, planner ou coordinator' }),
    region: z
      .string()
      .regex(/^\d{2}$/, { message: 'code région à 2 chiffres' })
      .nullable()
      .default(null),
    password: z
      .string()
      .min(MIN_PASSWORD_LENGTH, { message: `mot de passe de ${MIN_PASSWORD_LENGTH} caractères au moins` })
      .max(500),
    schemes: z.array(codeSchema).max(100).default([]),
  })
  .strict()
  .refine((u) => u.role !== 'planner' || u.region, { message: 'un planificateur ARS doit avoir une région', path: ['region'] });

export function userRoutes(db: Db): Router {
  const router = Router();
  const requireAdmin = (res: Parameters<typeof requireUser>[0]) => {
    const user = requireUser(res);
    if (!can(user, 'manage-users')) throw new HttpError(403, 'Seul un administrateur gère les comptes.');
  };

  router.get('/users', async (_req, res) => {
    requireAdmin(res);
    res.json({ users: await listUsers(db) });
  });

  router.post('/users', async (req, res) => {
    requireAdmin(res);
    const u = newUserSchema.parse(req.body ?? {});
    if (await emailTaken(db, u.email)) throw new HttpError(409, `Un compte existe déjà pour ${u.email}.`);
    const id = await createUser(db, { ...u, passwordHash: await hashPassword(u.password) });
    res.status(201).json({ id, email: u.email, name: u.name, role: u.role, region: u.region, schemes: u.schemes });
  });

  return router;
}
