// GET /api/panorama?within=france|region:76|departement:46[&includeFictif=true][&format=csv&block=…]
// (contract/panorama.ts). The data part is cached per data version (a registry edit bumps
// it, so never stale); the declared inventory status, which does not bump it, is read on
// every request and put beside each figure.
import { Router } from 'express';
import { INVENTORY_TYPES } from '../../contract/inventory.ts';
import { getPanorama, POPULATION_BANDS, SCALE_LABELS, SCALES, type PanoramaBody } from '../../contract/panorama.ts';
import { computePanorama, countWording } from '../analysis/panorama.ts';
import { sendCsv } from '../export/send.ts';
import type { Db } from '../../core/db/db.ts';
import { notFound } from '../errors.ts';
import { toCsv, type Cell } from '../../core/csv/write.ts';
import { inventoryEntries, zoneDepartements } from '../queries/inventory.ts';
import {
  areaTotals,
  coordinators,
  groupSizes,
  panoramaSources,
  panoramaUnits,
  zoneName,
  zoneQpv,
  type ZoneKind,
} from '../queries/panorama.ts';
import { withPreamble } from '../registry/coverage-context.ts';
import { combineStatus, departementStatus, zoneInventory, type InventoryEntry } from '../registry/inventory-status.ts';

type DataPart = Omit<PanoramaBody, 'inventory'> & { departements: { departement: string; region: string }[] };

async function computeData(db: Db, kind: ZoneKind, code: string | null, includeFictif: boolean): Promise<DataPart> {
  const name = await zoneName(db, kind, code);
  if (!name) throw notFound(`Zone introuvable : « ${kind}:${code} ».`);
  const [areas, units, unitSizes, qpv, coords, sources, departements] = await Promise.all([
    areaTotals(db, kind, code),
    panoramaUnits(db, kind, code),
    groupSizes(db),
    zoneQpv(db, kind, code),
    coordinators(db),
    panoramaSources(db),
    zoneDepartements(db, kind === 'france' ? null : kind, code),
  ]);
  const zone = {
    code: code ?? 'france',
    name,
    population: areas.reduce((s, a) => s + a.population, 0),
    communes: areas.reduce((s, a) => s + a.communes, 0),
  };
  const parentCode = kind === 'departement' ? (departements[0]?.region ?? null) : null;
  const parent = parentCode ? { code: parentCode, name: (await zoneName(db, 'region', parentCode)) ?? parentCode } : null;
  const figures = computePanorama({ zone, areas, units, unitSizes, qpv, coordinators: coords, includeFictif, national: kind === 'france' });
  return {
    within: { kind, code, name, parent },
    areaLevel: kind === 'france' ? 'region' : 'departement',
    source: sources.map((s) => `${s.name} : ${s.source}${s.fictif ? ' (fictif)' : ''}`).join(' ; '),
    dataVintage: sources.map((s) => `${s.name} : ${s.vintage}`).join(' ; '),
    ...figures,
    departements,
  };
}

/** The data part with the inventory status of each type beside it (zone and sub-areas). */
function withInventory(data: DataPart, entries: ReadonlyMap<string, InventoryEntry>): PanoramaBody {
  const { departements, ...body } = data;
  const inventory = Object.fromEntries(
    body.types.map((t) => {
      const zi = zoneInventory(entries, departements, [t.type], t.count, 'communes');
      return [
        t.type,
        {
          status: zi.status,
          completeAt: zi.completeAt,
          known: t.count,
          wording: countWording(t.type, t.count, zi),
          coverageWording: zi.wording,
        },
      ];
    }),
  );
  const areas = body.areas.map((a) => {
    const deps = departements.filter((d) => (body.areaLevel === 'region' ? d.region : d.departement) === a.code);
    return {
      ...a,
      inventory: Object.fromEntries(
        INVENTORY_TYPES.map((t) => [t, combineStatus(deps.map((d) => departementStatus(entries, d.departement, d.region, t)))]),
      ),
    };
  });
  return { ...body, areas, inventory };
}

const pct = (v: number) => Math.round(v * 1000) / 10;

/** One block as CSV columns and rows. */
function block(
  body: PanoramaBody,
  name: string,
): { title: string; columns: { key: string; label: string }[]; rows: Record<string, Cell>[] } {
  const inv = (t: string) => body.inventory[t]?.wording ?? '';
  switch (name) {
    case 'areas':
      return {
        title: `Couverture par ${body.areaLevel === 'region' ? 'région' : 'département'}`,
        columns: [
          { key: 'code', label: 'code' },
          { key: 'name', label: 'nom' },
          { key: 'type', label: 'type' },
          { key: 'count', label: 'demarches_connues' },
          { key: 'inventory', label: 'etat_inventaire' },
          { key: 'coveredCommunes', label: 'communes_couvertes' },
          { key: 'coveredPopulation', label: 'population_couverte' },
          { key: 'populationPct', label: 'part_population_pct' },
        ],
        rows: body.areas.flatMap((a) =>
          a.types.map((t) => ({
            code: a.code,
            name: a.name,
            type: t.type,
            count: t.count,
            inventory: a.inventory?.[t.type]?.status ?? 'inconnu',
            coveredCommunes: t.coveredCommunes,
            coveredPopulation: t.coveredPopulation,
            populationPct: pct(t.populationShare),
          })),
        ),
      };
    case 'scales':
      return {
        title: 'Échelle des périmètres',
        columns: [
          { key: 'type', label: 'type' },
          ...SCALES.map((s) => ({ key: s, label: SCALE_LABELS[s] })),
          { key: 'inventory', label: 'etat_inventaire' },
        ],
        rows: body.scales.map((s) => ({ type: s.type, ...s.counts, inventory: inv(s.type) })),
      };
    case 'bands':
      return {
        title: 'Démarches par tranche de population',
        columns: [
          { key: 'type', label: 'type' },
          ...POPULATION_BANDS.map((b) => ({ key: b.id, label: b.label })),
          { key: 'unknown', label: 'perimetre_inconnu' },
          { key: 'inventory', label: 'etat_inventaire' },
        ],
        rows: body.bands.map((b) => ({ type: b.type, ...b.counts, unknown: b.unknown, inventory: inv(b.type) })),
      };
    case 'coordination': {
      const c = body.coordination;
      const rows: Record<string, Cell>[] = [
        { indicator: 'ETP de coordination connus (total)', value: c.fteTotal },
        { indicator: 'démarches dont l’ETP est connu', value: c.schemesWithFte },
        { indicator: 'démarches sans ETP connu', value: c.schemesWithoutFte },
        { indicator: 'habitants par ETP (médiane)', value: c.inhabitantsPerFte.median },
        { indicator: 'habitants par ETP (1er quartile)', value: c.inhabitantsPerFte.q1 },
        { indicator: 'habitants par ETP (3e quartile)', value: c.inhabitantsPerFte.q3 },
        { indicator: 'communes par ETP (médiane)', value: c.communesPerFte.median },
        { indicator: 'communes par ETP (1er quartile)', value: c.communesPerFte.q1 },
        { indicator: 'communes par ETP (3e quartile)', value: c.communesPerFte.q3 },
        { indicator: 'démarches dont le coordinateur est renseigné', value: c.coordinatorsFilledFor },
        { indicator: 'coordinateurs portant plusieurs démarches', value: c.multiSchemeCoordinators.length },
      ];
      return {
        title: 'Coordination',
        columns: [
          { key: 'indicator', label: 'indicateur' },
          { key: 'value', label: 'valeur' },
        ],
        rows,
      };
    }
    case 'qpv':
      return {
        title: `QPV 2024 sans ASV ni CLS connu : ${body.qpv.uncovered} sur ${body.qpv.total}`,
        columns: [
          { key: 'code', label: 'code_qpv' },
          { key: 'name', label: 'nom_qpv' },
          { key: 'communes', label: 'communes' },
        ],
        rows: body.qpv.uncoveredList.map((q) => ({ ...q, communes: q.communes.join(' ') })),
      };
    case 'growth':
      return {
        title: 'Démarches par année de signature',
        columns: [
          { key: 'year', label: 'annee' },
          { key: 'count', label: 'demarches' },
          ...INVENTORY_TYPES.map((t) => ({ key: t, label: t })),
          { key: 'medianPopulation', label: 'population_mediane' },
        ],
        rows: body.growth.years.map((y) => ({ year: y.year, count: y.count, ...y.byType, medianPopulation: y.medianPopulation })),
      };
    case 'schemes':
      return {
        title: 'Démarches comptées',
        columns: [
          { key: 'code', label: 'code' },
          { key: 'name', label: 'nom' },
          { key: 'type', label: 'type' },
          { key: 'status', label: 'statut' },
          { key: 'fictif', label: 'fictif' },
          { key: 'population', label: 'population' },
          { key: 'communeCount', label: 'communes' },
          { key: 'scale', label: 'echelle' },
          { key: 'band', label: 'tranche' },
          { key: 'year', label: 'annee_signature' },
          { key: 'fte', label: 'etp' },
        ],
        rows: body.units.map((u) => ({ ...u, fictif: u.fictif ? 'fictif' : '', areas: undefined })),
      };
    default:
      return {
        title: 'Démarches connues par type et statut',
        columns: [
          { key: 'type', label: 'type' },
          { key: 'count', label: 'demarches_connues' },
          { key: 'en_elaboration', label: 'en_elaboration' },
          { key: 'en_cours', label: 'en_cours' },
          { key: 'termine', label: 'termine' },
          { key: 'non_renseigne', label: 'statut_non_renseigne' },
          { key: 'inventory', label: 'etat_inventaire' },
          { key: 'coveredCommunes', label: 'communes_couvertes' },
          { key: 'coveredPopulation', label: 'population_couverte' },
          { key: 'populationPct', label: 'part_population_pct' },
        ],
        rows: body.types.map((t) => ({
          ...t.byStatus,
          type: t.type,
          count: t.count,
          inventory: inv(t.type),
          coveredCommunes: t.coveredCommunes,
          coveredPopulation: t.coveredPopulation,
          populationPct: pct(t.populationShare),
        })),
      };
  }
}

export function panoramaRoutes(db: Db, dataVersion: () => number): Router {
  const router = Router();
  const cache = new Map<string, { version: number; data: DataPart }>();

  router.get('/panorama', async (req, res) => {
    const q = getPanorama.query!.parse(req.query);
    const [kind, code] = q.within === 'france' ? (['france', null] as const) : (q.within.split(':') as [ZoneKind, string]);
    const key = `${q.within}|${q.includeFictif}`;
    const version = dataVersion();
    let data = cache.get(key)?.version === version ? cache.get(key)!.data : undefined;
    if (!data) {
      data = await computeData(db, kind, code, q.includeFictif);
      if (cache.size >= 64) cache.delete(cache.keys().next().value!);
      cache.set(key, { version, data });
    }
    const body = withInventory(data, await inventoryEntries(db, [...INVENTORY_TYPES]));
    if (q.format === 'csv') {
      const name = q.block ?? 'types';
      const b = block(body, name);
      const query = `GET /api/panorama?within=${q.within}${q.includeFictif ? '&includeFictif=true' : ''}&format=csv&block=${name}`;
      const lines = [
        `Panorama — ${b.title}`,
        `zone : ${body.within.name}${body.within.code ? ` (${body.within.kind}:${body.within.code})` : ''}`,
        `requête : ${query}`,
        ...INVENTORY_TYPES.map((t) => `état du registre ${t} : ${body.inventory[t]!.wording}`),
        body.fiction.wording ? `données fictives : ${body.fiction.wording}` : 'données fictives : aucune comptée',
        body.rules[name === 'types' || name === 'areas' ? 'coverage' : name]
          ? `règle : ${body.rules[name === 'types' || name === 'areas' ? 'coverage' : name]}`
          : null,
        `source : ${body.source}`,
        `millésime des données : ${body.dataVintage}`,
      ];
      const zoneSlug = q.within.replace(':', '-');
      sendCsv(res, `panorama-${zoneSlug}-${name}.csv`, withPreamble(toCsv(b.columns, b.rows), lines));
      return;
    }
    res.set('Cache-Control', 'no-cache').json(body);
  });

  return router;
}
