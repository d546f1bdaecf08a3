// GET /api/health: the database answers and reference data is loaded (with its vintage).
// It answers within a second whatever runs: a probe not answered within PROBE_MS while
// the database works through other statements (a long import) means busy, not down, and
// the vintage it last reported stands; with nothing else running it may take up to
// PROBE_MAX_MS before the database counts as unreachable. Mounted before the session lookup, which would
// wait for the database. Down or unreachable: 503 with Retry-After.
import { Router, type Response } from 'express';
import type { Db } from '../../core/db/db.ts';
import { HttpError } from '../errors.ts';
import { lastImportRun, type ImportRun } from '../queries/health.ts';

const PROBE_MS = 150;
const PROBE_MAX_MS = 700;
/** PostgreSQL last heard of longer ago than this, with the probe unanswered: down, not busy. */
const CONTACT_MS = 30_000;
const RETRY_AFTER_S = 5;

type Probe = { ok: true; run: ImportRun | undefined } | { ok: false };

function unavailable(res: Response, detail: string): never {
  res.set('retry-after', String(RETRY_AFTER_S));
  throw new HttpError(503, detail);
}

export function healthRoutes(db: Db): Router {
  const router = Router();
  let known: ImportRun | undefined;
  // one probe at a time: checks arriving while it waits share it instead of queueing more
  let probing: Promise<Probe> | null = null;
  let probingSince = 0;
  const probe = (): Promise<Probe> => {
    if (probing) return probing;
    probingSince = Date.now();
    probing = lastImportRun(db)
      .then(
        (run): Probe => {
          known = run;
          return { ok: true, run };
        },
        (): Probe => ({ ok: false }),
      )
      .finally(() => (probing = null));
    return probing;
  };

  router.get('/health', async (_req, res) => {
    const started = probe();
    const within = (ms: number) => Promise.race([started, new Promise<'late'>((resolve) => setTimeout(resolve, ms, 'late'))]);
    // a probe already waiting that long: no need to wait for it again
    let outcome = await within(Math.max(0, PROBE_MS - (Date.now() - probingSince)));
    let run: ImportRun | undefined;
    let busy = false;
    if (outcome === 'late') {
      const { inFlight, lastContactAt } = db.activity();
      const heardOf = db.kind === 'pglite' || (lastContactAt !== null && Date.now() - lastContactAt < CONTACT_MS);
      // the probe queues behind other statements: the database is working, not gone
      busy = inFlight > 1 && heardOf;
      if (!busy) outcome = await within(PROBE_MAX_MS - PROBE_MS);
    }
    if (busy) {
      run = known;
    } else if (outcome === 'late') {
      unavailable(res, 'La base de données ne répond pas.');
    } else if (!outcome.ok) {
      unavailable(res, 'La base de données ne répond pas.');
    } else {
      run = outcome.run;
      if (!run) unavailable(res, 'Aucune donnée de référence n’est encore chargée (import en cours ou à lancer).');
    }
    res.set('cache-control', 'no-store').json({
      status: 'ok',
      database: db.kind,
      busy,
      vintage: run ? `COG ${run.vintage}` : null,
      importedAt: run?.finished_at ?? null,
    });
  });
  return router;
}
