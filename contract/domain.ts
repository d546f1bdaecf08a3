// The domain's words, said once for server and client: layer ids and codes as URLs carry
// them, scheme types, statuses, bearer types, themes, roles and the limits a request may
// reach. Pure zod and constants: the client bundles this file.
import { z } from 'zod';

/** Scheme types, and the layer ids that name the scheme layer filtered by type (cls → CLS). */
export const SCHEME_TYPES = ['CLS', 'ASV', 'CLSM', 'PTSM'] as const;
export type SchemeType = (typeof SCHEME_TYPES)[number];
export const SCHEME_TYPE_LAYERS: Record<string, SchemeType> = { cls: 'CLS', asv: 'ASV', clsm: 'CLSM', ptsm: 'PTSM' };

export const STATUSES = ['en_elaboration', 'en_cours', 'termine'] as const;

/** Bearer types with their French label. */
export const BEARER_TYPE_LABELS = {
  COMMUNE: 'commune',
  EPCI: 'intercommunalité',
  PETR: 'PETR',
  PNR: 'parc naturel régional',
  ASSOCIATION: 'association',
  CCAS: 'CCAS',
  EPSM: 'EPSM',
  SYNDICAT_MIXTE: 'syndicat mixte',
  DEPARTEMENT: 'département',
  AUTRE: 'autre',
} as const;
export const BEARER_TYPES = Object.keys(BEARER_TYPE_LABELS) as [keyof typeof BEARER_TYPE_LABELS, ...(keyof typeof BEARER_TYPE_LABELS)[]];

export const THEMES = [
  'santé mentale',
  'accès aux soins',
  'alimentation et activité physique',
  'santé environnementale',
  'addictions',
  'santé des femmes',
  'logement',
  'périnatalité',
  'numérique',
  'personnes âgées',
  'handicap',
  'santé des jeunes',
  'prévention et promotion de la santé',
  'précarité',
  'vaccination',
  'cancers',
] as const;

export const ROLES = ['admin', 'planner', 'coordinator'] as const;
export type Role = (typeof ROLES)[number];
export const ROLE_LABELS: Record<Role, string> = { admin: 'administrateur', planner: 'chargé de mission ARS', coordinator: 'coordinateur' };

/** Perimeters compared at once (GET /api/compare). */
export const MAX_COMPARED = 8;
/** Schemes whose coordination load is computed at once (GET /api/load). */
export const MAX_LOAD_SCHEMES = 10;
/** Results of one search. */
export const MAX_SEARCH_RESULTS = 50;

export const layerIdSchema = z
  .string({ message: 'à indiquer (exemple : cls)' })
  .max(40, { message: 'identifiant de couche trop long' })
  .regex(/^[a-z][a-z0-9-]*$/, { message: 'identifiant de couche invalide (lettres minuscules, chiffres et tirets)' });

export const codeSchema = z
  .string()
  .max(64, { message: 'code trop long (64 caractères au plus)' })
  .regex(/^[0-9A-Za-z][0-9A-Za-z._-]*$/, { message: 'code invalide (lettres, chiffres, tirets, points)' });

export const communeCodeSchema = z.string().regex(/^(\d{5}|2[AB]\d{3})$/, { message: 'code commune INSEE attendu (5 caractères)' });

/**
 * "layer:code" as used by the analyses (p=scheme:cls-cergy, within=departement:46);
 * a scheme may name a past version of its perimeter: p=scheme:cls-cergy@2.
 */
export const perimeterRefSchema = z
  .string()
  .max(100, { message: 'référence de périmètre trop longue' })
  .regex(/^[a-z][a-z0-9-]*:[0-9A-Za-z][0-9A-Za-z._-]*(@\d{1,6})?$/, {
    message: 'référence de périmètre attendue sous la forme couche:code (ex. : epci:200070407)',
  })
  .transform((ref) => {
    const i = ref.indexOf(':');
    const [code, version] = ref.slice(i + 1).split('@');
    return { layer: ref.slice(0, i), code: code!, version: version === undefined ? null : Number(version) };
  });

/** ?format= of lists: JSON or CSV. */
export const jsonCsvFormat = z.enum(['json', 'csv'], { message: 'format attendu : json ou csv' }).default('json');

/** ?format= of lists of places: JSON, CSV or GeoJSON. */
export const jsonCsvGeojsonFormat = z
  .enum(['json', 'csv', 'geojson'], { message: 'format attendu : json, csv ou geojson' })
  .default('json');

/** A commune, a perimeter or a zone named in an answer. */
export const unitRefSchema = z.object({ layer: z.string(), code: z.string(), name: z.string() });
