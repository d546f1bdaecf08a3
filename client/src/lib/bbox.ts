// Extents [west, south, east, north] in degrees, and their union.
export type Bbox = [number, number, number, number];

/** Metropolitan France: the start view, and the frame of national analyses. */
export const METROPOLE: Bbox = [-5.2, 41.3, 9.6, 51.1];

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
