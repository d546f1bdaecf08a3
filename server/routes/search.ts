// GET /api/search?q=…[&layers=a,b][&limit=n]: territories by name or code.
import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../db/db.ts';
import { badRequest } from '../errors.ts';
import { SCHEME_TYPE_LAYERS } from '../layers.ts';
import { searchTerritories } from '../queries/search.ts';
import { asCode, searchKey } from '../search/normalize.ts';

// Letters of any alphabet, digits, spaces and the punctuation of place names.
const ALLOWED = /^[\p{L}\p{M}0-9 '’\-.,()/]+$/u;

const querySchema = z.object({
  q: z
    .string({ message: 'le paramètre q (texte recherché) est obligatoire' })
    .trim()
    .min(1, { message: 'le texte recherché est vide' })
    .max(100, { message: 'le texte recherché dépasse 100 caractères' })
    .regex(ALLOWED, {
      message: 'le texte recherché contient des caractères non autorisés (seuls lettres, chiffres, espaces et ’ - . , ( ) / sont acceptés)',
    }),
  layers: z
    .string()
    .regex(/^[a-z-]+(,[a-z-]+)*$/, { message: 'liste de couches invalide (ex. : commune,epci)' })
    .optional(),
  limit: z.coerce.number({ message: 'limit doit être un nombre' }).int().min(1).max(50).default(10),
});

export function searchRoutes(db: Db): Router {
  const router = Router();
  router.get('/search', async (req, res) => {
    const { q, layers, limit } = querySchema.parse(req.query);
    const key = searchKey(q);
    const code = asCode(q);
    if (!key && !code) throw badRequest('Le texte recherché ne contient ni lettre ni chiffre.');
    const layerList = layers ? layers.split(',').map((l) => (SCHEME_TYPE_LAYERS[l] ? 'scheme' : l)) : null;
    const hits = await searchTerritories(db, key, code, layerList, limit);
    res.json({ query: q, results: hits });
  });
  return router;
}
