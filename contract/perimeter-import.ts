// POST /api/perimeters/import: a planner's or an administrator's perimeter file (CSV list
// of communes, GeoJSON, zipped shapefile) replaces a layer's units within a zone. It runs
// as a job (contract/jobs.ts) that ends with the import report described here.
import { z } from 'zod';
import { endpoint } from './endpoint.ts';
import { acceptedJobSchema } from './jobs.ts';

export const PERIMETER_IMPORT_LAYERS = ['cpts', 'secteur-psy-adulte', 'secteur-psy-enfant', 'other'] as const;

export const perimeterImportQuery = z.object({
  layer: z.enum(PERIMETER_IMPORT_LAYERS, { message: 'couche attendue : cpts, secteur-psy-adulte, secteur-psy-enfant ou other' }),
  name: z.string().trim().max(80).optional(),
  dryRun: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  region: z
    .string()
    .regex(/^\d{2}$/, { message: 'code région à 2 chiffres' })
    .optional(),
  scope: z
    .string()
    .regex(/^(pays|france|(departement|region):[0-9AB]{2,3})$/i, { message: 'zone attendue : departement:63, region:84 ou pays' })
    .optional(),
  filename: z
    .string()
    .max(120)
    .regex(/^[\p{L}\p{N} ._()-]+\.(csv|txt|geojson|json|zip)$/iu, { message: 'nom de fichier attendu en .csv, .geojson ou .zip' })
    .default('perimetres.csv'),
});

const unitRef = z.object({ code: z.string(), name: z.string(), fictif: z.boolean().optional() });

/** What an import did or would do (dry run), or why it was refused (then nothing was written). */
export const perimeterImportReportSchema = z.object({
  status: z.enum(['imported', 'dry-run', 'rejected']),
  file: z.string(),
  format: z.enum(['csv', 'geojson', 'shapefile']).nullable(),
  layer: z.object({ id: z.string(), name: z.string() }).nullable(),
  /** CSV: encoding, separator and the columns used; polygons: projection and attributes used. */
  source: z.record(z.string(), z.string().nullable()),
  rowsRead: z.number().int(),
  rowsIgnored: z.array(z.object({ line: z.number().int(), reason: z.string() })),
  perimeters: z.number().int(),
  communesMatched: z.number().int(),
  memberships: z.number().int(),
  sharedCommunes: z.array(z.object({ commune: z.string(), perimeters: z.array(z.string()) })),
  outsideRegion: z.array(z.object({ commune: z.string(), name: z.string(), region: z.string(), perimeters: z.array(z.string()) })),
  rekeyed: z.array(z.object({ from: z.string(), to: z.string() })),
  unknown: z.array(z.object({ code: z.string(), perimeters: z.array(z.string()) })),
  partial: z.array(z.object({ perimeter: z.string(), commune: z.string(), share: z.number(), listed: z.array(z.string()) })),
  duplicates: z.array(z.object({ perimeter: z.string(), commune: z.string() })),
  emptyPerimeters: z.array(z.string()),
  invalidGeometries: z.array(z.object({ perimeter: z.string(), feature: z.number().int(), reason: z.string() })),
  warnings: z.array(z.string()),
  /** Fatal problems: when not empty, nothing was written. */
  errors: z.array(z.string()),
  /** Units of the layer within the scope before the import (deleted by a real run). */
  replaced: z.object({ perimeters: z.number().int(), fictif: z.number().int() }).nullable(),
  /** The zone whose units the import replaces. */
  scope: z.object({ kind: z.string(), code: z.string().nullable(), label: z.string() }).nullable(),
  /** Units added, replaced and removed within the scope. */
  changes: z.object({ added: z.array(unitRef), replaced: z.array(unitRef), removed: z.array(unitRef) }).nullable(),
  /** Number of the version a real run recorded (to undo it). */
  version: z.number().int().nullable(),
  durationMs: z.number(),
});
export type PerimeterImportReport = z.infer<typeof perimeterImportReportSchema>;

export const endpoints = {
  upload: endpoint({
    method: 'post',
    path: '/api/perimeters/import',
    summary:
      'Dépose un fichier de périmètres (CSV, GeoJSON, shapefile zippé) qui remplace les unités d’une couche dans une zone : l’import part en tâche de fond (202, Location).',
    description:
      'Le corps est le fichier. La tâche se termine par le rapport d’import (recodages, codes inconnus, communes partielles, changements).',
    tag: 'Imports',
    query: perimeterImportQuery,
    response: acceptedJobSchema,
    status: 202,
  }),
};
