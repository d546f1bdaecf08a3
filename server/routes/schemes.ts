// The scheme registry over HTTP. Reads are public; writes need a signed-in user with
// the right role (401 anonymous, 403 wrong role), the session's CSRF token, and for
// edits the version read (If-Match: "v3"); a stale edit gets 409, never an overwrite.
//   GET    /api/schemes[?type=CLS]       the registry as a table
//   POST   /api/schemes                  create
//   GET    /api/schemes/:code            one scheme with its communes (ETag = version)
//   PATCH  /api/schemes/:code            edit (If-Match required)
//   DELETE /api/schemes/:code            close (status "terminé", end date)
//   GET    /api/schemes/:code/history    every change: who (name and role; e-mail for admins only), when, before, after
import { Router, type Request } from 'express';
import { currentUser, requireUser } from '../auth/index.ts';
import type { Db } from '../../core/db/db.ts';
import { HttpError, notFound } from '../errors.ts';
import { listSchemes } from '../queries/schemes.ts';
import { getScheme, listHistory } from '../../core/queries/registry.ts';
import type { RegistryEditor } from '../registry/edit.ts';
import { createSchemeSchema, patchSchemeSchema, schemeParams as params, schemesQuery as querySchema } from '../../contract/schemes.ts';
import { maskEmails } from '../registry/scope.ts';

const etag = (version: number) => `"v${version}"`;

function ifMatchVersion(req: Request, required: boolean): number | null {
  const header = req.get('if-match');
  if (!header) {
    if (required)
      throw new HttpError(428, 'En-tête If-Match manquant : indiquez la version lue (ETag) pour éviter d’écraser une modification.');
    return null;
  }
  const m = /^(?:W\/)?"v(\d+)"$/.exec(header.trim());
  if (!m) throw new HttpError(400, 'En-tête If-Match invalide : valeur attendue de la forme "v3".');
  return Number(m[1]);
}

export function schemeRoutes(db: Db, editor: RegistryEditor): Router {
  const router = Router();

  router.get('/schemes', async (req, res) => {
    const { type } = querySchema.parse(req.query);
    res.json({ schemes: await listSchemes(db, type ?? null) });
  });

  router.post('/schemes', async (req, res) => {
    const user = requireUser(res);
    const input = createSchemeSchema.parse(req.body ?? {});
    const { scheme, rekeyed } = await editor.create(user, input);
    res.status(201).set('ETag', etag(scheme.version)).location(`/api/schemes/${scheme.code}`).json({ scheme, rekeyed });
  });

  router.get('/schemes/:code', async (req, res) => {
    const { code } = params.parse(req.params);
    const scheme = await getScheme(db, code);
    if (!scheme) throw notFound(`Démarche introuvable : « ${code} ».`);
    res.set('ETag', etag(scheme.version)).set('Cache-Control', 'no-cache').json({ scheme });
  });

  router.patch('/schemes/:code', async (req, res) => {
    const user = requireUser(res);
    const { code } = params.parse(req.params);
    const expected = ifMatchVersion(req, true)!;
    const patch = patchSchemeSchema.parse(req.body ?? {});
    const { scheme, rekeyed } = await editor.update(user, code, expected, patch);
    res.set('ETag', etag(scheme.version)).json({ scheme, rekeyed });
  });

  router.delete('/schemes/:code', async (req, res) => {
    const user = requireUser(res);
    const { code } = params.parse(req.params);
    const scheme = await editor.close(user, code, ifMatchVersion(req, false));
    res.set('ETag', etag(scheme.version)).json({ scheme });
  });

  router.get('/schemes/:code/history', async (req, res) => {
    const { code } = params.parse(req.params);
    if (!(await getScheme(db, code))) throw notFound(`Démarche introuvable : « ${code} ».`);
    const history = await listHistory(db, code);
    const admin = currentUser(res)?.role === 'admin';
    res
      .set('Cache-Control', 'private, no-cache')
      .json({ history: admin ? history : history.map(({ userEmail: _e, ...h }) => maskEmails({ ...h, userEmail: null })) });
  });

  return router;
}
