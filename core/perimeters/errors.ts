// The one error a perimeter import raises for a problem of the user's file or options:
// its message is French and shown as is; nothing has been written when it is thrown.
// Anything else that stops an import (the database refusing a value, an outage) is
// described in French by `describeImportFailure`, never with the internal English text.
export class PerimeterImportError extends Error {
  override name = 'PerimeterImportError';
}

/** French text, for the import report, of an error that is not a PerimeterImportError. */
export function describeImportFailure(err: unknown): string {
  const e = (err ?? {}) as { code?: string; message?: string };
  const code = typeof e.code === 'string' ? e.code : '';
  const message = typeof e.message === 'string' ? e.message : '';
  let why: string;
  if (err instanceof RangeError && /call stack/i.test(message)) why = 'géométries trop imbriquées ou trop complexes';
  else if (code === '22P02' || code === '22P05' || code === '22021')
    why = 'un nom ou un attribut contient des caractères que la base refuse (caractère nul, encodage invalide)';
  else if (/^22/.test(code)) why = 'une valeur du fichier est hors des limites acceptées par la base';
  else if (code === '54000' || code === '54001' || code === '53200') why = 'géométries trop complexes pour la base de données';
  else if (code === 'XX000') why = 'une géométrie est invalide et la base n’a pas pu la corriger';
  else if (/^(08|57P0)/.test(code) || /^E(CONN|PIPE|TIMEDOUT)/.test(code) || /Connection terminated|PGlite is closed/i.test(message))
    why = 'la base de données ne répond pas, réessayez plus tard';
  else why = 'erreur inattendue';
  return `Échec de l'écriture (${why}) : les données précédentes sont intactes.`;
}
