// OGC API – Features (Part 1 Core, GeoJSON, HTML) under /ogc, and TileJSON 3.0 for the
// vector tile sources: what QGIS, GDAL and MapLibre read from the atlas. The query
// schemas are the ones the routes parse with; the answers follow the OGC standard
// (17-069r4) and the TileJSON 3.0.0 specification.
import { z } from 'zod';
import { endpoint } from './endpoint.ts';

/** Features per page: the default, and the most one request may ask for. */
export const OGC_DEFAULT_LIMIT = 100;
export const OGC_MAX_LIMIT = 10_000;

export const collectionIdSchema = z
  .string()
  .max(40, { error: 'identifiant de collection trop long' })
  .regex(/^[a-z][a-z0-9-]*$/, { error: 'identifiant de collection invalide (lettres minuscules, chiffres et tirets)' });

export const featureIdSchema = z
  .string()
  .max(64, { error: 'identifiant d’objet trop long (64 caractères au plus)' })
  .regex(/^[0-9A-Za-z][0-9A-Za-z._-]*$/, { error: 'identifiant d’objet invalide (lettres, chiffres, tirets, points)' });

export const ogcFormatSchema = z.enum(['json', 'geojson', 'html'], { error: 'format inconnu : json ou html' }).optional();

const BBOX_HELP = '4 nombres attendus, séparés par des virgules : longitude et latitude minimales, puis maximales (degrés WGS84)';

/** bbox=minLon,minLat,maxLon,maxLat in WGS84 degrees (CRS84), as four numbers. */
export const bboxSchema = z
  .string()
  .max(200, { error: BBOX_HELP })
  .transform((s, ctx) => {
    const parts = s.split(',').map((p) => (p.trim() === '' ? NaN : Number(p)));
    if (parts.length !== 4 || parts.some((n) => !Number.isFinite(n))) {
      ctx.addIssue({ code: 'custom', message: BBOX_HELP });
      return z.NEVER;
    }
    const [minx, miny, maxx, maxy] = parts as [number, number, number, number];
    if (minx < -180 || maxx > 180 || miny < -90 || maxy > 90) {
      ctx.addIssue({ code: 'custom', message: 'hors du monde : longitudes entre -180 et 180, latitudes entre -90 et 90' });
      return z.NEVER;
    }
    if (minx > maxx || miny > maxy) {
      ctx.addIssue({ code: 'custom', message: 'inversée : le minimum doit précéder le maximum' });
      return z.NEVER;
    }
    return [minx, miny, maxx, maxy] as [number, number, number, number];
  });

const code = (what: string, pattern: RegExp, example: string) =>
  z.string().regex(pattern, { error: `${what} invalide (ex. : ${example})` });

/** Attribute filters: each is also a property of the features it applies to. */
export const ogcFilterShape = {
  departement: code('code de département', /^(\d{2,3}|2[AB])$/, '46'),
  region: code('code de région', /^\d{2}$/, '76'),
  epci: code('SIREN d’EPCI', /^\d{9}$/, '200023059'),
  arrondissement: code('code d’arrondissement', /^(\d{3,4}|2[AB]\d)$/, '461'),
  type: code('type', /^[A-Za-z0-9_-]{1,20}$/, 'CLS'),
  status: code('statut', /^[a-z_]{1,30}$/, 'en_cours'),
};
export type OgcFilterName = keyof typeof ogcFilterShape;
export const OGC_FILTER_NAMES = Object.keys(ogcFilterShape) as OgcFilterName[];

const propertiesSchema = z
  .string()
  .max(500, { error: 'liste de propriétés trop longue' })
  .regex(/^[a-z_]+(,[a-z_]+)*$/, { error: 'liste de propriétés attendue, séparées par des virgules (ex. : name,population)' })
  .transform((s) => s.split(','));

export const itemsQuerySchema = z.strictObject(
  {
    f: ogcFormatSchema,
    bbox: bboxSchema.optional(),
    limit: z.coerce
      .number({ error: 'nombre entier attendu' })
      .int({ error: 'nombre entier attendu' })
      .min(1, { error: 'au moins 1' })
      .max(OGC_MAX_LIMIT, { error: `au plus ${OGC_MAX_LIMIT.toLocaleString('fr-FR')} objets par page` })
      .default(OGC_DEFAULT_LIMIT),
    offset: z.coerce
      .number({ error: 'nombre entier attendu' })
      .int({ error: 'nombre entier attendu' })
      .min(0, { error: 'positif ou nul attendu' })
      .max(10_000_000, { error: 'trop grand' })
      .default(0),
    properties: propertiesSchema.optional(),
    departement: ogcFilterShape.departement.optional(),
    region: ogcFilterShape.region.optional(),
    epci: ogcFilterShape.epci.optional(),
    arrondissement: ogcFilterShape.arrondissement.optional(),
    type: ogcFilterShape.type.optional(),
    status: ogcFilterShape.status.optional(),
  },
  {
    error: (iss) =>
      iss.code === 'unrecognized_keys'
        ? `paramètre inconnu : ${iss.keys.join(', ')} (paramètres acceptés : bbox, limit, offset, properties, f et les filtres de la collection)`
        : undefined,
  },
);
export type ItemsQuery = z.output<typeof itemsQuerySchema>;

export const itemQuerySchema = z.strictObject(
  { f: ogcFormatSchema, properties: propertiesSchema.optional() },
  { error: (iss) => (iss.code === 'unrecognized_keys' ? `paramètre inconnu : ${iss.keys.join(', ')}` : undefined) },
);

export const formatQuerySchema = z.strictObject(
  { f: ogcFormatSchema },
  { error: (iss) => (iss.code === 'unrecognized_keys' ? `paramètre inconnu : ${iss.keys.join(', ')} (seul f est accepté)` : undefined) },
);

const linkSchema = z.object({
  href: z.string(),
  rel: z.string(),
  type: z.string().optional(),
  title: z.string().optional(),
});

export const landingSchema = z.object({ title: z.string(), description: z.string(), links: z.array(linkSchema) });
export const conformanceSchema = z.object({ conformsTo: z.array(z.string()) });

export const collectionSchema = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  itemType: z.literal('feature'),
  crs: z.array(z.string()),
  extent: z.object({ spatial: z.object({ bbox: z.array(z.tuple([z.number(), z.number(), z.number(), z.number()])), crs: z.string() }) }),
  links: z.array(linkSchema),
});
export const collectionsSchema = z.object({ collections: z.array(collectionSchema), links: z.array(linkSchema) });

const featureSchema = z.object({
  type: z.literal('Feature'),
  id: z.string(),
  geometry: z.object({ type: z.string(), coordinates: z.array(z.unknown()) }).nullable(),
  properties: z.record(z.string(), z.unknown()),
});
export const featureCollectionSchema = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(featureSchema),
  numberMatched: z.number().int(),
  numberReturned: z.number().int(),
  timeStamp: z.string(),
  /** Tolerance (degrees) of the generalisation applied for a large bbox; absent at full detail. */
  simplification: z.object({ toleranceDegrees: z.number(), note: z.string() }).optional(),
  links: z.array(linkSchema),
});

/** A tile source: one layer id, or several in braces ({region,departement}), as in tile URLs. */
export const tileSourceParamsSchema = z.object({
  layers: z
    .string()
    .regex(/^\{?[a-z][a-z0-9-]*(,[a-z][a-z0-9-]*)*\}?$/, { error: 'liste de couches invalide (ex. : commune ou {epci,scheme})' }),
});

export const tileJsonSchema = z.object({
  tilejson: z.literal('3.0.0'),
  name: z.string(),
  description: z.string(),
  tiles: z.array(z.string()).min(1),
  minzoom: z.number().int(),
  maxzoom: z.number().int(),
  bounds: z.tuple([z.number(), z.number(), z.number(), z.number()]),
  center: z.tuple([z.number(), z.number(), z.number()]),
  attribution: z.string(),
  scheme: z.literal('xyz'),
  vector_layers: z.array(
    z.object({
      id: z.string(),
      description: z.string(),
      minzoom: z.number().int(),
      maxzoom: z.number().int(),
      fields: z.record(z.string(), z.string()),
    }),
  ),
});
export type TileJson = z.infer<typeof tileJsonSchema>;

const collectionParams = z.object({ collectionId: collectionIdSchema });
const HTML_JSON = ['application/json', 'text/html'];

export const endpoints = [
  endpoint({
    method: 'get',
    path: '/ogc',
    summary: 'Page d’accueil OGC API – Features de l’atlas (liens vers la conformité, les collections et la description OpenAPI).',
    tag: 'OGC API – Features',
    query: formatQuerySchema,
    response: landingSchema,
    produces: HTML_JSON,
  }),
  endpoint({
    method: 'get',
    path: '/ogc/conformance',
    summary: 'Classes de conformité OGC API – Features déclarées (Core, GeoJSON, HTML, OpenAPI 3.0).',
    tag: 'OGC API – Features',
    query: formatQuerySchema,
    response: conformanceSchema,
    produces: HTML_JSON,
  }),
  endpoint({
    method: 'get',
    path: '/ogc/api',
    summary: 'Description OpenAPI 3.0 du service OGC API – Features, avec les filtres de chaque collection (lue par GDAL et QGIS).',
    tag: 'OGC API – Features',
    produces: ['application/vnd.oai.openapi+json;version=3.0'],
  }),
  endpoint({
    method: 'get',
    path: '/ogc/collections',
    summary: 'Les collections : une par couche de l’atlas, plus une par type de démarche (CLS, ASV, CLSM, PTSM).',
    tag: 'OGC API – Features',
    query: formatQuerySchema,
    response: collectionsSchema,
    produces: HTML_JSON,
  }),
  endpoint({
    method: 'get',
    path: '/ogc/collections/:collectionId',
    summary: 'Description d’une collection : titre, source, millésime, emprise, liens vers ses objets.',
    tag: 'OGC API – Features',
    params: collectionParams,
    query: formatQuerySchema,
    response: collectionSchema,
    produces: HTML_JSON,
  }),
  endpoint({
    method: 'get',
    path: '/ogc/collections/:collectionId/items',
    summary: 'Objets d’une collection en GeoJSON, par pages (limit, offset), filtrés par emprise (bbox) et par attribut.',
    description:
      'Géométrie simplifiée quand la bbox est grande (tolérance donnée dans « simplification »), complète sinon. ' +
      'Filtres : departement, region, epci, arrondissement, type, status selon la collection (voir /ogc/api).',
    tag: 'OGC API – Features',
    params: collectionParams,
    query: itemsQuerySchema,
    response: featureCollectionSchema,
    produces: ['application/geo+json', 'text/html'],
  }),
  endpoint({
    method: 'get',
    path: '/ogc/collections/:collectionId/items/:featureId',
    summary: 'Un objet d’une collection, géométrie complète.',
    tag: 'OGC API – Features',
    params: collectionParams.extend({ featureId: featureIdSchema }),
    query: itemQuerySchema,
    response: featureSchema,
    produces: ['application/geo+json', 'text/html'],
  }),
  endpoint({
    method: 'get',
    path: '/tiles/:layers.json',
    summary:
      'TileJSON 3.0 d’une source de tuiles vectorielles (une couche ou plusieurs entre accolades) : URL des tuiles, zooms, emprise, couches et champs.',
    tag: 'Tuiles',
    params: tileSourceParamsSchema,
    response: tileJsonSchema,
  }),
];
