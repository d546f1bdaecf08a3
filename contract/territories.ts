// The atlas read side: the catalogue of layers, the commune at a point, the territory
// sheet of any unit (population, area, every perimeter it belongs to or overlaps), its
// member communes (JSON, CSV, GeoJSON) and how each other layer cuts it (entanglement).
import { z } from 'zod';
import { codeSchema, jsonCsvFormat, jsonCsvGeojsonFormat, layerIdSchema } from './domain.ts';
import { endpoint } from './endpoint.ts';

const layerSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.string(),
  vintage: z.string(),
  source: z.string(),
  licence: z.string(),
  fictif: z.boolean(),
  count: z.number().int(),
  /** The scheme layer only: its types with their counts. */
  types: z.array(z.object({ id: z.string(), type: z.string(), count: z.number().int() })).optional(),
});
export type LayerInfo = z.infer<typeof layerSchema>;

export const territoryParams = z.object({ layer: layerIdSchema, code: codeSchema });
export const locateQuery = z.object({
  lon: z.coerce.number({ message: 'longitude attendue' }).min(-180).max(180),
  lat: z.coerce.number({ message: 'latitude attendue' }).min(-90).max(90),
});
export const communesQuery = z.object({ format: jsonCsvGeojsonFormat });
export const entanglementQuery = z.object({ format: jsonCsvFormat });

const schemeDetailsSchema = z
  .object({
    type: z.string(),
    bearerType: z.string().nullable(),
    bearerName: z.string().nullable(),
    startDate: z.string().nullable(),
    generation: z.number().int().nullable(),
    coordinationFte: z.number().nullable(),
    status: z.string().nullable(),
    source: z.string().nullable(),
    remark: z.string().nullable(),
  })
  .loose();
export type SchemeDetails = z.infer<typeof schemeDetailsSchema>;

const membershipSchema = z.object({
  layer: z.string(),
  code: z.string(),
  name: z.string(),
  type: z.string().nullable(),
  /** Part of the sheet's territory inside that perimeter (null: unknown). */
  share: z.number().nullable(),
  /** Part of that perimeter inside the sheet's territory. */
  shareOfOther: z.number().nullable(),
  fictif: z.boolean(),
});
export type Membership = z.infer<typeof membershipSchema>;

export const territorySchema = z.object({
  layer: z.string(),
  code: z.string(),
  name: z.string(),
  type: z.string().nullable(),
  fictif: z.boolean(),
  population: z.number().nullable(),
  areaKm2: z.number().nullable(),
  communeCount: z.number().int().nullable(),
  bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]).nullable(),
  attributes: z.record(z.string(), z.unknown()),
  scheme: schemeDetailsSchema.optional(),
  memberships: z.array(membershipSchema),
});
export type Territory = z.infer<typeof territorySchema>;

const memberCommuneSchema = z.object({
  code: z.string(),
  name: z.string(),
  population: z.number().nullable(),
  share: z.number().nullable(),
  departement: z.string().nullable(),
});
export type MemberCommune = z.infer<typeof memberCommuneSchema>;

const entanglementUnitSchema = z.object({
  layer: z.string(),
  code: z.string(),
  name: z.string(),
  type: z.string().nullable(),
  fictif: z.boolean(),
  /** Part of the territory (by population) lying in the unit (null: unknown, no contour). */
  shareOfTerritory: z.number().nullable(),
  /** Part of the unit lying inside the territory (null: unknown). */
  insideShare: z.number().nullable(),
  cut: z.boolean().nullable(),
});
export type EntanglementUnit = z.infer<typeof entanglementUnitSchema>;

const entanglementLayerSchema = z.object({
  layer: z.string(),
  unitCount: z.number().int(),
  cutCount: z.number().int(),
  coverage: z.number().nullable(),
  fragmentation: z.number().nullable(),
  unknownCount: z.number().int(),
  reason: z.string().nullable(),
  units: z.array(entanglementUnitSchema),
});
export type EntanglementLayer = z.infer<typeof entanglementLayerSchema>;

export const entanglementSchema = z.object({
  territory: z.object({
    layer: z.string(),
    code: z.string(),
    name: z.string(),
    type: z.string().nullable(),
    population: z.number().nullable(),
    communeCount: z.number().int().nullable(),
  }),
  method: z.string(),
  layers: z.array(entanglementLayerSchema),
});
export type Entanglement = z.infer<typeof entanglementSchema>;

const tag = 'Territoires';
export const endpoints = {
  layers: endpoint({
    method: 'get',
    path: '/api/layers',
    tag,
    summary: 'Catalogue des couches : nombre d’unités, millésime, source, licence, données fictives ou non.',
    response: z.object({ layers: z.array(layerSchema) }),
  }),
  locate: endpoint({
    method: 'get',
    path: '/api/locate',
    tag,
    summary: 'La commune située en un point (longitude, latitude), pour un clic sur la carte.',
    query: locateQuery,
    response: z.object({ layer: z.literal('commune'), code: z.string(), name: z.string() }),
  }),
  territory: endpoint({
    method: 'get',
    path: '/api/territories/:layer/:code',
    tag,
    summary:
      'Fiche d’un territoire : population, superficie, communes, et chaque périmètre auquel il appartient ou qu’il recoupe, avec la part de recouvrement.',
    description: 'Un ancien code de commune redirige (301) vers la commune actuelle.',
    params: territoryParams,
    response: territorySchema,
  }),
  communes: endpoint({
    method: 'get',
    path: '/api/territories/:layer/:code/communes',
    tag,
    summary: 'Communes membres d’un territoire avec leur part dans le périmètre (JSON, CSV ou GeoJSON).',
    params: territoryParams,
    query: communesQuery,
    response: z.object({
      layer: z.string(),
      code: z.string(),
      name: z.string(),
      fictif: z.boolean(),
      communes: z.array(memberCommuneSchema),
    }),
    produces: ['text/csv', 'application/geo+json'],
  }),
  entanglement: endpoint({
    method: 'get',
    path: '/api/territories/:layer/:code/entanglement',
    tag: 'Analyses',
    summary: 'Enchevêtrement : comment chaque autre couche découpe le territoire (unités, parts, fragmentation) ; JSON ou CSV.',
    params: territoryParams,
    query: entanglementQuery,
    response: entanglementSchema,
    produces: ['text/csv'],
  }),
};
