// GET /api/search?q=…[&layers=a,b][&limit=n][&region=84|&departement=63]: territories by
// name or code, from in-memory indexes rebuilt when the data changes (server/search/):
// the reference territories when they change, the registry's schemes at every change; the
// région and département filters are read there too.
import { Router } from 'express';
import { searchQuery } from '../../contract/search.ts';
import type { Db } from '../../core/db/db.ts';
import { badRequest } from '../errors.ts';
import { SCHEME_TYPE_LAYERS } from '../layers.ts';
import type { DataVersion } from '../data-changes.ts';
import { KeptWhile } from '../kept-while.ts';
import { loadSearchEntries, REGISTRY_LAYER, type SearchPart } from '../queries/search.ts';
import { SearchIndex } from '../search/index.ts';
import { SearchParts } from '../search/parts.ts';
import { parseQuery } from '../search/query.ts';

// Letters of any alphabet, digits, spaces and the punctuation of place names; anything
// else (an emoji, a symbol) is dropped rather than refused.
const UNSUPPORTED = /[^\p{L}\p{M}0-9 '’\-.,()/]+/gu;

/**
 * The search over the reference territories and the registry's schemes, each index rebuilt
 * only when its own data changes: a registry edit costs milliseconds, not a rebuild of
 * 38,000 entries on the main thread.
 */
export class SearchIndexCache {
  private readonly reference = new KeptWhile<SearchIndex>();
  private readonly registry = new KeptWhile<SearchIndex>();
  private last: { parts: [SearchIndex, SearchIndex]; search: SearchParts } | null = null;

  constructor(
    private readonly db: Db,
    private readonly version: DataVersion,
  ) {}

  private build(part: SearchPart): Promise<SearchIndex> {
    return loadSearchEntries(this.db, part).then((entries) => new SearchIndex(entries));
  }

  async get(): Promise<SearchParts> {
    const parts = await Promise.all([
      this.reference.get(this.version.excluding(REGISTRY_LAYER), () => this.build('reference')),
      // the schemes' places and populations follow the territories: any change reloads them (milliseconds)
      this.registry.get(String(this.version.current), () => this.build('registry')),
    ]);
    if (!this.last || this.last.parts.some((p, i) => p !== parts[i])) this.last = { parts, search: new SearchParts(parts) };
    return this.last.search;
  }
}

export function searchRoutes(db: Db, version: DataVersion): Router {
  const router = Router();
  const cache = new SearchIndexCache(db, version);
  router.get('/search', async (req, res) => {
    const { q, layers, limit, region, departement } = searchQuery.parse(req.query);
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
