// The scheme payloads accepted by the registry API, validated at the edge.
import { z } from 'zod';
import { codeSchema } from '../layers.ts';

export const SCHEME_TYPES = ['CLS', 'ASV', 'CLSM', 'PTSM'] as const;
export const STATUSES = ['en_elaboration', 'en_cours', 'termine'] as const;
export const BEARER_TYPES = [
  'COMMUNE',
  'EPCI',
  'PETR',
  'PNR',
  'ASSOCIATION',
  'CCAS',
  'EPSM',
  'SYNDICAT_MIXTE',
  'DEPARTEMENT',
  'AUTRE',
] as const;
export const THEMES = [
  'santé mentale',
  'accès aux soins',
  'alimentation et activité physique',
  'santé environnementale',
  'addictions',
  'santé des femmes',
  'logement',
  'périnatalité',
  'numérique',
  'personnes âgées',
  'handicap',
  'santé des jeunes',
  'prévention et promotion de la santé',
  'précarité',
  'vaccination',
  'cancers',
] as const;

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

const fields = {
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
      .regex(/^[a-z0-9][a-z0-9-]{2,63}$/, { message: 'code : minuscules, chiffres et tirets (3 à 64 caractères)' })
      .optional(),
    ...fields,
    bearerType: fields.bearerType.default(null),
    bearerName: fields.bearerName.default(null),
    perimeter: fields.perimeter.default({ communes: [], epci: [], petr: [], pnr: [], pasted: [] }),
    signatureDate: fields.signatureDate.default(null),
    generation: fields.generation.default(null),
    status: fields.status.default('en_cours'),
    endDate: fields.endDate.default(null),
    coordinationFte: fields.coordinationFte.default(null),
    themes: fields.themes.default([]),
    signatories: fields.signatories.default([]),
    remark: fields.remark.default(null),
  })
  .strict();

export const patchSchemeSchema = z.object(fields).partial().strict();

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

export function slugify(name: string): string {
  return name
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{Mn}/gu, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);
}

/** A registry CSV row, checked with the same rules as the API. */
export const importedSchemeSchema = z.object({
  code: z.string().regex(/^[0-9A-Za-z][0-9A-Za-z._-]{0,63}$/, { message: 'code invalide' }),
  type: fields.type,
  name: fields.name,
  bearerType: fields.bearerType,
  bearerName: fields.bearerName,
  themes: fields.themes,
  signatories: fields.signatories,
  remark: fields.remark,
  status: fields.status,
  signatureDate: fields.signatureDate,
  endDate: fields.endDate,
  coordinationFte: fields.coordinationFte,
  generation: fields.generation,
  communes: z.array(z.object({ code: z.string(), share: z.number().gt(0).max(1) })),
});
