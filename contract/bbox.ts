// Extents [west, south, east, north] in degrees, as the API sends them, and their union:
// the client frames several perimeters on one, the OGC catalogue gives a collection's.
export type Bbox = [number, number, number, number];

/** The smallest extent holding every known one (null when none is known). */
export function unionBbox(boxes: (Bbox | null | undefined)[]): Bbox | null {
  const list = boxes.filter((b): b is Bbox => !!b);
  if (!list.length) return null;
  return [
    Math.min(...list.map((b) => b[0])),
    Math.min(...list.map((b) => b[1])),
    Math.max(...list.map((b) => b[2])),
    Math.max(...list.map((b) => b[3])),
  ];
}
