// How much one registry import may hold. The registry feeds the 'scheme' tile layer that
// every start loads: what an accepted import may write must stay within what a start
// can load (see tiles/store.ts). The limits are checked on the parsed CSV, before any
// work, with a French 413 naming the limit.
import { HttpError } from '../errors.ts';

/** Schemes in one imported file. */
export const MAX_IMPORT_SCHEMES = 2_000;
/** Scheme × commune memberships in one imported file (the sum of each scheme's communes). */
export const MAX_IMPORT_MEMBERSHIPS = 120_000;

const fr = (n: number) => n.toLocaleString('fr-FR');

export function checkRegistrySize(communesPerScheme: number[]): void {
  const schemes = communesPerScheme.length;
  if (schemes > MAX_IMPORT_SCHEMES) {
    throw new HttpError(
      413,
      `Registre trop volumineux : ${fr(schemes)} démarches (limite ${fr(MAX_IMPORT_SCHEMES)} par import). Découpez le fichier et importez-le en plusieurs fois.`,
    );
  }
  const memberships = communesPerScheme.reduce((a, b) => a + b, 0);
  if (memberships > MAX_IMPORT_MEMBERSHIPS) {
    throw new HttpError(
      413,
      `Registre trop volumineux : ${fr(memberships)} communes listées en tout (démarches × communes ; limite ${fr(MAX_IMPORT_MEMBERSHIPS)} par import). Découpez le fichier et importez-le en plusieurs fois.`,
    );
  }
}
