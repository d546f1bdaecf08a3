// Layer identifiers as they appear in URLs: the catalogue's ids, plus the scheme types
// (cls, asv, clsm, ptsm) that name the scheme layer filtered by type. Their schemas live in
// contract/domain.ts; this resolves an id against the database.
import { SCHEME_TYPE_LAYERS } from '../contract/domain.ts';
import type { Queryable } from '../core/db/db.ts';
import { notFound } from './errors.ts';
import { layerExists } from './queries/layers.ts';

export { codeSchema, layerIdSchema, perimeterRefSchema, SCHEME_TYPE_LAYERS } from '../contract/domain.ts';

export interface ResolvedLayer {
  /** Table-level layer id (a scheme type resolves to 'scheme'). */
  layer: string;
  /** Scheme type when the URL named one (cls → CLS). */
  schemeType: string | null;
}

export async function resolveLayer(db: Queryable, id: string): Promise<ResolvedLayer> {
  const schemeType = SCHEME_TYPE_LAYERS[id];
  if (schemeType) return { layer: 'scheme', schemeType };
  if (await layerExists(db, id)) return { layer: id, schemeType: null };
  throw notFound(`Couche inconnue : « ${id} ». Choisissez une couche de la liste des couches de l’atlas.`);
}
