// The scheme registry over HTTP: the registry as a table, one scheme with its communes,
// create / edit (If-Match on the version read) / close, history, referents per commune
// and the communes without a referent known, and the registry's CSV export.
import { z } from 'zod';
import { BEARER_TYPES, codeSchema, communeCodeSchema, jsonCsvGeojsonFormat, SCHEME_TYPES, STATUSES, THEMES } from './domain.ts';
import { endpoint } from './endpoint.ts';
import { zoneInventorySchema } from './inventory.ts';

const date = z
  .string()
  .regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, { message: 'date attendue sous la forme AAAA, AAAA-MM ou AAAA-MM-JJ' })
  .nullable();
const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max, { message: `${max} caractères au plus` });

/** Pasted codes: commune codes separated by spaces, commas, semicolons or new lines. */
const pasted = z
  .string()
  .max(100_000, { message: 'liste collée trop longue' })
  .transform((v) => v.split(/[\s,;]+/).filter(Boolean));

export const perimeterSchema = z
  .object({
    communes: z.array(z.string().max(10)).max(5000).default([]),
    epci: z.array(codeSchema).max(100).default([]),
    petr: z.array(codeSchema).max(20).default([]),
    pnr: z.array(codeSchema).max(20).default([]),
    pasted: pasted.default([]),
  })
  .strict();

export type PerimeterInput = z.infer<typeof perimeterSchema>;

/** The editable fields of a scheme, each with its French refusal. */
export const schemeFields = {
  type: z.enum(SCHEME_TYPES, { message: 'type attendu : CLS, ASV, CLSM ou PTSM' }),
  name: text(200).min(3, { message: 'nom trop court (3 caractères au moins)' }),
  bearerType: z.enum(BEARER_TYPES, { message: `type de porteur attendu : ${BEARER_TYPES.join(', ')}` }).nullable(),
  bearerName: text(200).nullable(),
  perimeter: perimeterSchema,
  signatureDate: date,
  generation: z.number().int().min(1).max(20).nullable(),
  status: z.enum(STATUSES, { message: `statut attendu : ${STATUSES.join(', ')}` }),
  endDate: date,
  coordinationFte: z.number().min(0).max(50, { message: 'ETP de coordination entre 0 et 50' }).nullable(),
  themes: z.array(z.enum(THEMES, { message: 'thématique inconnue' })).max(THEMES.length),
  signatories: z.array(text(200).min(1)).max(50),
  remark: text(2000).nullable(),
};

export const createSchemeSchema = z
  .object({
    code: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{2,63}$/, { message: 'minuscules, chiffres et tirets attendus (3 à 64 caractères)' })
      .optional(),
    ...schemeFields,
    bearerType: schemeFields.bearerType.default(null),
    bearerName: schemeFields.bearerName.default(null),
    perimeter: schemeFields.perimeter.default({ communes: [], epci: [], petr: [], pnr: [], pasted: [] }),
    signatureDate: schemeFields.signatureDate.default(null),
    generation: schemeFields.generation.default(null),
    status: schemeFields.status.default('en_cours'),
    endDate: schemeFields.endDate.default(null),
    coordinationFte: schemeFields.coordinationFte.default(null),
    themes: schemeFields.themes.default([]),
    signatories: schemeFields.signatories.default([]),
    remark: schemeFields.remark.default(null),
  })
  .strict();

export const patchSchemeSchema = z.object(schemeFields).partial().strict();

export const referentSchema = z
  .object({
    name: text(200).min(2, { message: 'nom de l’élu trop court' }).nullable().default(null),
    delegation: text(200).nullable().default(null),
    email: z.string().trim().email({ message: 'adresse électronique invalide' }).max(200).nullable().default(null),
    phone: z
      .string()
      .trim()
      .regex(/^[+0-9 .()-]{6,30}$/, { message: 'numéro de téléphone invalide' })
      .nullable()
      .default(null),
    hasCommittee: z.boolean().default(false),
  })
  .strict();

export const schemesQuery = z.object({
  type: z
    .enum(['CLS', 'ASV', 'CLSM', 'PTSM', 'cls', 'asv', 'clsm', 'ptsm'], { message: 'type attendu : CLS, ASV, CLSM ou PTSM' })
    .transform((t) => t.toUpperCase())
    .optional(),
});
export const schemeParams = z.object({ code: codeSchema });
export const referentParams = z.object({ code: codeSchema, commune: communeCodeSchema });
export const referentGapsQuery = z.object({ format: jsonCsvGeojsonFormat });

/** A row of the registry table. */
export const schemeSummarySchema = z.object({
  code: z.string(),
  type: z.string(),
  name: z.string(),
  status: z.string().nullable(),
  bearerType: z.string().nullable(),
  bearerName: z.string().nullable(),
  startDate: z.string().nullable(),
  coordinationFte: z.number().nullable(),
  communeCount: z.number().int().nullable(),
  population: z.number().nullable(),
  areaKm2: z.number().nullable(),
  perimeterKnown: z.boolean(),
});

/** One scheme as the registry holds it (ETag = its version). */
export const schemeRecordSchema = z.object({
  code: z.string(),
  type: z.string(),
  name: z.string(),
  bearerType: z.string().nullable(),
  bearerName: z.string().nullable(),
  perimeterRef: z.string().nullable(),
  signatureDate: z.string().nullable(),
  generation: z.number().int().nullable(),
  status: z.string(),
  endDate: z.string().nullable(),
  coordinationFte: z.number().nullable(),
  themes: z.array(z.string()),
  signatories: z.array(z.string()),
  region: z.string().nullable(),
  source: z.string().nullable(),
  /** reference | saisie | import | signalement */
  sourceKind: z.string().nullable(),
  sourceDate: z.string().nullable(),
  remark: z.string().nullable(),
  version: z.number().int(),
  communes: z.array(z.object({ code: z.string(), share: z.number().nullable() })),
});

const rekeyedSchema = z.array(z.object({ from: z.string(), to: z.string() }));
export const schemeWriteAnswer = z.object({ scheme: schemeRecordSchema, rekeyed: rekeyedSchema });

export const historyEntrySchema = z.object({
  id: z.number().int(),
  version: z.number().int(),
  at: z.string(),
  /** Editor's name and role; their e-mail only for admins. */
  userName: z.string().nullable(),
  userRole: z.string().nullable(),
  userEmail: z.string().nullable(),
  action: z.string(),
  before: z.record(z.string(), z.unknown()).nullable(),
  after: z.record(z.string(), z.unknown()).nullable(),
});

export const referentRowSchema = z.object({
  commune: z.string(),
  communeName: z.string(),
  population: z.number().nullable(),
  name: z.string().nullable(),
  delegation: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  hasCommittee: z.boolean().nullable(),
});

export const referentsAnswer = z.object({
  scheme: z.object({ code: z.string(), name: z.string(), version: z.number().int() }),
  contactsShown: z.boolean(),
  communes: z.array(referentRowSchema),
});

export const referentGapsAnswer = z.object({
  scheme: z.object({ code: z.string(), name: z.string() }),
  communeCount: z.number().int(),
  withoutReferent: z.object({
    count: z.number().int(),
    population: z.number(),
    communes: z.array(
      z.object({ code: z.string(), name: z.string(), population: z.number().nullable(), hasCommittee: z.boolean().nullable() }),
    ),
  }),
  /** What the list is: never a complete fact ("sans élu référent connu"). */
  inventory: zoneInventorySchema,
});

const tag = 'Registre';
export const endpoints = {
  list: endpoint({
    method: 'get',
    path: '/api/schemes',
    tag,
    summary: 'Le registre des démarches sous forme de tableau (CLS, ASV, CLSM, PTSM), filtrable par type.',
    query: schemesQuery,
    response: z.object({ schemes: z.array(schemeSummarySchema) }),
  }),
  create: endpoint({
    method: 'post',
    path: '/api/schemes',
    tag,
    summary: 'Crée une démarche avec son périmètre (planificateur de la région ou administrateur).',
    body: createSchemeSchema,
    response: schemeWriteAnswer,
    status: 201,
  }),
  get: endpoint({
    method: 'get',
    path: '/api/schemes/:code',
    tag,
    summary: 'Une démarche et ses communes ; l’en-tête ETag porte sa version.',
    params: schemeParams,
    response: z.object({ scheme: schemeRecordSchema }),
  }),
  update: endpoint({
    method: 'patch',
    path: '/api/schemes/:code',
    tag,
    summary: 'Modifie une démarche ; If-Match (version lue) obligatoire, une modification concurrente reçoit 409.',
    params: schemeParams,
    body: patchSchemeSchema,
    response: schemeWriteAnswer,
  }),
  close: endpoint({
    method: 'delete',
    path: '/api/schemes/:code',
    tag,
    summary: 'Clôt une démarche (statut « terminé », date de fin) ; If-Match facultatif.',
    params: schemeParams,
    response: z.object({ scheme: schemeRecordSchema }),
  }),
  history: endpoint({
    method: 'get',
    path: '/api/schemes/:code/history',
    tag,
    summary: 'Historique des modifications d’une démarche : qui (nom et rôle), quand, avant, après.',
    params: schemeParams,
    response: z.object({ history: z.array(historyEntrySchema) }),
  }),
  referents: endpoint({
    method: 'get',
    path: '/api/schemes/:code/referents',
    tag,
    summary:
      'Élus référents santé par commune ; coordonnées visibles du coordinateur, du planificateur de la région et des administrateurs.',
    params: schemeParams,
    response: referentsAnswer,
  }),
  saveReferent: endpoint({
    method: 'put',
    path: '/api/schemes/:code/referents/:commune',
    tag,
    summary: 'Enregistre l’élu référent santé d’une commune de la démarche (réponse 204).',
    params: referentParams,
    body: referentSchema,
    status: 204,
  }),
  deleteReferent: endpoint({
    method: 'delete',
    path: '/api/schemes/:code/referents/:commune',
    tag,
    summary: 'Efface l’élu référent santé d’une commune de la démarche (réponse 204).',
    params: referentParams,
    status: 204,
  }),
  referentGaps: endpoint({
    method: 'get',
    path: '/api/schemes/:code/referent-gaps',
    tag,
    summary: 'Communes de la démarche sans élu référent connu (JSON, CSV ou GeoJSON).',
    params: schemeParams,
    query: referentGapsQuery,
    response: referentGapsAnswer,
    produces: ['text/csv', 'application/geo+json'],
  }),
  exportCsv: endpoint({
    method: 'get',
    path: '/api/registry/export.csv',
    tag,
    summary: 'Le registre entier au format CSV, tel que l’import le relit.',
    produces: ['text/csv'],
  }),
};
