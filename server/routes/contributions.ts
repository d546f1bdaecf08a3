// Signalled schemes (contract/contributions.ts): a public form feeds a moderation queue.
// Abuse is kept out at the edge: a body size limit, a rate limit per account (signed in) or
// per address (anonymous) shared by every instance through the database, a honeypot
// field (a robot filling it is answered as if accepted, and nothing is kept), plain text
// only. The reporter's e-mail goes to moderators only.
import { Router } from 'express';
import { currentUser, requireUser } from '../auth/index.ts';
import type { SessionUser } from '../../contract/permissions.ts';
import { RateLimit } from '../auth/rate-limit.ts';
import { addressKey } from '../auth/throttle.ts';
import type { Db } from '../../core/db/db.ts';
import { HttpError, notFound } from '../errors.ts';
import {
  acceptContribution,
  listContributions as listEndpoint,
  rejectContribution,
  submitContribution,
} from '../../contract/contributions.ts';
import {
  decideContribution,
  getContribution,
  insertContribution,
  linkContributionScheme,
  listContributions,
  unitNames,
  type ContributionRow,
} from '../queries/contributions.ts';
import { resolvePerimeter } from '../../core/queries/registry.ts';
import { majorityRegions } from '../queries/scheme-import.ts';
import type { RegistryEditor } from '../registry/edit.ts';
import { frenchDate } from '../registry/inventory-status.ts';
import { requireRegion } from '../registry/scope.ts';

/** Largest accepted form, in bytes of JSON. */
export const MAX_CONTRIBUTION_BYTES = 20_000;

export interface ContributionLimits {
  /** Signalments accepted per account or address within the window. */
  max?: number;
  windowSeconds?: number;
}

const RECEIVED = 'Merci : votre signalement sera relu par l’ARS de la région concernée avant d’être publié.';

async function shown(db: Db, rows: ContributionRow[]) {
  const names = await unitNames(
    db,
    rows.flatMap((r) => r.payload.communes),
    rows.flatMap((r) => r.payload.epci),
  );
  return rows.map(({ payload, ...r }) => ({
    ...r,
    ...payload,
    communes: payload.communes.map((code) => ({ code, name: names.get(`commune:${code}`) ?? code })),
    epci: payload.epci.map((code) => ({ code, name: names.get(`epci:${code}`) ?? code })),
  }));
}

function moderator(user: SessionUser): string | null {
  if (user.role === 'admin') return null;
  if (user.role !== 'planner' || !user.region)
    throw new HttpError(403, 'Seuls les planificateurs d’ARS et les administrateurs modèrent les signalements.');
  return user.region;
}

export function contributionRoutes(db: Db, editor: RegistryEditor, limits: ContributionLimits = {}): Router {
  const router = Router();
  const limiter = new RateLimit(db, { max: limits.max ?? 5, windowSeconds: limits.windowSeconds ?? 3600 });

  router.post('/contributions', async (req, res) => {
    if (Number(req.get('content-length') ?? 0) > MAX_CONTRIBUTION_BYTES || JSON.stringify(req.body ?? {}).length > MAX_CONTRIBUTION_BYTES) {
      throw new HttpError(413, `Signalement trop volumineux (${MAX_CONTRIBUTION_BYTES / 1000} ko au plus).`);
    }
    const user = currentUser(res);
    const hit = await limiter.hit(
      user ? `contribution:account:${user.id}` : `contribution:${addressKey(req.ip ?? req.socket.remoteAddress)}`,
    );
    if (!hit.allowed) {
      res.set('Retry-After', String(hit.waitSeconds));
      const from = user ? 'depuis ce compte' : 'depuis cette adresse';
      throw new HttpError(429, `Trop de signalements ${from} : réessayez dans ${Math.ceil(hit.waitSeconds / 60)} minute(s).`);
    }
    const input = submitContribution.body!.parse(req.body ?? {});
    const { website, email, ...payload } = input;
    if (website) return res.status(202).json({ received: true, message: RECEIVED });
    const resolved = await resolvePerimeter(db, {
      communes: payload.communes,
      groups: payload.epci.map((code) => ({ layer: 'epci', code })),
    });
    if (resolved.unknown.length) {
      throw new HttpError(422, `Codes inconnus : ${resolved.unknown.join(', ')}. Vérifiez le périmètre.`, {
        unknownCodes: resolved.unknown,
      });
    }
    const region = (await majorityRegions(db, [{ code: 'x', members: resolved.members }])).get('x') ?? null;
    await insertContribution(db, payload, email, region);
    res.status(202).json({ received: true, message: RECEIVED });
  });

  router.get('/contributions', async (req, res) => {
    const user = requireUser(res);
    const region = moderator(user);
    const { status } = listEndpoint.query!.parse(req.query);
    res.set('Cache-Control', 'private, no-store').json({ contributions: await shown(db, await listContributions(db, status, region)) });
  });

  async function pending(user: SessionUser, id: number) {
    moderator(user);
    const c = await getContribution(db, id);
    if (!c) throw notFound(`Signalement introuvable : n° ${id}.`);
    requireRegion(user, c.region, 'modérer ce signalement');
    if (c.status !== 'en_attente')
      throw new HttpError(409, `Ce signalement a déjà été traité (${c.status === 'acceptee' ? 'accepté' : 'rejeté'}).`);
    return c;
  }

  router.post('/contributions/:id/accept', async (req, res) => {
    const user = requireUser(res);
    const { id } = acceptContribution.params!.parse(req.params);
    acceptContribution.body!.parse(req.body ?? {});
    const c = await pending(user, id);
    // claimed first, so two moderators never create it twice
    if (!(await decideContribution(db, id, { status: 'acceptee', userId: user.id, reason: null, scheme: null })))
      throw new HttpError(409, 'Ce signalement vient d’être traité par quelqu’un d’autre.');
    const p = c.payload;
    try {
      const { scheme } = await editor.create(
        user,
        {
          type: p.type,
          name: p.name,
          bearerType: null,
          bearerName: p.bearerName,
          perimeter: { communes: p.communes, epci: p.epci, petr: [], pnr: [], pasted: [] },
          signatureDate: p.signatureDate,
          generation: null,
          status: 'en_cours',
          endDate: p.endDate,
          coordinationFte: p.coordinationFte,
          themes: [],
          signatories: [],
          remark: null,
        },
        {
          text: `Signalement du ${frenchDate(c.createdAt)}${p.sourceUrl ? ` — ${p.sourceUrl}` : ''}`,
          provenance: { kind: 'signalement', date: c.createdAt },
        },
      );
      await linkContributionScheme(db, id, scheme.code);
      res.json({ scheme: { code: scheme.code, name: scheme.name } });
    } catch (err) {
      await decideContribution(db, id, { status: 'en_attente', userId: null, reason: null, scheme: null }, 'acceptee');
      throw err;
    }
  });

  router.post('/contributions/:id/reject', async (req, res) => {
    const user = requireUser(res);
    const { id } = rejectContribution.params!.parse(req.params);
    const { reason } = rejectContribution.body!.parse(req.body ?? {});
    await pending(user, id);
    if (!(await decideContribution(db, id, { status: 'rejetee', userId: user.id, reason, scheme: null })))
      throw new HttpError(409, 'Ce signalement vient d’être traité par quelqu’un d’autre.');
    const [contribution] = await shown(db, [(await getContribution(db, id))!]);
    res.json({ contribution });
  });

  return router;
}
