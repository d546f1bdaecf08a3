// GET /api/search: territories, perimeters and schemes by name or code.
import { z } from 'zod';
import { endpoint } from './endpoint.ts';

export const searchQuery = z.object({
  q: z.string({ message: 'un seul texte attendu' }).max(200, { message: 'trop longue (200 caractères au plus)' }).default(''),
  /** Only these layers: ids of /api/layers, scheme types (cls, asv, clsm, ptsm) accepted. */
  layers: z
    .string({ message: 'une seule liste attendue' })
    .regex(/^[a-z-]+(,[a-z-]+)*$/, { message: 'liste invalide (exemple : commune,epci)' })
    .optional(),
  limit: z.coerce
    .number({ message: 'un entier de 1 à 50 attendu' })
    .int({ message: 'un entier de 1 à 50 attendu' })
    .min(1, { message: 'un entier de 1 à 50 attendu' })
    .max(50, { message: 'un entier de 1 à 50 attendu' })
    .default(10),
  region: z
    .string({ message: 'un seul code attendu' })
    .regex(/^\d{2}$/, { message: 'code INSEE à deux chiffres attendu (exemple : 84)' })
    .optional()
    .describe(
      'Code INSEE de la région (84 pour Auvergne-Rhône-Alpes) : seulement ce qui s’y trouve, même en partie ' +
        '(une intercommunalité, un PETR, une CPTS ou une démarche à cheval sur deux régions sort dans les deux). ' +
        'Sans ce paramètre, toute la France.',
    ),
  departement: z
    .string({ message: 'un seul code attendu' })
    .regex(/^(\d{2}|2[AB]|97\d)$/, { message: 'code INSEE attendu (exemple : 63, 2A ou 974)' })
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
