// How much a page of features is generalised for the bbox it was asked for: a client that
// asks for a whole région or for France draws it small, and does not need (nor want to
// download) every vertex of every commune. The tolerance is half a pixel of a 2,048-pixel
// view of the bbox; under ~50 m (a bbox under about one degree, a département) the
// geometry is sent as stored, which is itself generalised at about that scale.
const VIEW_PIXELS = 2048;
/** Degrees under which simplifying saves nothing worth losing detail for (≈ 50 m). */
const MIN_TOLERANCE = 0.0005;

/** Simplification tolerance in degrees for a bbox (0: full detail). */
export function toleranceFor(bbox: [number, number, number, number] | null | undefined): number {
  if (!bbox) return 0;
  const span = Math.max(bbox[2] - bbox[0], bbox[3] - bbox[1]);
  const tolerance = span / VIEW_PIXELS;
  if (tolerance < MIN_TOLERANCE) return 0;
  return Number(tolerance.toPrecision(2));
}

/** The French note that says so, with the tolerance in degrees and roughly in metres. */
export function simplificationNote(tolerance: number): string {
  const metres = Math.round((tolerance * 111_320) / 10) * 10;
  return (
    `Géométries simplifiées pour cette emprise (tolérance ${tolerance.toLocaleString('fr-FR')}°, environ ${metres.toLocaleString('fr-FR')} m) ; ` +
    'demandez une bbox plus petite (moins d’un degré) ou un objet par son identifiant pour la géométrie complète.'
  );
}
