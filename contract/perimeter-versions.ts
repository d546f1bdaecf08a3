// The versions of perimeter imports: every import of a perimeter file is recorded (who,
// when, which file, which scope, what it changed) and can be undone, which restores the
// scope exactly as it was before. Planners see and undo the imports of their région,
// administrators all of them.
import { z } from 'zod';
import { endpoint } from './endpoint.ts';

const unit = z.object({ code: z.string(), name: z.string(), fictif: z.boolean().optional() });

export const versionSchema = z.object({
  id: z.number().int(),
  layer: z.string(),
  scope: z.object({ kind: z.enum(['departement', 'region', 'pays']), code: z.string().nullable(), label: z.string() }),
  region: z.string().nullable(),
  file: z.string(),
  author: z.string(),
  createdAt: z.string(),
  changes: z.object({
    added: z.array(unit),
    replaced: z.array(unit),
    removed: z.array(unit),
    rekeyed: z.number().int(),
    unknown: z.number().int(),
    perimeters: z.number().int(),
    memberships: z.number().int(),
  }),
  undoneAt: z.string().nullable(),
  undoneBy: z.string().nullable(),
  /** The signed-in user may undo it (their région, or an administrator, and not undone yet). */
  canUndo: z.boolean(),
});

export type PerimeterVersionOut = z.infer<typeof versionSchema>;

export const versionsQuery = z.object({
  layer: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, { message: 'identifiant de couche attendu (lettres minuscules, chiffres, tirets)' }),
});

export const versionParams = z.object({
  id: z.coerce.number({ message: 'numéro d’import attendu' }).int().positive({ message: 'numéro d’import attendu' }),
});

export const endpoints = {
  list: endpoint({
    method: 'get',
    path: '/api/perimeters/versions',
    summary: 'Liste les imports de périmètres d’une couche (auteur, date, fichier, zone, changements), du plus récent au plus ancien.',
    tag: 'Imports',
    query: versionsQuery,
    response: z.object({ versions: z.array(versionSchema) }),
  }),
  undo: endpoint({
    method: 'post',
    path: '/api/perimeters/versions/:id/undo',
    summary: 'Annule un import de périmètres : rétablit la zone de l’import telle qu’elle était avant lui.',
    tag: 'Imports',
    params: versionParams,
    response: z.object({
      undone: z.object({ id: z.number().int(), layer: z.string(), removed: z.number().int(), restored: z.number().int() }),
    }),
  }),
};
