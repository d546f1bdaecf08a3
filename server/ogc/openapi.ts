// The OpenAPI 3.0 description of the OGC API – Features service (/ogc/api, conformance
// class "OpenAPI 3.0"). GDAL and QGIS read it to learn which attribute filters a collection
// accepts (they send `departement=46` to the server instead of filtering every feature
// themselves) and the largest `limit`; so each collection gets its own items path, with
// its own filters.
import { OGC_DEFAULT_LIMIT, OGC_MAX_LIMIT } from '../../contract/ogc.ts';
import type { Collection } from './catalogue.ts';

const FILTER_DESCRIPTIONS: Record<string, string> = {
  departement: 'Code du département (principal, pour un périmètre) : 46, 2A, 971',
  region: 'Code de la région (du département principal, pour un périmètre) : 76',
  epci: 'SIREN de l’EPCI de la commune',
  arrondissement: 'Code de l’arrondissement de la commune',
  type: 'Type (nature d’EPCI, génération de QPV, type de démarche CLS, ASV, CLSM, PTSM)',
  status: 'Statut de la démarche : en_cours, en_elaboration, termine…',
};

const GEOJSON_RESPONSE = {
  '200': {
    description: 'GeoJSON',
    content: { 'application/geo+json': { schema: { type: 'object' } }, 'text/html': { schema: { type: 'string' } } },
  },
  '400': { description: 'Paramètre invalide', content: { 'application/problem+json': { schema: { type: 'object' } } } },
  '404': { description: 'Introuvable', content: { 'application/problem+json': { schema: { type: 'object' } } } },
};

const JSON_RESPONSE = {
  '200': {
    description: 'JSON',
    content: { 'application/json': { schema: { type: 'object' } }, 'text/html': { schema: { type: 'string' } } },
  },
};

const f = {
  name: 'f',
  in: 'query',
  required: false,
  schema: { type: 'string', enum: ['json', 'html'] },
  description: 'Format de la réponse',
};

export function openApiDocument(root: string, collections: Collection[]): object {
  const paths: Record<string, object> = {
    '/': { get: { summary: 'Page d’accueil', operationId: 'getLandingPage', parameters: [f], responses: JSON_RESPONSE } },
    '/conformance': { get: { summary: 'Classes de conformité', operationId: 'getConformance', parameters: [f], responses: JSON_RESPONSE } },
    '/collections': { get: { summary: 'Collections', operationId: 'getCollections', parameters: [f], responses: JSON_RESPONSE } },
  };
  for (const c of collections) {
    const base = `/collections/${c.id}`;
    paths[base] = { get: { summary: c.title, operationId: `describe-${c.id}`, parameters: [f], responses: JSON_RESPONSE } };
    paths[`${base}/items`] = {
      get: {
        summary: `Objets : ${c.title}`,
        operationId: `items-${c.id}`,
        parameters: [
          {
            name: 'bbox',
            in: 'query',
            required: false,
            style: 'form',
            explode: false,
            schema: { type: 'array', minItems: 4, maxItems: 4, items: { type: 'number' } },
            description: 'minLon,minLat,maxLon,maxLat (WGS84)',
          },
          {
            name: 'limit',
            in: 'query',
            required: false,
            schema: { type: 'integer', minimum: 1, maximum: OGC_MAX_LIMIT, default: OGC_DEFAULT_LIMIT },
          },
          { name: 'offset', in: 'query', required: false, schema: { type: 'integer', minimum: 0, default: 0 } },
          {
            name: 'properties',
            in: 'query',
            required: false,
            style: 'form',
            explode: false,
            schema: { type: 'array', items: { type: 'string', enum: c.properties.map((p) => p.name) } },
          },
          ...c.filters.map((name) => ({
            name,
            in: 'query',
            required: false,
            schema: { type: 'string' },
            description: FILTER_DESCRIPTIONS[name],
          })),
          f,
        ],
        responses: GEOJSON_RESPONSE,
      },
    };
    paths[`${base}/items/{featureId}`] = {
      get: {
        summary: `Un objet : ${c.title}`,
        operationId: `item-${c.id}`,
        parameters: [{ name: 'featureId', in: 'path', required: true, schema: { type: 'string' } }, f],
        responses: GEOJSON_RESPONSE,
      },
    };
  }
  return {
    openapi: '3.0.3',
    info: {
      title: 'Millefeuille — OGC API – Features',
      version: '1.0.0',
      description: 'Les couches de l’atlas des démarches territoriales de santé, en lecture seule.',
    },
    servers: [{ url: root }],
    paths,
  };
}
