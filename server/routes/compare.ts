// GET /api/compare?p=layer:code&p=…(2 to 8): the parts of the overlap (A only, A ∩ B…)
// grouped by membership pattern, with communes, population and area, and an alignment
// score per pair; CSV or GeoJSON. Unknown shares (QPV without contour) stay unknown.
import { Router } from 'express';
import { comparePerimeters, UNKNOWN_SHARE_REASON, type CommuneFacts } from '../analysis/compare.ts';
import { sendCsv, sendGeojson } from '../export/send.ts';
import type { Db } from '../../core/db/db.ts';
import { badRequest, notFound } from '../errors.ts';
import { toCsv } from '../../core/csv/write.ts';
import { resolveLayer } from '../layers.ts';
import { communeFacts, perimeterShares } from '../queries/analysis.ts';
import { communeGeometries } from '../queries/compare.ts';
import { pastSchemeCommunes } from '../../core/queries/registry.ts';
import { findCommune, findPerimeter } from '../queries/territories.ts';
import { compareQuery as querySchema } from '../../contract/analysis.ts';

const KEYS = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'];

export const ALIGNMENT_METHOD =
  'Indice de Jaccard pondéré par la population : Σ population × min(part A, part B) / Σ population × max(part A, part B) ; 1 = même périmètre, 0 = aucun recouvrement.';

export function compareRoutes(db: Db): Router {
  const router = Router();
  router.get('/compare', async (req, res) => {
    const { p, format } = querySchema.parse(req.query);
    const perimeters: {
      key: string;
      territory: NonNullable<Awaited<ReturnType<typeof findPerimeter>>>;
      shares: Map<string, number | null>;
    }[] = [];
    for (const [i, ref] of p.entries()) {
      const { layer, schemeType } = await resolveLayer(db, ref.layer);
      const t = layer === 'commune' ? await findCommune(db, ref.code) : await findPerimeter(db, layer, ref.code, schemeType);
      if (!t) throw notFound(`Périmètre introuvable : « ${ref.layer}:${ref.code} ».`);
      let shares = await perimeterShares(db, t.layer, t.code);
      let territory = t;
      if (ref.version !== null) {
        if (t.layer !== 'scheme') throw badRequest('Seules les démarches ont des versions passées (scheme:code@version).');
        const past = await pastSchemeCommunes(db, t.code, ref.version);
        if (!past) throw notFound(`La démarche « ${t.name} » n’a pas de version ${ref.version}.`);
        shares = past.map((c) => ({ commune: c.code, share: c.share }));
        territory = { ...t, name: `${t.name} (version ${ref.version})`, communeCount: past.length, population: null };
      }
      if (!shares.length)
        throw badRequest(`Le périmètre « ${territory.name} » n’a pas encore de communes connues : impossible de le comparer.`);
      perimeters.push({ key: KEYS[i]!, territory, shares: new Map(shares.map((s) => [s.commune, s.share])) });
    }
    const codes = [...new Set(perimeters.flatMap((x) => [...x.shares.keys()]))];
    const facts = new Map<string, CommuneFacts>((await communeFacts(db, codes)).map((f) => [f.code, f]));
    const result = comparePerimeters(perimeters, facts);
    const names = new Map(perimeters.map((x) => [x.key, x.territory.name]));
    const label = (members: string[], unknown: boolean) =>
      (members.length === 1 && perimeters.length > 1 ? `${members[0]} seul` : members.join(' ∩ ')) +
      (unknown ? ` — ${UNKNOWN_SHARE_REASON}` : '');
    const round = (v: number | null, digits: number) => (v === null ? null : Math.round(v * 10 ** digits) / 10 ** digits);
    const parts = result.parts.map((part) => ({
      ...part,
      label: label(part.members, part.unknownShare),
      /** One mark per perimeter, in order: ■ inside, □ outside. */
      pattern: perimeters.map((x) => (part.members.includes(x.key) ? '■' : '□')).join(''),
      population: round(part.population, 0),
      areaKm2: round(part.areaKm2, 2),
      communeEquivalent: round(part.communeEquivalent, 2),
    }));
    const unknownCommunes = parts.filter((x) => x.unknownShare).reduce((n, x) => n + x.communeCount, 0);
    const unknownShares = unknownCommunes
      ? {
          reason: UNKNOWN_SHARE_REASON,
          communeCount: unknownCommunes,
          perimeters: perimeters.filter((x) => [...x.shares.values()].includes(null)).map((x) => x.key),
          detail:
            'Ces périmètres n’ont pas de contour : leur part de chaque commune est inconnue. Les populations, superficies et ' +
            'alignements qui en dépendent sont laissés vides plutôt que de compter la commune entière.',
        }
      : null;

    if (format === 'csv') {
      const rows = parts.flatMap((part) =>
        part.communes.map((c) => ({
          part: part.label,
          perimeters: part.members.map((m) => names.get(m)).join(' ∩ '),
          code: c.code,
          name: c.name,
          share: c.share === null ? UNKNOWN_SHARE_REASON : Math.round(c.share * 10000) / 10000,
          population: c.share === null ? '' : Math.round((facts.get(c.code)?.population ?? 0) * c.share),
        })),
      );
      const csv = toCsv(
        [
          { key: 'part', label: 'partie' },
          { key: 'perimeters', label: 'perimetres' },
          { key: 'code', label: 'code_commune' },
          { key: 'name', label: 'nom_commune' },
          { key: 'share', label: 'part_de_la_commune' },
          { key: 'population', label: 'population_comptee' },
        ],
        rows,
      );
      sendCsv(res, 'comparaison.csv', csv);
      return;
    }
    const perimeterOut = perimeters.map((x) => ({
      key: x.key,
      layer: x.territory.layer,
      code: x.territory.code,
      name: x.territory.name,
      type: x.territory.type,
      fictif: x.territory.fictif,
      communeCount: x.territory.communeCount,
      population: x.territory.population === null ? null : Math.round(x.territory.population),
    }));
    if (format === 'geojson') {
      const geometries = await communeGeometries(db, codes);
      sendGeojson(res, 'comparaison.geojson', {
        type: 'FeatureCollection',
        properties: { perimeters: perimeterOut },
        features: parts.flatMap((part) =>
          part.communes.map((c) => ({
            type: 'Feature',
            properties: { part: part.label, members: part.members.join('+'), code: c.code, name: c.name, share: c.share },
            geometry: JSON.parse(geometries.get(c.code) ?? 'null'),
          })),
        ),
      });
      return;
    }
    res.json({
      perimeters: perimeterOut,
      parts,
      alignments: result.alignments.map((a) => ({
        ...a,
        alignment: round(a.alignment, 4),
        reason: a.alignment === null ? UNKNOWN_SHARE_REASON : null,
      })),
      unknownShares,
      method: ALIGNMENT_METHOD,
    });
  });
  return router;
}
