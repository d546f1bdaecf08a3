// Catalogue of the reference sources: where each file lives under GEODATA_DIR, and the
// metadata of every layer the reference import builds (shown by GET /api/layers).
import path from 'node:path';

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
    petr: f('petr', 'petr-grand-quercy.csv'),
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
}

const IGN = 'IGN – ADMIN EXPRESS COG CARTO 2025 ; @etalab/decoupage-administratif';
const LO = 'Licence Ouverte 2.0';

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
    vintage: '2025',
    source: 'Fabrique Territoires Santé (2024), codes EPCI DGCL',
    licence: LO,
  },
  {
    id: 'pnr',
    name: 'Parcs naturels régionaux',
    kind: 'intercommunal',
    vintage: 'décret du 4 septembre 2021, recodé COG 2025',
    source: 'Journal officiel',
    licence: LO,
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
