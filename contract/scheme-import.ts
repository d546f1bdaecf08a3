// Bulk scheme import from an ARS spreadsheet (server/registry/bulk-import.ts): the body
// is the CSV file itself; a dry run (the default) reports what would happen, row by row.
import { z } from 'zod';
import { endpoint } from './endpoint.ts';

const candidate = z.object({ code: z.string(), name: z.string(), kind: z.enum(['commune', 'epci']) });

export const schemeImportReportSchema = z.object({
  scope: z.object({ kind: z.enum(['region', 'departement']), code: z.string() }),
  layout: z.enum(['scheme', 'commune']),
  encoding: z.string(),
  dryRun: z.boolean(),
  counts: z.object({ created: z.number(), updated: z.number(), unchanged: z.number(), rejected: z.number() }),
  schemes: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      lines: z.array(z.number()),
      outcome: z.enum(['created', 'updated', 'unchanged', 'rejected']),
      reasons: z.array(z.string()),
      communeCount: z.number(),
      region: z.string().nullable(),
      rekeyed: z.array(z.object({ from: z.string(), to: z.string() })),
      names: z.array(candidate.extend({ name: z.string() })),
      ambiguous: z.array(z.object({ name: z.string(), candidates: z.array(candidate) })),
      unknown: z.array(z.string()),
    }),
  ),
});

export const schemeImportQuerySchema = z.object({
  scope: z
    .string({ message: 'zone du fichier requise : departement:63 ou region:84' })
    .regex(/^(region|departement):[0-9AB]{2,3}$/, { message: 'zone attendue : region:84 ou departement:63' })
    .transform((v) => {
      const [kind, code] = v.split(':') as ['region' | 'departement', string];
      return { kind, code };
    }),
  mode: z.enum(['dry-run', 'apply'], { message: 'mode attendu : dry-run (par défaut) ou apply' }).default('dry-run'),
  fileName: z
    .string()
    .max(200, { message: 'nom de fichier trop long' })
    .regex(/^[^<>\r\n]*$/, { message: 'nom de fichier invalide' })
    .default('fichier sans nom'),
});

export const schemeImport = endpoint({
  method: 'post',
  path: '/api/schemes/import',
  summary: 'Importer des démarches depuis un tableur (CSV) d’ARS : essai à blanc par défaut, puis application.',
  description:
    'Une ligne par démarche (périmètre : liste de codes ou de noms de communes ou d’EPCI) ou une ligne par (démarche, commune). Les noms sont cherchés dans la zone du fichier ; un nom ambigu est signalé, jamais deviné. Fusion par identifiant ; chaque démarche est créée, mise à jour, inchangée ou rejetée avec la raison. Un planificateur n’importe que dans sa région.',
  tag: 'Registre',
  query: schemeImportQuerySchema,
  response: schemeImportReportSchema,
});

export const endpoints = [schemeImport];
