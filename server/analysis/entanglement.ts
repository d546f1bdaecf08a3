// How the units of another layer cut a territory. For each unit intersecting it:
// the part of the territory in the unit (by population) and the part of the unit
// inside the territory; a unit is "cut" when part of it lies outside. The
// fragmentation figure is the effective number of units sharing the covered part of
// the territory, (Σ p_i)² / Σ p_i² with p_i the part of the territory's population in
// unit i: 1 = one unit holds it all, 3 = as if split in three equal pieces. When the
// layer covers the whole territory this is 1 / Σ p_i²; normalising by the coverage
// keeps two small QPV on a large CLS at "2", not at an absurd 20.
// A unit whose part is unknown (a QPV without contour) is listed with null figures, and
// the layer's coverage and fragmentation are then unknown too: never taken as whole.

export interface UnitOverlap {
  layer: string;
  code: string;
  name: string;
  type: string | null;
  fictif: boolean;
  /** Part of the territory's population lying in the unit (null when unknown). */
  shareOfTerritory: number | null;
  /** Part of the unit's population lying inside the territory (null when unknown). */
  insideShare: number | null;
}

export interface LayerEntanglement {
  layer: string;
  unitCount: number;
  cutCount: number;
  /** Part of the territory covered by the layer at all (null when a unit's part is unknown). */
  coverage: number | null;
  fragmentation: number | null;
  /** Units whose part is unknown, and why. */
  unknownCount: number;
  reason: string | null;
  units: (UnitOverlap & { cut: boolean | null })[];
}

export const UNKNOWN_PART_REASON = 'part inconnue (pas de contour)';

const CUT_TOLERANCE = 0.001;

export function entanglementByLayer(units: UnitOverlap[]): LayerEntanglement[] {
  const byLayer = new Map<string, UnitOverlap[]>();
  for (const u of units) byLayer.set(u.layer, [...(byLayer.get(u.layer) ?? []), u]);
  return [...byLayer].map(([layer, list]) => {
    const withCut = list
      .map((u) => ({ ...u, cut: u.insideShare === null ? null : u.insideShare < 1 - CUT_TOLERANCE }))
      .sort((a, b) => (b.shareOfTerritory ?? -1) - (a.shareOfTerritory ?? -1) || a.code.localeCompare(b.code));
    const unknownCount = withCut.filter((u) => u.shareOfTerritory === null).length;
    const known = withCut.map((u) => u.shareOfTerritory ?? 0);
    const sumSq = known.reduce((s, p) => s + p ** 2, 0);
    const sum = known.reduce((s, p) => s + p, 0);
    return {
      layer,
      unitCount: withCut.length,
      cutCount: withCut.filter((u) => u.cut === true).length,
      coverage: unknownCount ? null : Math.min(1, sum),
      fragmentation: unknownCount ? null : sumSq > 0 ? sum ** 2 / sumSq : 0,
      unknownCount,
      reason: unknownCount ? UNKNOWN_PART_REASON : null,
      units: withCut,
    };
  });
}
