// How the units of another layer cut a territory. For each unit intersecting it:
// the part of the territory in the unit (by population) and the part of the unit
// inside the territory; a unit is "cut" when part of it lies outside. The
// fragmentation figure is the effective number of units sharing the covered part of
// the territory, (Σ p_i)² / Σ p_i² with p_i the part of the territory's population in
// unit i: 1 = one unit holds it all, 3 = as if split in three equal pieces. When the
// layer covers the whole territory this is 1 / Σ p_i²; normalising by the coverage
// keeps two small QPV on a large CLS at "2", not at an absurd 20.

export interface UnitOverlap {
  layer: string;
  code: string;
  name: string;
  type: string | null;
  fictif: boolean;
  /** Part of the territory's population lying in the unit. */
  shareOfTerritory: number;
  /** Part of the unit's population lying inside the territory (null when unknown). */
  insideShare: number | null;
}

export interface LayerEntanglement {
  layer: string;
  unitCount: number;
  cutCount: number;
  /** Part of the territory covered by the layer at all. */
  coverage: number;
  fragmentation: number;
  units: (UnitOverlap & { cut: boolean })[];
}

const CUT_TOLERANCE = 0.001;

export function entanglementByLayer(units: UnitOverlap[]): LayerEntanglement[] {
  const byLayer = new Map<string, UnitOverlap[]>();
  for (const u of units) byLayer.set(u.layer, [...(byLayer.get(u.layer) ?? []), u]);
  return [...byLayer].map(([layer, list]) => {
    const withCut = list
      .map((u) => ({ ...u, cut: u.insideShare !== null && u.insideShare < 1 - CUT_TOLERANCE }))
      .sort((a, b) => b.shareOfTerritory - a.shareOfTerritory || a.code.localeCompare(b.code));
    const sumSq = withCut.reduce((s, u) => s + u.shareOfTerritory ** 2, 0);
    const sum = withCut.reduce((s, u) => s + u.shareOfTerritory, 0);
    return {
      layer,
      unitCount: withCut.length,
      cutCount: withCut.filter((u) => u.cut).length,
      coverage: Math.min(1, sum),
      fragmentation: sumSq > 0 ? sum ** 2 / sumSq : 0,
      units: withCut,
    };
  });
}
