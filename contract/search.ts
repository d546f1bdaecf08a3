// GET /api/search: territories, perimeters and schemes by name or code.
import { z } from 'zod';
import { endpoint } from './endpoint.ts';

export const searchQuery = z.object({
  q: z.string().max(200).default(''),
  /** Only these layers: ids of /api/layers, scheme types (cls, asv, clsm, ptsm) accepted. */
  layers: z
    .string()
    .regex(/^[a-z-]+(,[a-z-]+)*$/)
    .optional(),
  limit: z.coerce.number().int().min(1).max(50).default(10),
  region: z
    .string()
    .regex(/^\d{2}$/)
    .optional()
    .describe(
      'Code INSEE de la région (84 pour Auvergne-Rhône-Alpes) : seulement ce qui s’y trouve, même en partie ' +
        '(une intercommunalité, un PETR, une CPTS ou une démarche à cheval sur deux régions sort dans les deux). ' +
        'Sans ce paramètre, toute la France.',
    ),
  departement: z
    .string()
    .regex(/^(\d{2}|2[AB]|97\d)$/)
    .optional()
    .describe('Code INSEE du département (63, 2A, 974) : seulement ce qui s’y trouve, même en partie.'),
});

export const searchHit = z.object({
  layer: z.string(),
  code: z.string(),
  name: z.string(),
  type: z.string().nullable(),
  population: z.number().nullable(),
  detail: z.string().nullable(),
  via: z.string().nullable(),
});
export type SearchHit = z.infer<typeof searchHit>;

export const searchAnswer = z.object({ query: z.string(), results: z.array(searchHit) });

export const endpoints = {
  search: endpoint({
    method: 'get',
    path: '/api/search',
    tag: 'Recherche',
    summary: 'Recherche de territoires, périmètres et démarches par nom ou code.',
    description:
      'Insensible aux accents, tirets et majuscules ; les mots peuvent être dans le désordre et abrégés (« cls issoire », « cc du grand figeac ») ; ' +
      'les mots de couche (cls, cpts, epci, pnr, « communauté de communes »…) restreignent ou favorisent la couche ; fautes de frappe tolérées ; ' +
      'anciens codes et communes déléguées mènent à la commune actuelle ; « region » ou « departement » gardent ce qui se trouve, ' +
      'même en partie, dans une région ou un département (la recherche d’un planificateur est limitée à sa région par défaut).',
    query: searchQuery,
    response: searchAnswer,
  }),
};
