// The registry published as open data: the files under /api/open-data/ (CSV with their
// Table Schema, GeoJSON, DCAT-AP description for national portals) and the listing that
// gives each one's schema, date and checksum.
import { z } from 'zod';
import { endpoint } from './endpoint.ts';

/** Every published file, by the name it has in the URL and in the exported folder. */
export const OPEN_DATA_FILES = [
  'demarches.csv',
  'demarches-communes.csv',
  'demarches.geojson',
  'schema-demarches.json',
  'schema-demarches-communes.json',
] as const;
export type OpenDataFileName = (typeof OPEN_DATA_FILES)[number];

/** The DCAT-AP (JSON-LD) description that a portal harvests. */
export const DCAT_FILE = 'dcat.jsonld';

export const LICENCE = {
  name: 'etalab-2.0',
  title: 'Licence Ouverte / Open Licence version 2.0',
  url: 'https://www.etalab.gouv.fr/licence-ouverte-open-licence/',
} as const;

export const openDataFileParamsSchema = z.strictObject({
  file: z.enum([...OPEN_DATA_FILES, DCAT_FILE], {
    message: `fichier attendu : ${[...OPEN_DATA_FILES, DCAT_FILE].join(', ')}`,
  }),
});

export const openDataFileSchema = z.strictObject({
  name: z.enum(OPEN_DATA_FILES),
  title: z.string(),
  url: z.string(),
  mediaType: z.string(),
  schema: z
    .string()
    .nullable()
    .meta({ description: 'Adresse du Table Schema qui décrit le fichier ; null pour un fichier qui n’en a pas.' }),
  modified: z.string().meta({ description: 'Date de la dernière modification du contenu (ISO 8601).' }),
  bytes: z.number().int().min(0),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type OpenDataFile = z.infer<typeof openDataFileSchema>;

export const openDataIndexSchema = z.strictObject({
  title: z.string(),
  description: z.string(),
  licence: z.strictObject({ name: z.string(), title: z.string(), url: z.string() }),
  modified: z.string(),
  cogVintage: z.string().meta({ description: 'Millésime du COG des codes communes publiés, ex. « 2025 ».' }),
  dcat: z.string().meta({ description: 'Adresse de la description DCAT-AP (JSON-LD) du jeu de données.' }),
  files: z.array(openDataFileSchema),
});
export type OpenDataIndex = z.infer<typeof openDataIndexSchema>;

export const endpoints = [
  endpoint({
    method: 'get',
    path: '/api/open-data',
    tag: 'Données ouvertes',
    summary: 'Liste des fichiers publiés du registre, avec leur schéma, leur date et leur empreinte SHA-256.',
    response: openDataIndexSchema,
  }),
  endpoint({
    method: 'get',
    path: '/api/open-data/:file',
    tag: 'Données ouvertes',
    summary: 'Un fichier publié : registre (CSV), communes des démarches (CSV), périmètres (GeoJSON), schémas, ou description DCAT-AP.',
    description:
      'Sous Licence Ouverte 2.0, sans donnée personnelle. Les identifiants des démarches sont stables. ETag = empreinte SHA-256 du fichier.',
    params: openDataFileParamsSchema,
    produces: ['text/csv', 'application/geo+json', 'application/schema+json', 'application/ld+json'],
  }),
];
