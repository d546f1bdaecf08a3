// GET /api/load?scheme=code[&scheme=…] (1 to 10): coordination load of schemes —
// communes, inhabitants and area per coordinator FTE; distance of each member commune
// to the central town (the bearer commune when the perimeter is one, else the most
// populous). CSV of the comparison table on request, saying what it is in its first
// lines and named after its schemes and the date.
import { Router } from 'express';
import { schemeLoad } from '../analysis/load.ts';
import { sendCsv } from '../export/send.ts';
import type { Db } from '../../core/db/db.ts';
import { notFound } from '../errors.ts';
import { analysisCsv } from '../../core/csv/write.ts';
import { exportDate, exportFileName } from '../../contract/export-name.ts';
import { layerVintages, schemeGeography } from '../queries/analysis.ts';
import { schemeDetails, findPerimeter } from '../queries/territories.ts';
import { loadQuery as querySchema } from '../../contract/analysis.ts';

export function loadRoutes(db: Db): Router {
  const router = Router();
  router.get('/load', async (req, res) => {
    const q = querySchema.parse(req.query);
    const schemes = [];
    for (const code of q.scheme) {
      const t = await findPerimeter(db, 'scheme', code, null);
      const details = await schemeDetails(db, code);
      if (!t || !details) throw notFound(`Démarche introuvable : « ${code} ».`);
      const ref = String(details.perimeterRef ?? '');
      const seat = ref.startsWith('commune:') ? ref.slice('commune:'.length) : null;
      const load = schemeLoad(await schemeGeography(db, code), (details.coordinationFte as number | null) ?? null, seat);
      schemes.push({ code, name: t.name, type: t.type, fictif: t.fictif, ...load });
    }
    if (q.format === 'csv') {
      const fictitious = schemes.filter((s) => s.fictif).map((s) => s.name);
      const vintages = await layerVintages(db, ['commune', 'scheme']);
      const csv = analysisCsv(
        {
          title: 'Charge de coordination des démarches',
          query: `GET ${req.originalUrl}`,
          zone: schemes.map((s) => `${s.name} (scheme:${s.code})`).join(' ; '),
          inventory: 'sans objet : seules les démarches demandées sont mesurées, d’après leur fiche au registre',
          fiction: fictitious.length ? `${fictitious.join(', ')} : exemple fictif, généré pour la démonstration` : null,
          vintage: vintages.map((l) => `${l.name} : ${l.vintage}`).join(' ; '),
        },
        [
          { key: 'code', label: 'code' },
          { key: 'name', label: 'demarche' },
          { key: 'type', label: 'type' },
          { key: 'communeCount', label: 'communes' },
          { key: 'population', label: 'habitants' },
          { key: 'areaKm2', label: 'superficie_km2' },
          { key: 'coordinationFte', label: 'etp_coordination' },
          { key: 'communesPerFte', label: 'communes_par_etp' },
          { key: 'populationPerFte', label: 'habitants_par_etp' },
          { key: 'areaPerFte', label: 'km2_par_etp' },
          { key: 'centralTown', label: 'ville_centre' },
          { key: 'medianKm', label: 'distance_mediane_km' },
          { key: 'maxKm', label: 'distance_max_km' },
        ],
        schemes.map((s) => ({
          code: s.code,
          name: s.name,
          type: s.type,
          communeCount: s.communeCount,
          population: s.population,
          areaKm2: s.areaKm2,
          coordinationFte: s.coordinationFte,
          communesPerFte: s.perFte?.communes,
          populationPerFte: s.perFte?.population,
          areaPerFte: s.perFte?.areaKm2,
          centralTown: s.centralTown ? `${s.centralTown.name} (${s.centralTown.code})` : null,
          medianKm: s.distanceKm?.median,
          maxKm: s.distanceKm?.max,
        })),
      );
      sendCsv(res, exportFileName('charge-de-coordination', { name: q.scheme.join(' '), code: '' }, exportDate(), 'csv'), csv);
      return;
    }
    res.json({ schemes });
  });
  return router;
}
