// The service itself: health check (database reachable, reference data loaded and its
// vintage), the client's settings, the vector tiles, this API's own description, and the
// GIS entrances (TileJSON, OGC API – Features) described in contract/ogc.ts.
import { z } from 'zod';
import { endpoint } from './endpoint.ts';

export const healthSchema = z.object({
  status: z.literal('ok'),
  database: z.enum(['postgis', 'pglite']),
  /** The database is working through other statements (a long import): the vintage is the last one read. */
  busy: z.boolean(),
  vintage: z.string().nullable(),
  importedAt: z.union([z.string(), z.date()]).nullable(),
});

export const configSchema = z.object({
  basemapStyleUrl: z.string().nullable(),
  /** Base URL of static PMTiles archives (null: the live /tiles). */
  tilesUrl: z.string().nullable(),
});
export type ClientConfig = z.infer<typeof configSchema>;

export const tileParams = z.object({
  layers: z.string().describe('Une couche (commune) ou plusieurs entre accolades ({epci,scheme})'),
  z: z.string(),
  x: z.string(),
  y: z.string(),
});

export const endpoints = {
  health: endpoint({
    method: 'get',
    path: '/api/health',
    tag: 'Service',
    summary: 'État du service : base de données joignable, données de référence chargées et leur millésime (503 sinon).',
    response: healthSchema,
  }),
  config: endpoint({
    method: 'get',
    path: '/api/config',
    tag: 'Service',
    summary: 'Réglages utiles au client : fond de carte distant facultatif, adresse d’archives PMTiles statiques.',
    response: configSchema,
  }),
  openapi: endpoint({
    method: 'get',
    path: '/api/openapi.json',
    tag: 'Service',
    summary: 'Ce document : la description OpenAPI 3.1 de l’API, générée depuis ses schémas.',
    response: z.record(z.string(), z.unknown()),
  }),
  docs: endpoint({
    method: 'get',
    path: '/api/docs',
    tag: 'Service',
    summary: 'Page de référence lisible de l’API (HTML), générée depuis les mêmes schémas.',
    produces: ['text/html'],
  }),
  tile: endpoint({
    method: 'get',
    path: '/tiles/:layers/:z/:x/:y.mvt',
    tag: 'Tuiles',
    summary: 'Tuile vectorielle (Mapbox Vector Tile) d’une couche ou de plusieurs couches combinées ; 204 si vide.',
    params: tileParams,
    produces: ['application/vnd.mapbox-vector-tile'],
  }),
  ogcStyle: endpoint({
    method: 'get',
    path: '/ogc/style.css',
    tag: 'OGC API – Features',
    summary: 'Feuille de style des pages HTML du service OGC API – Features.',
    produces: ['text/css'],
  }),
};
