// Typed access to @etalab/decoupage-administratif (COG: communes with population,
// communes déléguées / associées, EPCI with members, départements, régions, arrondissements).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export interface DecoupageCommune {
  code: string;
  nom: string;
  type: 'commune-actuelle' | 'commune-deleguee' | 'commune-associee' | 'arrondissement-municipal';
  departement: string;
  region: string;
  arrondissement?: string;
  population?: number;
  chefLieu?: string;
  commune?: string;
  anciensCodes?: string[];
}

export interface DecoupageEpci {
  code: string;
  nom: string;
  type: string;
  populationMunicipale?: number;
  membres: { code: string; nom: string }[];
}

export interface DecoupageUnit {
  code: string;
  nom: string;
  region?: string;
  departement?: string;
  chefLieu?: string;
  zone?: string;
}

export function loadDecoupage() {
  return {
    communes: require('@etalab/decoupage-administratif/data/communes.json') as DecoupageCommune[],
    epci: require('@etalab/decoupage-administratif/data/epci.json') as DecoupageEpci[],
    departements: require('@etalab/decoupage-administratif/data/departements.json') as DecoupageUnit[],
    regions: require('@etalab/decoupage-administratif/data/regions.json') as DecoupageUnit[],
    arrondissements: require('@etalab/decoupage-administratif/data/arrondissements.json') as DecoupageUnit[],
  };
}

export type Decoupage = ReturnType<typeof loadDecoupage>;
