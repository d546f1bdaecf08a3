// The national panorama over HTTP: for France, a région or a département, what the
// registry knows of the territorial health schemes (counts by type and status, coverage,
// scale of perimeters, population bands, coordination, QPV, growth), each figure beside
// the inventory status it depends on. One block of it can be asked as CSV.
import { z } from 'zod';
import { endpoint } from './endpoint.ts';
import { INVENTORY_STATUSES, INVENTORY_TYPES } from './inventory.ts';

export const SCALES = ['quartier', 'commune', 'epci', 'petr', 'pnr', 'arrondissement', 'plus_large', 'sans_perimetre'] as const;
export const SCALE_LABELS: Record<(typeof SCALES)[number], string> = {
  quartier: 'Quartier',
  commune: 'Commune',
  epci: 'EPCI',
  petr: 'PETR ou Pays',
  pnr: 'PNR',
  arrondissement: 'Arrondissement',
  plus_large: 'Plus large',
  sans_perimetre: 'Périmètre inconnu',
};

/** The survey's bands: lower bound included, upper bound excluded. */
export const POPULATION_BANDS = [
  { id: 'moins_10k', label: '< 10 000', min: 0, max: 10_000 },
  { id: '10k_20k', label: '10 000 – 20 000', min: 10_000, max: 20_000 },
  { id: '20k_50k', label: '20 000 – 50 000', min: 20_000, max: 50_000 },
  { id: '50k_100k', label: '50 000 – 100 000', min: 50_000, max: 100_000 },
  { id: 'plus_100k', label: '> 100 000', min: 100_000, max: null },
] as const;

export const PANORAMA_BLOCKS = ['types', 'areas', 'scales', 'bands', 'coordination', 'qpv', 'growth', 'schemes'] as const;

const typeSchema = z.enum(INVENTORY_TYPES);
const countsOf = <K extends string>(keys: readonly K[]) =>
  z.object(Object.fromEntries(keys.map((k) => [k, z.number().int()])) as Record<K, z.ZodNumber>);
const coverageSchema = z.object({
  coveredCommunes: z.number().int(),
  coveredPopulation: z.number(),
  communeShare: z.number(),
  populationShare: z.number(),
});
const spreadSchema = z.object({
  n: z.number().int(),
  min: z.number().nullable(),
  q1: z.number().nullable(),
  median: z.number().nullable(),
  q3: z.number().nullable(),
  max: z.number().nullable(),
});
const inventorySchema = z.object({
  status: z.enum(INVENTORY_STATUSES),
  completeAt: z.string().nullable(),
  known: z.number().int(),
  /** "12 CLS connus (registre partiel)". */
  wording: z.string(),
  /** "communes sans CLS connu — …", the wording of the coverage helper. */
  coverageWording: z.string(),
});
const areaSchema = z.object({ code: z.string(), name: z.string(), population: z.number(), communes: z.number().int() });

export const panoramaBodySchema = z.object({
  within: z.object({
    kind: z.enum(['france', 'region', 'departement']),
    code: z.string().nullable(),
    name: z.string(),
    /** The région of a département (the breadcrumb). */
    parent: z.object({ code: z.string(), name: z.string() }).nullable(),
  }),
  /** Level of the sub-areas: régions of France, départements of a région or of a département (itself). */
  areaLevel: z.enum(['region', 'departement']),
  source: z.string(),
  dataVintage: z.string(),
  population: z.number(),
  communes: z.number().int(),
  fiction: z.object({ included: z.boolean(), count: z.number().int(), wording: z.string().nullable() }),
  rules: z.record(z.string(), z.string()),
  /** Inventory status of each type over the whole zone. */
  inventory: z.record(z.string(), inventorySchema),
  types: z.array(
    coverageSchema.extend({
      type: typeSchema,
      count: z.number().int(),
      fictitious: z.number().int(),
      byStatus: countsOf(['en_elaboration', 'en_cours', 'termine', 'non_renseigne']),
    }),
  ),
  areas: z.array(
    areaSchema.extend({
      inventory: z.record(z.string(), z.object({ status: z.enum(INVENTORY_STATUSES), completeAt: z.string().nullable() })).optional(),
      types: z.array(coverageSchema.extend({ type: typeSchema, count: z.number().int() })),
    }),
  ),
  scales: z.array(z.object({ type: typeSchema, counts: countsOf(SCALES), exact: z.number().int() })),
  bands: z.array(z.object({ type: typeSchema, counts: countsOf(POPULATION_BANDS.map((b) => b.id)), unknown: z.number().int() })),
  coordination: z.object({
    fteTotal: z.number(),
    schemesWithFte: z.number().int(),
    schemesWithoutFte: z.number().int(),
    inhabitantsPerFte: spreadSchema,
    communesPerFte: spreadSchema,
    coordinatorsFilledFor: z.number().int(),
    coordinators: z.number().int(),
    multiSchemeCoordinators: z.array(z.object({ key: z.string(), name: z.string(), schemes: z.array(z.string()) })),
  }),
  qpv: z.object({
    total: z.number().int(),
    uncovered: z.number().int(),
    uncoveredShare: z.number(),
    uncoveredList: z.array(z.object({ code: z.string(), name: z.string(), communes: z.array(z.string()) })),
    communesWithQpv: z.number().int(),
    communesNeither: z.number().int(),
    communesPartial: z.number().int(),
    communesNotWhollyCovered: z.number().int(),
    communesShare: z.number(),
    communesNotWhollyCoveredList: z.array(z.string()),
  }),
  growth: z.object({
    undated: z.number().int(),
    years: z.array(
      z.object({
        year: z.number().int(),
        count: z.number().int(),
        byType: countsOf(INVENTORY_TYPES),
        medianPopulation: z.number().nullable(),
      }),
    ),
  }),
  units: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      type: typeSchema,
      status: z.string().nullable(),
      fictif: z.boolean(),
      population: z.number(),
      communeCount: z.number().int(),
      band: z.string().nullable(),
      scale: z.enum(SCALES),
      exactScale: z.boolean(),
      year: z.number().int().nullable(),
      fte: z.number().nullable(),
      areas: z.array(z.string()),
    }),
  ),
});
export type PanoramaBody = z.infer<typeof panoramaBodySchema>;

export const panoramaQuerySchema = z.object({
  within: z
    .string()
    .default('france')
    .pipe(
      z.string().regex(/^(france|region:[0-9]{2}|departement:[0-9AB]{2,3})$/, {
        message: 'zone attendue : france, region:76 ou departement:46',
      }),
    ),
  includeFictif: z
    .enum(['true', 'false'], { message: 'true ou false attendu' })
    .default('false')
    .transform((v) => v === 'true'),
  format: z.enum(['json', 'csv'], { message: 'format attendu : json ou csv' }).default('json'),
  block: z.enum(PANORAMA_BLOCKS, { message: `bloc attendu : ${PANORAMA_BLOCKS.join(', ')}` }).optional(),
});

export const getPanorama = endpoint({
  method: 'get',
  path: '/api/panorama',
  summary: 'Panorama des démarches territoriales de santé connues en France, dans une région ou un département.',
  description:
    'Chaque chiffre est accompagné de l’état d’inventaire du registre ; les périmètres fictifs sont exclus sauf includeFictif=true. ' +
    'Avec format=csv, un bloc (block=types, areas, scales, bands, coordination, qpv, growth, schemes) est exporté, précédé de lignes qui disent ce qu’il est.',
  tag: 'Analyses',
  query: panoramaQuerySchema,
  response: panoramaBodySchema,
  produces: ['text/csv'],
});

export const endpoints = [getPanorama];
