// Accounts, for administrators: GET /api/users, POST /api/users, PATCH /api/users/:id
// (disable or re-enable; disabling ends the account's sessions) and
// DELETE /api/users/:id/sessions (sign the account out everywhere).
import { Router, type Response } from 'express';
import { accountParams, accountPatch, newUserSchema as newUser } from '../../contract/accounts.ts';
import { requireUser } from '../auth/index.ts';
import { passwordProblem } from '../auth/password-policy.ts';
import { hashPassword } from '../auth/passwords.ts';
import { can, type SessionUser } from '../../contract/permissions.ts';
import type { Db } from '../../core/db/db.ts';
import { HttpError, notFound } from '../errors.ts';
import { createUser, emailTaken, endSessions, getUser, listUsers, setDisabled } from '../queries/users.ts';

/** The contract's new account, held to the password policy. */
export const newUserSchema = newUser.superRefine((u, ctx) => {
  const problem = passwordProblem(u.password, u.email);
  if (problem) ctx.addIssue({ code: 'custom', message: problem, path: ['password'] });
});

export function userRoutes(db: Db): Router {
  const router = Router();
  const requireAdmin = (res: Response): SessionUser => {
    const user = requireUser(res);
    if (!can(user, 'manage-users')) throw new HttpError(403, 'Seul un administrateur gère les comptes.');
    return user;
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

  router.patch('/users/:id', async (req, res) => {
    const admin = requireAdmin(res);
    const { id } = accountParams.parse(req.params);
    const { disabled } = accountPatch.parse(req.body ?? {});
    if (id === admin.id && disabled) throw new HttpError(409, 'Vous ne pouvez pas désactiver votre propre compte.');
    const user = await db.transaction(async (tx) => {
      if (!(await setDisabled(tx, id, disabled))) return null;
      if (disabled) await endSessions(tx, id);
      return getUser(tx, id);
    });
    if (!user) throw notFound(`Compte introuvable : n° ${id}.`);
    res.json({ user });
  });

  router.delete('/users/:id/sessions', async (req, res) => {
    requireAdmin(res);
    const { id } = accountParams.parse(req.params);
    if (!(await getUser(db, id))) throw notFound(`Compte introuvable : n° ${id}.`);
    res.json({ ended: await endSessions(db, id) });
  });

  return router;
}
