// Structural checks of imported polygons before they reach PostGIS: numeric coordinates,
// closed rings of at least four positions. (Self-intersections and other topological
// faults are PostGIS's job: ST_MakeValid at write, with a warning naming the feature.)
import type { Geometry, MultiPolygon, Polygon, Position } from 'geojson';

export type CleanResult = { geometry: Polygon | MultiPolygon; closed: number } | { reason: string };

function cleanRing(ring: unknown): { ring: Position[]; closed: boolean } | null {
  if (!Array.isArray(ring)) return null;
  const out: Position[] = [];
  for (const p of ring) {
    if (!Array.isArray(p) || p.length < 2 || !Number.isFinite(p[0]) || !Number.isFinite(p[1])) return null;
    out.push([p[0] as number, p[1] as number]);
  }
  let closed = false;
  const [first, last] = [out[0], out[out.length - 1]];
  if (first && last && (first[0] !== last[0] || first[1] !== last[1])) {
    out.push([first[0]!, first[1]!]);
    closed = true;
  }
  return out.length >= 4 ? { ring: out, closed } : null;
}

function cleanPolygon(rings: unknown): { rings: Position[][]; closed: number } | null {
  if (!Array.isArray(rings) || rings.length === 0) return null;
  const out: Position[][] = [];
  let closed = 0;
  for (const [i, r] of rings.entries()) {
    const c = cleanRing(r);
    if (!c) {
      if (i === 0) return null; // no usable outer ring
      continue; // a degenerate hole is dropped
    }
    out.push(c.ring);
    if (c.closed) closed++;
  }
  return { rings: out, closed };
}

/** A Polygon or MultiPolygon with usable coordinates, or why not. */
export function cleanPolygonal(g: Geometry | null | undefined): CleanResult {
  if (!g) return { reason: 'géométrie absente' };
  if (g.type === 'Polygon') {
    const p = cleanPolygon(g.coordinates);
    return p
      ? { geometry: { type: 'Polygon', coordinates: p.rings }, closed: p.closed }
      : { reason: 'polygone dégénéré ou coordonnées non numériques' };
  }
  if (g.type === 'MultiPolygon') {
    if (!Array.isArray(g.coordinates)) return { reason: 'coordonnées absentes' };
    const polys: Position[][][] = [];
    let closed = 0;
    for (const rings of g.coordinates) {
      const p = cleanPolygon(rings);
      if (p) {
        polys.push(p.rings);
        closed += p.closed;
      }
    }
    return polys.length
      ? { geometry: { type: 'MultiPolygon', coordinates: polys }, closed }
      : { reason: 'multipolygone sans polygone utilisable' };
  }
  if (g.type === 'GeometryCollection') {
    const polys: Position[][][] = [];
    let closed = 0;
    for (const part of g.geometries ?? []) {
      const c = cleanPolygonal(part);
      if ('geometry' in c) {
        if (c.geometry.type === 'Polygon') polys.push(c.geometry.coordinates);
        else polys.push(...c.geometry.coordinates);
        closed += c.closed;
      }
    }
    return polys.length ? { geometry: { type: 'MultiPolygon', coordinates: polys }, closed } : { reason: 'collection sans polygone' };
  }
  return { reason: `géométrie non surfacique (${g.type})` };
}

/** Several features under one code become one MultiPolygon (PostGIS unions the parts at write). */
export function mergePolygonal(geoms: (Polygon | MultiPolygon)[]): Polygon | MultiPolygon {
  if (geoms.length === 1) return geoms[0]!;
  return {
    type: 'MultiPolygon',
    coordinates: geoms.flatMap((g) => (g.type === 'Polygon' ? [g.coordinates] : g.coordinates)),
  };
}
