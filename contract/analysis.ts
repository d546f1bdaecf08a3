// The analyses over HTTP: perimeters compared (parts A only, A ∩ B…, alignment), coverage
// gaps (communes covered by no perimeter of a layer, QPV without ASV nor CLS) and the
// coordination load of schemes. Coverage answers say what the registry knows
// (`inventory`) and which units are fictitious (`fiction`).
import { z } from 'zod';
import {
  codeSchema,
  jsonCsvFormat,
  jsonCsvGeojsonFormat,
  layerIdSchema,
  MAX_COMPARED,
  MAX_LOAD_SCHEMES,
  perimeterRefSchema,
  unitRefSchema,
} from './domain.ts';
import { endpoint } from './endpoint.ts';
import { fictionSchema, zoneInventorySchema } from './inventory.ts';

/** One value or a repeated query parameter, as a list. */
const many = (message: string) => z.union([z.string(), z.array(z.string())], { message }).transform((v) => (Array.isArray(v) ? v : [v]));

export const compareQuery = z.object({
  p: many('indiquez 2 à 8 périmètres à comparer').pipe(
    z
      .array(perimeterRefSchema)
      .min(2, { message: 'comparer demande au moins 2 périmètres' })
      .max(MAX_COMPARED, { message: `au plus ${MAX_COMPARED} périmètres peuvent être comparés à la fois` }),
  ),
  format: jsonCsvGeojsonFormat,
});

const comparePerimeterSchema = z.object({
  key: z.string(),
  layer: z.string(),
  code: z.string(),
  name: z.string(),
  type: z.string().nullable(),
  fictif: z.boolean(),
  communeCount: z.number().int().nullable(),
  population: z.number().nullable(),
});
export type ComparePerimeter = z.infer<typeof comparePerimeterSchema>;

const comparePartSchema = z.object({
  /** Keys of the perimeters this part lies in: ['A'] is "A seul", ['A', 'B'] "A ∩ B". */
  members: z.array(z.string()),
  label: z.string(),
  communeCount: z.number().int(),
  /** Communes where some perimeter's part is unknown (no contour): figures are null. */
  unknownShare: z.boolean(),
  /** One mark per perimeter, in order: ■ inside, □ outside. */
  pattern: z.string(),
  /** Communes counted by the share of each that falls in the part. */
  communeEquivalent: z.number().nullable(),
  population: z.number().nullable(),
  areaKm2: z.number().nullable(),
  communes: z.array(z.object({ code: z.string(), name: z.string(), share: z.number().nullable() })),
});
export type ComparePart = z.infer<typeof comparePartSchema>;

export const comparisonSchema = z.object({
  perimeters: z.array(comparePerimeterSchema),
  parts: z.array(comparePartSchema),
  alignments: z.array(z.object({ a: z.string(), b: z.string(), alignment: z.number().nullable(), reason: z.string().nullable() })),
  unknownShares: z
    .object({ reason: z.string(), communeCount: z.number().int(), perimeters: z.array(z.string()), detail: z.string() })
    .nullable(),
  method: z.string(),
});
export type Comparison = z.infer<typeof comparisonSchema>;

/** within=layer:code, or nothing / "france" for the whole country. */
export const withinSchema = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v === '' || v === 'france' ? null : v))
  .pipe(perimeterRefSchema.nullable());

export const GAP_LEVELS = ['commune', 'departement', 'epci'] as const;
export type GapLevel = (typeof GAP_LEVELS)[number];

export const gapsQuery = z.object({
  layer: layerIdSchema,
  within: withinSchema,
  format: jsonCsvGeojsonFormat,
  /** The CSV's rows: communes, or the same gaps summed by département or EPCI. */
  by: z.enum(GAP_LEVELS, { message: 'commune, departement ou epci attendu' }).default('commune'),
});
export const qpvGapsQuery = z.object({ within: withinSchema, format: jsonCsvFormat });

const gapTotalsSchema = z.object({ communeCount: z.number().int(), population: z.number(), areaKm2: z.number() });
export type GapTotals = z.infer<typeof gapTotalsSchema>;
const gapCommuneSchema = z.object({ code: z.string(), name: z.string(), population: z.number(), areaKm2: z.number() });
export type GapCommune = z.infer<typeof gapCommuneSchema>;

/** The gaps of one département or EPCI (its communes inside the zone). */
const areaGapSchema = z.object({
  code: z.string(),
  name: z.string(),
  communeCount: z.number().int(),
  uncoveredCount: z.number().int(),
  population: z.number(),
  uncoveredPopulation: z.number(),
  share: z.number(),
});
export type AreaGap = z.infer<typeof areaGapSchema>;

const coverageContextShape = { inventory: zoneInventorySchema.nullable(), fiction: fictionSchema };

export const gapsSchema = z.object({
  layer: z.string(),
  within: unitRefSchema.nullable(),
  zone: gapTotalsSchema,
  uncovered: gapTotalsSchema.extend({ share: z.number(), communes: z.array(gapCommuneSchema) }),
  partlyCovered: gapTotalsSchema.extend({ communes: z.array(gapCommuneSchema.extend({ covered: z.number().nullable() })) }),
  areas: z.object({ departement: z.array(areaGapSchema), epci: z.array(areaGapSchema) }),
  ...coverageContextShape,
});
export type Gaps = z.infer<typeof gapsSchema>;

const qpvGapSchema = z.object({
  code: z.string(),
  name: z.string(),
  generation: z.string().nullable(),
  communes: z.array(z.string()),
  /** Names of `communes`, in the same order. */
  communeNames: z.array(z.string()),
  population: z.number().nullable(),
});
export type QpvGap = z.infer<typeof qpvGapSchema>;

export const qpvGapsSchema = z.object({
  within: unitRefSchema.nullable(),
  qpvCount: z.number().int(),
  uncovered: z.object({ count: z.number().int(), share: z.number(), qpv: z.array(qpvGapSchema) }),
  ...coverageContextShape,
});
export type QpvGaps = z.infer<typeof qpvGapsSchema>;

export const loadQuery = z.object({
  scheme: many('à indiquer : le code d’au moins une démarche').pipe(
    z
      .array(codeSchema)
      .min(1)
      .max(MAX_LOAD_SCHEMES, { message: `au plus ${MAX_LOAD_SCHEMES} démarches à la fois` }),
  ),
  format: jsonCsvFormat,
});

const loadCommuneSchema = z.object({
  code: z.string(),
  name: z.string(),
  population: z.number(),
  areaKm2: z.number(),
  share: z.number(),
  distanceKm: z.number(),
});
export type LoadCommune = z.infer<typeof loadCommuneSchema>;

export const schemeLoadSchema = z.object({
  code: z.string(),
  name: z.string(),
  type: z.string().nullable(),
  fictif: z.boolean(),
  communeCount: z.number().int(),
  population: z.number(),
  areaKm2: z.number(),
  coordinationFte: z.number().nullable(),
  perFte: z.object({ communes: z.number(), population: z.number(), areaKm2: z.number() }).nullable(),
  centralTown: z.object({ code: z.string(), name: z.string(), reason: z.enum(['porteur', 'plus-peuplee']) }).nullable(),
  distanceKm: z.object({ median: z.number(), max: z.number() }).nullable(),
  communes: z.array(loadCommuneSchema),
});
export type SchemeLoad = z.infer<typeof schemeLoadSchema>;

const tag = 'Analyses';
export const endpoints = {
  compare: endpoint({
    method: 'get',
    path: '/api/compare',
    tag,
    summary: 'Compare 2 à 8 périmètres : communes et population de chaque partie (A seul, A ∩ B…) et indice d’alignement par paire.',
    description:
      'p=couche:code, répété ; une démarche peut nommer une version passée de son périmètre (p=scheme:code@2). JSON, CSV ou GeoJSON.',
    query: compareQuery,
    response: comparisonSchema,
    produces: ['text/csv', 'application/geo+json'],
  }),
  gaps: endpoint({
    method: 'get',
    path: '/api/gaps',
    tag,
    summary:
      'Communes d’une zone couvertes par aucun périmètre d’une couche (« sans CLS connu » tant que l’inventaire n’est pas déclaré complet).',
    query: gapsQuery,
    response: gapsSchema,
    produces: ['text/csv', 'application/geo+json'],
  }),
  qpvGaps: endpoint({
    method: 'get',
    path: '/api/gaps/qpv',
    tag,
    summary: 'Quartiers prioritaires (QPV) couverts ni par un ASV ni par un CLS connus, dans une zone ou en France entière.',
    query: qpvGapsQuery,
    response: qpvGapsSchema,
    produces: ['text/csv'],
  }),
  load: endpoint({
    method: 'get',
    path: '/api/load',
    tag,
    summary: 'Charge de coordination de 1 à 10 démarches : communes, habitants et superficie par ETP, distance à la ville centre.',
    query: loadQuery,
    response: z.object({ schemes: z.array(schemeLoadSchema) }),
    produces: ['text/csv'],
  }),
};
