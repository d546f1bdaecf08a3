// Layer identifiers as they appear in URLs: the catalogue's ids, plus the scheme types
// (cls, asv, clsm, ptsm) that name the scheme layer filtered by type.
import { z } from 'zod';
import type { Queryable } from './db/db.ts';
import { notFound } from './errors.ts';
import { layerExists } from './queries/layers.ts';

export const SCHEME_TYPE_LAYERS: Record<string, string> = { cls: 'CLS', asv: 'ASV', clsm: 'CLSM', ptsm: 'PTSM' };

export const layerIdSchema = z
  .string()
  .max(40, { message: 'identifiant de couche trop long' })
  .regex(/^[a-z][a-z0-9-]*$/, { message: 'identifiant de couche invalide (lettres minuscules, chiffres et tirets)' });

export const codeSchema = z
  .string()
  .max(64, { message: 'code trop long (64 caractères au plus)' })
  .regex(/^[0-9A-Za-z][0-9A-Za-z._-]*$/, { message: 'code invalide (lettres, chiffres, tirets, points)' });

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

/**
 * "layer:code" as used by the analyses (p=scheme:cls-cergy, within=departement:46);
 * a scheme may name a past version of its perimeter: p=scheme:cls-cergy@2.
 */
export const perimeterRefSchema = z
  .string()
  .max(100, { message: 'référence de périmètre trop longue' })
  .regex(/^[a-z][a-z0-9-]*:[0-9A-Za-z][0-9A-Za-z._-]*(@\d{1,6})?$/, {
    message: 'référence de périmètre attendue sous la forme couche:code (ex. : epci:200070407)',
  })
  .transform((ref) => {
    const i = ref.indexOf(':');
    const [code, version] = ref.slice(i + 1).split('@');
    return { layer: ref.slice(0, i), code: code!, version: version === undefined ? null : Number(version) };
  });
