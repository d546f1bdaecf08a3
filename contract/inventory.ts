// The registry's completeness over HTTP: per (région or département, scheme type) the
// declared inventory status — inconnu, partiel, complet au <date> — read by anyone, set
// by the planner of the région or an admin with a comment, every change kept.
import { z } from 'zod';
import { endpoint } from './endpoint.ts';

export const INVENTORY_TYPES = ['CLS', 'ASV', 'CLSM', 'PTSM', 'CPTS'] as const;
export const INVENTORY_STATUSES = ['inconnu', 'partiel', 'complet'] as const;

export const inventoryZoneSchema = z
  .string()
  .regex(/^(region|departement):[0-9AB]{2,3}$/, { message: 'zone attendue : region:84 ou departement:63' });
export const inventoryTypeSchema = z.enum(INVENTORY_TYPES, { message: 'type attendu : CLS, ASV, CLSM, PTSM ou CPTS' });
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'date attendue sous la forme AAAA-MM-JJ' });

/** What a coverage answer says about the registry it counts from. */
export const zoneInventorySchema = z.object({
  status: z.enum(INVENTORY_STATUSES),
  completeAt: isoDate.nullable(),
  known: z.number().int(),
  wording: z.string(),
});

/** What a coverage answer says about the fictitious units it used. */
export const fictionSchema = z.object({
  fictitious: z.boolean(),
  count: z.number().int(),
  wording: z.string().nullable(),
});

export const inventoryRowSchema = z.object({
  zone: z.string(),
  zoneName: z.string().nullable(),
  type: inventoryTypeSchema,
  status: z.enum(INVENTORY_STATUSES),
  completeAt: isoDate.nullable(),
  comment: z.string().nullable(),
  updatedAt: z.string().nullable(),
  updatedBy: z.string().nullable(),
});

export const setInventorySchema = z
  .object({
    status: z.enum(INVENTORY_STATUSES, { message: 'statut attendu : inconnu, partiel ou complet' }),
    completeAt: isoDate.nullable().default(null),
    comment: z
      .string()
      .trim()
      .min(3, { message: 'un commentaire est requis (3 caractères au moins) : d’où vient cet état ?' })
      .max(1000, { message: '1000 caractères au plus' }),
  })
  .strict()
  .refine((v) => v.status !== 'complet' || v.completeAt !== null, {
    message: 'un inventaire complet doit être daté',
    path: ['completeAt'],
  })
  .transform((v) => ({ ...v, completeAt: v.status === 'complet' ? v.completeAt : null }));

const zoneTypeParams = z.object({ zone: inventoryZoneSchema, type: inventoryTypeSchema });

export const listInventory = endpoint({
  method: 'get',
  path: '/api/inventory',
  summary: 'État d’inventaire du registre d’une région et de ses départements, par type de démarche.',
  tag: 'Registre',
  query: z.object({ region: z.string().regex(/^[0-9]{2}$/, { message: 'code région attendu (2 chiffres)' }) }),
  response: z.object({ region: z.string(), entries: z.array(inventoryRowSchema) }),
});
export const putInventory = endpoint({
  method: 'put',
  path: '/api/inventory/:zone/:type',
  summary: 'Déclarer l’état d’inventaire d’une zone pour un type (planificateur de la région ou administrateur).',
  tag: 'Registre',
  params: zoneTypeParams,
  body: setInventorySchema,
  response: z.object({ entry: inventoryRowSchema }),
});
export const inventoryHistoryEndpoint = endpoint({
  method: 'get',
  path: '/api/inventory/:zone/:type/history',
  summary: 'Historique des déclarations d’inventaire d’une zone pour un type.',
  tag: 'Registre',
  params: zoneTypeParams,
  response: z.object({
    history: z.array(
      z.object({
        at: z.string(),
        status: z.enum(INVENTORY_STATUSES),
        completeAt: isoDate.nullable(),
        comment: z.string().nullable(),
        by: z.string().nullable(),
      }),
    ),
  }),
});

export const endpoints = [listInventory, putInventory, inventoryHistoryEndpoint];
