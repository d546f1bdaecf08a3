// GET /api/search?q=…[&layers=a,b][&limit=n][&region=84|&departement=63]: territories by
// name or code, from an in-memory index rebuilt when the data changes
// (server/search/index.ts); the région and département filters are read there too.
import { Router } from 'express';
import { searchQuery } from '../../contract/search.ts';
import type { Db } from '../../core/db/db.ts';
import { badRequest } from '../errors.ts';
import { SCHEME_TYPE_LAYERS } from '../layers.ts';
import { loadSearchEntries } from '../queries/search.ts';
import { SearchIndex } from '../search/index.ts';
import { parseQuery } from '../search/query.ts';

// Letters of any alphabet, digits, spaces and the punctuation of place names; anything
// else (an emoji, a symbol) is dropped rather than refused.
const UNSUPPORTED = /[^\p{L}\p{M}0-9 '’\-.,()/]+/gu;

/** One index per data version; concurrent first searches share one build. */
export class SearchIndexCache {
  private built: { version: number; index: Promise<SearchIndex> } | null = null;

  constructor(
    private readonly db: Db,
    private readonly dataVersion: () => number,
  ) {}

  get(): Promise<SearchIndex> {
    const version = this.dataVersion();
    if (!this.built || this.built.version !== version) {
      const index = loadSearchEntries(this.db).then((entries) => new SearchIndex(entries));
      this.built = { version, index };
      index.catch(() => {
        if (this.built?.index === index) this.built = null;
      });
    }
    return this.built.index;
  }
}

export function searchRoutes(db: Db, dataVersion: () => number): Router {
  const router = Router();
  const cache = new SearchIndexCache(db, dataVersion);
  router.get('/search', async (req, res) => {
    const parsed = searchQuery.safeParse(req.query);
    if (!parsed.success) {
      const field = parsed.error.issues[0]?.path[0];
      throw badRequest(
        field === 'limit'
          ? 'Le nombre de résultats demandé doit être un entier de 1 à 50.'
          : field === 'layers'
            ? 'La liste des couches est invalide (exemple : commune,epci).'
            : field === 'region'
              ? 'La région doit être donnée par son code INSEE à deux chiffres (exemple : 84).'
              : field === 'departement'
                ? 'Le département doit être donné par son code INSEE (exemple : 63, 2A ou 974).'
                : 'Le texte recherché est trop long (200 caractères au plus).',
      );
    }
    const { q, layers, limit, region, departement } = parsed.data;
    const text = q.replace(UNSUPPORTED, ' ').trim();
    if (!text) throw badRequest('Saisissez au moins une lettre ou un chiffre à rechercher.');
    const query = parseQuery(text);
    if (!query.code && query.words.length === 0 && query.hints.length === 0)
      throw badRequest('Saisissez au moins une lettre ou un chiffre à rechercher.');
    const layerList = layers
      ? layers.split(',').map((l) => (SCHEME_TYPE_LAYERS[l] ? { layer: 'scheme', type: SCHEME_TYPE_LAYERS[l] } : { layer: l }))
      : null;
    const index = await cache.get();
    if (region && !index.regions.has(region)) throw badRequest(`Aucune région ne porte le code ${region}.`);
    if (departement && !index.departements.has(departement)) throw badRequest(`Aucun département ne porte le code ${departement}.`);
    res.json({ query: q, results: index.search(query, { layers: layerList, region, departement, limit }) });
  });
  return router;
}
