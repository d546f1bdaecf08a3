// Territory sheets: GET /api/territories/:layer/:code and its member communes
// (…/communes, as JSON, CSV or GeoJSON). A former commune code redirects to the
// current commune.
import { Router, type Request } from 'express';
import { sendCsv, sendGeojson } from '../export/send.ts';
import type { Db } from '../../core/db/db.ts';
import { notFound } from '../errors.ts';
import { entanglementByLayer, UNKNOWN_PART_REASON } from '../analysis/entanglement.ts';
import { toCsv } from '../../core/csv/write.ts';
import { resolveLayer } from '../layers.ts';
import { overlapsWith } from '../queries/analysis.ts';
import { listLayers } from '../queries/layers.ts';
import {
  communeAt,
  communeMemberships,
  currentCommuneCode,
  findCommune,
  findPerimeter,
  memberCommunes,
  perimeterMemberships,
  schemeDetails,
  type TerritoryRow,
} from '../queries/territories.ts';
import {
  communesQuery as formatSchema,
  entanglementQuery as csvFormatSchema,
  locateQuery as pointSchema,
  territoryParams as paramsSchema,
} from '../../contract/territories.ts';

const round = (v: number | null, digits: number) => (v === null ? null : Number(v.toFixed(digits)));

type Resolved = { territory: TerritoryRow; redirect?: undefined } | { redirect: string; territory?: undefined };

async function resolveTerritory(db: Db, req: Request, suffix: string): Promise<Resolved> {
  const { layer: layerId, code: rawCode } = paramsSchema.parse(req.params);
  const { layer, schemeType } = await resolveLayer(db, layerId);
  if (layer === 'commune') {
    const code = rawCode.toUpperCase();
    const commune = await findCommune(db, code);
    if (commune) return { territory: commune };
    const current = await currentCommuneCode(db, code);
    if (current) return { redirect: `/api/territories/commune/${current}${suffix}` };
    throw notFound(`Aucune commune de code « ${rawCode} » (ni actuelle ni ancienne).`);
  }
  const territory = await findPerimeter(db, layer, rawCode, schemeType);
  if (!territory) throw notFound(`Aucun territoire « ${rawCode} » dans la couche « ${layerId} ».`);
  return { territory };
}

export function territoryRoutes(db: Db): Router {
  const router = Router();

  // GET /api/locate?lon=&lat=: the commune at a point, for a click at any zoom.
  router.get('/locate', async (req, res) => {
    const { lon, lat } = pointSchema.parse(req.query);
    const commune = await communeAt(db, lon, lat);
    if (!commune) throw notFound('Aucune commune à cet endroit.');
    res.json({ layer: 'commune', ...commune });
  });

  router.get('/territories/:layer/:code', async (req, res) => {
    const r = await resolveTerritory(db, req, '');
    if (r.redirect) return res.redirect(301, r.redirect);
    const t = r.territory!;
    const [memberships, scheme] = await Promise.all([
      t.layer === 'commune' ? communeMemberships(db, t.code) : perimeterMemberships(db, t.layer, t.code),
      t.layer === 'scheme' ? schemeDetails(db, t.code) : Promise.resolve(null),
    ]);
    res.json({
      layer: t.layer,
      code: t.code,
      name: t.name,
      type: t.type,
      fictif: t.fictif,
      population: round(t.population, 0),
      areaKm2: round(t.areaKm2, 2),
      communeCount: t.communeCount,
      bbox: t.bbox,
      attributes: t.attrs,
      ...(scheme ? { scheme } : {}),
      memberships: memberships.map((m) => ({
        layer: m.layer,
        code: m.code,
        name: m.name,
        type: m.type,
        share: round(m.share, 4),
        shareOfOther: round(m.shareOfOther, 4),
        fictif: m.fictif,
      })),
    });
  });

  router.get('/territories/:layer/:code/communes', async (req, res) => {
    const { format } = formatSchema.parse(req.query);
    const r = await resolveTerritory(db, req, `/communes${format === 'json' ? '' : `?format=${format}`}`);
    if (r.redirect) return res.redirect(301, r.redirect);
    const t = r.territory!;
    const communes = await memberCommunes(db, t.layer, t.code, format === 'geojson');
    const filename = `communes-${t.layer}-${t.code}`;
    // what the data is, in the exports: an example, an approximate perimeter, or real
    const approximation = typeof t.attrs.approximation === 'string' ? t.attrs.approximation : null;
    const fictif = t.fictif ? 'exemple fictif' : approximation;
    if (format === 'csv') {
      const csv = toCsv(
        [
          { key: 'code', label: 'code_commune' },
          { key: 'name', label: 'nom_commune' },
          { key: 'departement', label: 'departement' },
          { key: 'population', label: 'population' },
          { key: 'share', label: 'part_dans_le_perimetre' },
          { key: 'perimeter', label: 'perimetre' },
          { key: 'fictif', label: 'donnees' },
        ],
        communes.map((c) => ({ ...c, perimeter: `${t.name} (${t.code})`, fictif: fictif ?? 'réelles' })),
      );
      sendCsv(res, `${filename}.csv`, csv);
      return;
    }
    if (format === 'geojson') {
      sendGeojson(res, `${filename}.geojson`, {
        type: 'FeatureCollection',
        properties: {
          layer: t.layer,
          code: t.code,
          name: t.name,
          fictif: t.fictif,
          ...(approximation ? { approche: approximation } : {}),
        },
        features: communes.map(({ geometry, ...props }) => ({
          type: 'Feature',
          properties: { ...props, ...(fictif ? { donnees: fictif } : {}) },
          geometry: geometry ? JSON.parse(geometry) : null,
        })),
      });
      return;
    }
    res.json({
      layer: t.layer,
      code: t.code,
      name: t.name,
      fictif: t.fictif,
      communes: communes.map((c) => ({ ...c, share: round(c.share, 4) })),
    });
  });

  router.get('/territories/:layer/:code/entanglement', async (req, res) => {
    const r = await resolveTerritory(db, req, '/entanglement');
    if (r.redirect) return res.redirect(301, r.redirect);
    const t = r.territory!;
    const { format } = csvFormatSchema.parse(req.query);
    const layers = entanglementByLayer(await overlapsWith(db, t.layer, t.code)).filter((l) => l.layer !== t.layer || t.layer === 'scheme');
    if (format === 'csv') {
      const names = new Map((await listLayers(db)).map((l) => [l.id, l.name]));
      const csv = toCsv(
        [
          { key: 'layer', label: 'couche' },
          { key: 'type', label: 'type' },
          { key: 'code', label: 'code_unite' },
          { key: 'name', label: 'unite' },
          { key: 'shareOfTerritory', label: 'part_du_territoire' },
          { key: 'insideShare', label: 'part_de_l_unite_dedans' },
          { key: 'cut', label: 'coupee' },
          { key: 'data', label: 'donnees' },
        ],
        layers.flatMap((l) =>
          l.units.map((u) => ({
            layer: names.get(l.layer) ?? l.layer,
            type: u.type,
            code: u.code,
            name: u.name,
            shareOfTerritory: u.shareOfTerritory === null ? UNKNOWN_PART_REASON : round(u.shareOfTerritory, 4),
            insideShare: u.insideShare === null ? 'inconnue' : round(u.insideShare, 4),
            cut: u.cut === null ? 'inconnu' : u.cut ? 'oui' : 'non',
            data: u.fictif ? 'exemple fictif' : 'réelles',
          })),
        ),
      );
      const file = `enchevetrement-${t.layer}-${t.code}.csv`;
      sendCsv(res, file, csv);
      return;
    }
    res.json({
      territory: {
        layer: t.layer,
        code: t.code,
        name: t.name,
        type: t.type,
        population: round(t.population, 0),
        communeCount: t.communeCount,
      },
      method:
        'Pour chaque couche : unités qui rencontrent le territoire, part du territoire (en population) dans chacune, part de chaque unité à l’intérieur ; une unité est coupée quand une partie est dehors. Fragmentation = (Σ part)² / Σ part², le nombre effectif de morceaux de la partie couverte. Une unité sans contour (QPV 2024 hors Occitanie) a une part inconnue : ses chiffres et ceux de sa couche restent vides.',
      layers: layers.map((l) => ({
        ...l,
        coverage: round(l.coverage, 4),
        fragmentation: round(l.fragmentation, 2),
        units: l.units.map((u) => ({ ...u, shareOfTerritory: round(u.shareOfTerritory, 4), insideShare: round(u.insideShare, 4) })),
      })),
    });
  });

  return router;
}
