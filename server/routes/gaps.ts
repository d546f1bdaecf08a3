// Coverage gaps. GET /api/gaps?layer=cls&within=departement:46: communes of the zone
// covered by no perimeter of the layer, and the same summed by département and EPCI
// (`areas`, for the map at France and région zoom); CSV or GeoJSON on request, the CSV
// of the communes or, with by=departement|epci, of the areas.
// GET /api/gaps/qpv?within=…[&format=csv]: priority neighbourhoods covered by neither an ASV nor a CLS.
// Every answer says what it is (coverage-context.ts): `inventory` — "sans CLS" only where the
// registry is declared complete, "sans CLS connu" elsewhere — and `fiction` when fictitious
// units were counted; the CSV repeats both in its first lines, with the query and the data
// vintage, and every file is named after its layer, its zone and the date.
import { Router } from 'express';
import { byPopulation, coverageGaps, gapsByArea, withCover } from '../analysis/gaps.ts';
import { GapAnswers } from '../analysis/gap-answers.ts';
import { KeptWhile } from '../kept-while.ts';
import { SingleFlight } from '../analysis/single-flight.ts';
import { compressBody, jsonEncoding } from '../compress-json.ts';
import { exportDate, exportFileName } from '../../contract/export-name.ts';
import { sendCsv, sendGeojson } from '../export/send.ts';
import type { Db } from '../../core/db/db.ts';
import { badRequest, notFound } from '../errors.ts';
import { analysisCsv } from '../../core/csv/write.ts';
import { resolveLayer } from '../layers.ts';
import {
  communeReference,
  layerCover,
  layerVintages,
  qpvWithoutScheme,
  zoneCoverage,
  type ReferenceRow,
  type ZoneRow,
} from '../queries/analysis.ts';
import type { DataVersion } from '../data-changes.ts';
import { findPerimeter } from '../queries/territories.ts';
import { layerName } from '../queries/inventory.ts';

const SHORT_LABELS: Record<string, string> = { cpts: 'CPTS', epci: 'EPCI', petr: 'PETR', pnr: 'PNR', qpv: 'QPV' };

/** "CPTS", "EPCI"…: how a layer is named in a sentence. */
async function layerLabel(db: Db, layer: string): Promise<string> {
  return SHORT_LABELS[layer] ?? (await layerName(db, layer)) ?? layer;
}
import { gapsQuery as gapsSchema, qpvGapsQuery } from '../../contract/analysis.ts';
import { coverageContext, zoneFacts } from '../registry/coverage-context.ts';

async function resolveZone(db: Db, within: { layer: string; code: string } | null) {
  if (!within) return null;
  const { layer } = await resolveLayer(db, within.layer);
  if (layer === 'commune' || layer === 'qpv') {
    throw badRequest('La zone (within) doit être un périmètre de plusieurs communes : région, département, EPCI, PETR…');
  }
  const zone = await findPerimeter(db, layer, within.code, null);
  if (!zone) throw notFound(`Zone introuvable : « ${within.layer}:${within.code} ».`);
  return { layer: zone.layer, code: zone.code, name: zone.name };
}

function zoneText(zone: { layer: string; code: string; name: string } | null): string {
  return zone ? `${zone.name} (${zone.layer}:${zone.code})` : 'France entière';
}

/** "Communes : COG 2025 ; CPTS : listing ARS…": the vintages of the layers an answer reads. */
async function vintage(db: Db, layers: string[]): Promise<string> {
  return (await layerVintages(db, layers)).map((l) => `${l.name} : ${l.vintage}`).join(' ; ');
}

/** The communes of the answer summed by département and by EPCI. */
function areas(rows: ZoneRow[]) {
  return {
    departement: gapsByArea(rows, (c) => ({ code: c.departement, name: c.departementName ?? c.departement })),
    epci: gapsByArea(rows, (c) => (c.epci ? { code: c.epci, name: c.epciName ?? c.epci } : null)),
  };
}

/** The layers communeReference reads: its rows stay valid while none of them changes. */
const REFERENCE_LAYERS = ['commune', 'departement', 'epci'];

export function gapRoutes(db: Db, versions: Pick<DataVersion, 'current' | 'of'>): Router {
  const router = Router();
  const answers = new GapAnswers<object>();
  // the communes of France with their names, read once per reference data version: after a
  // registry edit the national answer reads only the coverage of its layer
  const reference = new KeptWhile<ReferenceRow[]>();
  const computing = new SingleFlight<Awaited<ReturnType<typeof zoneCoverage>>>();

  router.get('/gaps', async (req, res) => {
    const q = gapsSchema.parse(req.query);
    // read first: an answer computed from later reads is kept under an older version at worst
    const version = versions.current;
    const cacheKey = `${q.layer}|${q.within ? `${q.within.layer}:${q.within.code}` : 'france'}`;
    const { layer, schemeType } = await resolveLayer(db, q.layer);
    if (layer === 'commune') throw badRequest('Les communes couvrent tout le territoire : choisissez une autre couche.');
    const zone = await resolveZone(db, q.within);
    const label = schemeType ?? (await layerLabel(db, layer));
    const question = { layer, schemeTypes: schemeType ? [schemeType] : null, label, subject: 'communes', zone };
    // declared inventory changes do not bump the data version: read at every request
    const facts = await answers.facts(cacheKey, version, () => zoneFacts(db, question));
    const ctx = await coverageContext(db, question, facts);
    const geometry = q.format === 'geojson';
    const zoneRows = () =>
      computing.run(`${cacheKey}|${geometry}|${version}`, async () => {
        if (zone || geometry) return zoneCoverage(db, layer, schemeType, zone?.layer ?? null, zone?.code ?? null, geometry);
        // in the order of the answer's lists, which then sort in one pass
        const communes = await reference.get(versions.of(REFERENCE_LAYERS), async () => (await communeReference(db)).sort(byPopulation));
        return withCover(communes, await layerCover(db, layer, schemeType));
      });
    if (q.format === 'json') {
      const compute = async () => {
        const rows = await zoneRows();
        return { layer: q.layer, within: zone, ...coverageGaps(rows), areas: areas(rows) };
      };
      const encoding = jsonEncoding(req);
      if (!encoding) return res.json({ ...(await answers.body(cacheKey, version, compute)), ...ctx });
      const bytes = await answers.encoded(cacheKey, version, ctx, encoding, compute, compressBody);
      res.setHeader('Content-Type', 'application/json; charset=utf-8');
      res.setHeader('Content-Encoding', encoding);
      res.vary('Accept-Encoding');
      return res.send(bytes);
    }
    const rows = await zoneRows();
    const result = coverageGaps(rows);
    const fileLabel = (schemeType ?? layer).toLowerCase();
    const date = exportDate();
    if (q.format === 'csv') {
      const subject = q.by === 'commune' ? `communes sans ${label}` : `${label} : population sans couverture par ${q.by}`;
      const header = {
        title: q.by === 'commune' ? (ctx.inventory?.wording ?? subject) : subject,
        query: `GET ${req.originalUrl}`,
        zone: zoneText(zone),
        inventory: ctx.inventory?.wording ?? null,
        fiction: ctx.fiction.wording,
        vintage: await vintage(db, ['commune', layer]),
      };
      const csv =
        q.by === 'commune'
          ? analysisCsv(
              header,
              [
                { key: 'code', label: 'code_commune' },
                { key: 'name', label: 'nom_commune' },
                { key: 'population', label: 'population' },
                { key: 'areaKm2', label: 'superficie_km2' },
              ],
              result.uncovered.communes,
            )
          : analysisCsv(
              header,
              [
                { key: 'code', label: `code_${q.by}` },
                { key: 'name', label: `nom_${q.by}` },
                { key: 'communeCount', label: 'communes' },
                { key: 'uncoveredCount', label: 'communes_sans' },
                { key: 'population', label: 'population' },
                { key: 'uncoveredPopulation', label: 'population_sans' },
                { key: 'share', label: 'part_population_sans' },
              ],
              areas(rows)[q.by],
            );
      const name = q.by === 'commune' ? `communes-sans-${fileLabel}` : `lacunes-${fileLabel}-par-${q.by}`;
      sendCsv(res, exportFileName(name, zone, date, 'csv'), csv);
      return;
    }
    // GeoJSON
    if (q.by !== 'commune') throw badRequest('Le GeoJSON ne donne que les communes : retirez by, ou demandez format=csv.');
    const uncovered = new Set(result.uncovered.communes.map((c) => c.code));
    sendGeojson(res, exportFileName(`communes-sans-${fileLabel}`, zone, date, 'geojson'), {
      type: 'FeatureCollection',
      inventory: ctx.inventory,
      fiction: ctx.fiction,
      features: rows
        .filter((r) => uncovered.has(r.code))
        .map(({ geometry, code, name, population, areaKm2 }) => ({
          type: 'Feature',
          properties: { code, name, population, areaKm2 },
          geometry: JSON.parse(geometry ?? 'null'),
        })),
    });
  });

  router.get('/gaps/qpv', async (req, res) => {
    const { within, format } = qpvGapsQuery.parse(req.query);
    const zone = await resolveZone(db, within);
    const { total, uncovered } = await qpvWithoutScheme(db, zone?.layer ?? null, zone?.code ?? null);
    const ctx = await coverageContext(db, { layer: 'scheme', schemeTypes: ['ASV', 'CLS'], label: 'ASV ou CLS', subject: 'QPV', zone });
    if (format === 'csv') {
      const csv = analysisCsv(
        {
          title: ctx.inventory!.wording,
          query: `GET ${req.originalUrl}`,
          zone: zoneText(zone),
          inventory: ctx.inventory!.wording,
          fiction: ctx.fiction.wording,
          vintage: await vintage(db, ['commune', 'qpv', 'scheme']),
        },
        [
          { key: 'code', label: 'code_qpv' },
          { key: 'name', label: 'nom_qpv' },
          { key: 'generation', label: 'generation' },
          { key: 'communes', label: 'communes' },
          { key: 'communeNames', label: 'noms_communes' },
          { key: 'population', label: 'population' },
        ],
        uncovered.map((q) => ({ ...q, communes: q.communes.join(' '), communeNames: q.communeNames.join(', ') })),
      );
      sendCsv(res, exportFileName('qpv-sans-asv-ni-cls', zone, exportDate(), 'csv'), csv);
      return;
    }
    res.json({
      within: zone,
      qpvCount: total,
      uncovered: { count: uncovered.length, share: total ? uncovered.length / total : 0, qpv: uncovered },
      ...ctx,
    });
  });

  return router;
}
