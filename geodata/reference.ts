// Builds the whole reference dataset in memory from GEODATA_DIR and the COG package:
// each loader turns one source into rows; nothing here touches the database.
import fs from 'node:fs';
import { buildCogIndex, type Passage } from '../core/cog.ts';
import { loadDecoupage } from './decoupage.ts';
import { administrativeLayers, communeAliases, loadCommunes } from './loaders/communes.ts';
import { loadCptsPaca } from './loaders/cpts.ts';
import { loadEpci } from './loaders/epci.ts';
import { loadPetr, loadPnr } from './loaders/groupings.ts';
import { loadPnrOutlines, loadPetrOutlines } from './loaders/outlines.ts';
import { loadQpv } from './loaders/qpv.ts';
import { loadSchemes } from './loaders/schemes.ts';
import type { Dataset, MembershipRow } from '../core/model.ts';
import { parseCsv } from '../core/csv/read.ts';
import { readFeatureCollection } from './readers/geojson.ts';
import type { SourceFiles } from './sources.ts';

const csv = (file: string) => parseCsv(fs.readFileSync(file));

export function readPassages(file: string): Passage[] {
  return csv(file).rows.map((r) => ({ from: r.DEPCOM_HIST ?? '', to: r.DEPCOM ?? '' }));
}

export function buildReferenceDataset(files: SourceFiles, progress: (step: string) => void = () => {}): Dataset {
  const decoupage = loadDecoupage();
  progress('lecture des contours communaux');
  const { communes, report: communeReport } = loadCommunes(readFeatureCollection(files.communes), decoupage);
  const current = new Set(communes.map((c) => c.code));

  progress('historique du COG');
  const passages = readPassages(files.passage);
  const aliases = communeAliases(passages, decoupage, current);
  const cog = buildCogIndex(current, aliases.map((a) => ({ from: a.oldCode, to: a.code })).concat(passages));

  progress('EPCI, départements, régions, arrondissements');
  const admin = administrativeLayers(communes, decoupage);
  const epci = loadEpci(readFeatureCollection(files.epci), decoupage, current);

  progress('QPV, PNR, PETR, CPTS');
  const qpv = loadQpv(csv(files.qpv2024), readFeatureCollection(files.qpv2015), csv(files.qpv2015Indicators), cog);
  const pnr = loadPnr(csv(files.pnr), cog, '2021');
  const pnrOutlines = loadPnrOutlines(readFeatureCollection(files.pnrOutlines), new Set(pnr.perimeters.map((p) => p.name)));
  const petr = loadPetr(csv(files.petr), epci.memberships);
  const petrOutlines = loadPetrOutlines(readFeatureCollection(files.petrOutlines));
  const cpts = loadCptsPaca(csv(files.cptsPaca), cog, decoupage);

  const memberships: MembershipRow[] = [
    ...admin.memberships,
    ...epci.memberships,
    ...qpv.memberships,
    ...pnr.memberships,
    ...petr.memberships,
    ...cpts.memberships,
  ];
  const index = new Map<string, MembershipRow[]>();
  for (const m of memberships) {
    const key = `${m.layer}:${m.code}`;
    const list = index.get(key) ?? [];
    list.push(m);
    index.set(key, list);
  }

  progress('registre des démarches');
  const schemes = loadSchemes(csv(files.schemes), cog, (layer, code) => index.get(`${layer}:${code}`) ?? []);

  const countLayer = (layer: string) => admin.perimeters.filter((p) => p.layer === layer).length;
  return {
    communes,
    aliases,
    perimeters: [
      ...admin.perimeters,
      ...epci.perimeters,
      ...qpv.perimeters,
      ...pnr.perimeters,
      ...pnrOutlines.perimeters,
      ...petr.perimeters,
      ...petrOutlines.perimeters,
      ...cpts.perimeters,
      ...schemes.perimeters,
    ],
    memberships: [...memberships, ...schemes.memberships],
    schemes: schemes.schemes,
    report: {
      commune: { ...communeReport, warnings: [...(communeReport.warnings ?? []), `${aliases.length} anciens codes conservés`] },
      region: { rows: countLayer('region') },
      departement: { rows: countLayer('departement') },
      arrondissement: { rows: countLayer('arrondissement') },
      epci: epci.report,
      qpv: qpv.report,
      pnr: { ...pnr.report, rows: pnr.report.rows + pnrOutlines.report.rows, warnings: pnrOutlines.report.warnings ?? [] },
      petr: { ...petr.report, rows: petr.report.rows + petrOutlines.report.rows, warnings: petrOutlines.report.warnings ?? [] },
      cpts: cpts.report,
      scheme: schemes.report,
    },
  };
}
