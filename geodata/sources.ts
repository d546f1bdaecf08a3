// Catalogue of the reference sources: where each file lives under GEODATA_DIR, and the
// metadata of every layer the reference import builds (shown by GET /api/layers).
import path from 'node:path';
import { CPTS_PACA_REGION } from './loaders/cpts.ts';

export const COG_VINTAGE = '2025';

export function sourceFiles(geodataDir: string) {
  const f = (...p: string[]) => path.join(geodataDir, ...p);
  return {
    communes: f('admin-express-2025', 'communes-2025.geojson.gz'),
    epci: f('admin-express-2025', 'epci-2025.geojson.gz'),
    passage: f('cog', 'communes-passage-2003-2025.csv'),
    qpv2024: f('qpv', 'qpv-2024-communes.csv'),
    qpv2015: f('qpv', 'qpv-2015-occitanie.geojson'),
    qpv2015Indicators: f('qpv', 'qpv-2015-occitanie-indicateurs.csv'),
    pnr: f('pnr', 'pnr-doubs-horloger-2021.csv'),
    pnrOutlines: f('pnr', 'pnr-inpn-2020.geojson'),
    petr: f('petr', 'petr-grand-quercy.csv'),
    petrOutlines: f('petr', 'petr-contrats-ruralite-2017.geojson'),
    cptsPaca: f('cpts', 'cpts-paca-2026-01.csv'),
    schemes: f('demarches', 'demarches-territoriales-sante.csv'),
  };
}

export type SourceFiles = ReturnType<typeof sourceFiles>;

export interface LayerMeta {
  id: string;
  name: string;
  kind: 'commune' | 'administratif' | 'intercommunal' | 'politique-de-la-ville' | 'sante' | 'demarche';
  vintage: string;
  source: string;
  licence: string;
  fictif?: boolean;
  /** Display order when not the position in REFERENCE_LAYERS (health layers come after). */
  sort?: number;
}

const IGN = 'IGN – ADMIN EXPRESS COG CARTO 2025 ; @etalab/decoupage-administratif';
const LO = 'Licence Ouverte 2.0';

/**
 * Layers the reference import fills only in part: it replaces their units within a
 * région and keeps the others (imports of other régions, fictitious examples).
 */
export const PARTLY_REFERENCE_LAYERS: Record<string, { region: string }> = { cpts: { region: CPTS_PACA_REGION } };

/** Layers built by the reference import, in display order. */
export const REFERENCE_LAYERS: LayerMeta[] = [
  { id: 'region', name: 'Régions', kind: 'administratif', vintage: `COG ${COG_VINTAGE}`, source: IGN, licence: LO },
  { id: 'departement', name: 'Départements', kind: 'administratif', vintage: `COG ${COG_VINTAGE}`, source: IGN, licence: LO },
  { id: 'arrondissement', name: 'Arrondissements', kind: 'administratif', vintage: `COG ${COG_VINTAGE}`, source: IGN, licence: LO },
  { id: 'epci', name: 'Intercommunalités (EPCI)', kind: 'intercommunal', vintage: '1er janvier 2025', source: IGN, licence: LO },
  { id: 'commune', name: 'Communes', kind: 'commune', vintage: `COG ${COG_VINTAGE}`, source: IGN, licence: LO },
  {
    id: 'petr',
    name: 'PETR et Pays',
    kind: 'intercommunal',
    vintage: 'Grand Quercy : 2025 ; ailleurs : contours des contrats de ruralité 2016-2019 (périmètres approchés)',
    source: 'Fabrique Territoires Santé (2024), codes EPCI DGCL ; ANCT (CGET), contrats de ruralité',
    licence: LO,
  },
  {
    id: 'pnr',
    name: 'Parcs naturels régionaux',
    kind: 'intercommunal',
    vintage: 'Doubs Horloger : décret du 4 septembre 2021, recodé COG 2025 ; autres parcs : contours INPN ≈ 2020 (périmètres approchés)',
    source: 'Journal officiel ; MNHN – INPN',
    licence: LO,
  },
  {
    id: 'cpts',
    name: 'CPTS',
    kind: 'sante',
    vintage: "Provence-Alpes-Côte d'Azur : listing ARS de janvier 2026 ; ailleurs : fichiers importés ou exemples fictifs",
    source: "ARS Provence-Alpes-Côte d'Azur ; autres régions : imports des ARS",
    licence: 'liste administrative publique',
    sort: 20,
  },
  {
    id: 'qpv',
    name: 'Quartiers prioritaires (QPV)',
    kind: 'politique-de-la-ville',
    vintage: '2024 (communes) ; contours 2015 en Occitanie',
    source: 'ANCT ; INSEE',
    licence: LO,
  },
  {
    id: 'scheme',
    name: 'Démarches territoriales de santé (CLS, ASV, CLSM, PTSM)',
    kind: 'demarche',
    vintage: '2023-2024',
    source: 'Fabrique Territoires Santé, publications 2023-2024',
    licence: LO,
  },
];
