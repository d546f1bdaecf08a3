// Elected health referents (élus référents santé) per commune of a scheme.
//   GET    /api/schemes/:code/referents                 contact details for the coordinator of the
//                                                       scheme, a planner of its région, an admin
//   PUT    /api/schemes/:code/referents/:commune        set (coordinator of the scheme, planner, admin)
//   DELETE /api/schemes/:code/referents/:commune
//   GET    /api/schemes/:code/referent-gaps[?format=csv|geojson]   communes with no referent *known*:
//          nobody declares a referent list complete, so the answer says how many are recorded.
import { Router } from 'express';
import { currentUser, requireUser } from '../auth/index.ts';
import { sendCsv, sendGeojson } from '../export/send.ts';
import type { Db } from '../../core/db/db.ts';
import { notFound } from '../errors.ts';
import { toCsv } from '../../core/csv/write.ts';
import { getScheme, listReferents } from '../../core/queries/registry.ts';
import type { RegistryEditor } from '../registry/edit.ts';
import {
  referentGapsQuery as formatSchema,
  referentParams as communeParams,
  referentSchema,
  schemeParams as params,
} from '../../contract/schemes.ts';
import { canSeeContacts } from '../registry/scope.ts';
import { withPreamble } from '../registry/coverage-context.ts';

/** What a list of communes without referent is: never a complete fact. */
function referentInventory(known: number) {
  return {
    status: known > 0 ? ('partiel' as const) : ('inconnu' as const),
    completeAt: null,
    known,
    wording: `communes sans élu référent connu — liste des référents non déclarée complète : ${known} référent${known > 1 ? 's' : ''} renseigné${known > 1 ? 's' : ''}`,
  };
}

export function referentRoutes(db: Db, editor: RegistryEditor): Router {
  const router = Router();

  router.get('/schemes/:code/referents', async (req, res) => {
    const { code } = params.parse(req.params);
    const scheme = await getScheme(db, code);
    if (!scheme) throw notFound(`Démarche introuvable : « ${code} ».`);
    const showContacts = canSeeContacts(currentUser(res), scheme);
    const rows = await listReferents(db, code);
    res.set('Cache-Control', 'private, no-cache').json({
      scheme: { code: scheme.code, name: scheme.name, version: scheme.version },
      contactsShown: showContacts,
      communes: rows.map((r) => (showContacts ? r : { ...r, email: null, phone: null })),
    });
  });

  router.put('/schemes/:code/referents/:commune', async (req, res) => {
    const user = requireUser(res);
    const { code, commune } = communeParams.parse(req.params);
    await editor.setReferent(user, code, commune, referentSchema.parse(req.body ?? {}));
    res.status(204).end();
  });

  router.delete('/schemes/:code/referents/:commune', async (req, res) => {
    const user = requireUser(res);
    const { code, commune } = communeParams.parse(req.params);
    await editor.setReferent(user, code, commune, null);
    res.status(204).end();
  });

  router.get('/schemes/:code/referent-gaps', async (req, res) => {
    const { code } = params.parse(req.params);
    const { format } = formatSchema.parse(req.query);
    const scheme = await getScheme(db, code);
    if (!scheme) throw notFound(`Démarche introuvable : « ${code} ».`);
    const all = await listReferents(db, code, format === 'geojson');
    const rows = all.filter((r) => !r.name);
    const inventory = referentInventory(all.length - rows.length);
    const communes = rows.map((r) => ({ code: r.commune, name: r.communeName, population: r.population, hasCommittee: r.hasCommittee }));
    if (format === 'csv') {
      sendCsv(
        res,
        `communes-sans-referent-${code}.csv`,
        withPreamble(
          toCsv(
            [
              { key: 'code', label: 'code_commune' },
              { key: 'name', label: 'nom_commune' },
              { key: 'population', label: 'population' },
            ],
            communes,
          ),
          [inventory.wording, `démarche : ${scheme.name} (${scheme.code})`],
        ),
      );
      return;
    }
    if (format === 'geojson') {
      sendGeojson(res, `communes-sans-referent-${code}.geojson`, {
        type: 'FeatureCollection',
        inventory,
        features: rows.map((r, i) => ({ type: 'Feature', properties: communes[i], geometry: JSON.parse(r.geometry ?? 'null') })),
      });
      return;
    }
    res.json({
      scheme: { code: scheme.code, name: scheme.name },
      communeCount: scheme.communes.length,
      withoutReferent: { count: communes.length, population: communes.reduce((s, c) => s + c.population, 0), communes },
      inventory,
    });
  });

  return router;
}
