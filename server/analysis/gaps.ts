// Coverage gaps: the communes of a zone covered by no perimeter of a layer.
// A commune with a membership of share < 1 only is "partly covered", listed apart.

export interface ZoneCommune {
  code: string;
  name: string;
  population: number;
  areaKm2: number;
  /** Largest share of the commune inside a perimeter of the layer; null = none. */
  covered: number | null;
}

export interface GapTotals {
  communeCount: number;
  population: number;
  areaKm2: number;
}

export interface GapResult {
  zone: GapTotals;
  uncovered: GapTotals & { share: number; communes: Omit<ZoneCommune, 'covered'>[] };
  partlyCovered: GapTotals & { communes: ZoneCommune[] };
}

function totals(list: ZoneCommune[]): GapTotals {
  return {
    communeCount: list.length,
    population: list.reduce((s, c) => s + c.population, 0),
    areaKm2: Math.round(list.reduce((s, c) => s + c.areaKm2, 0) * 100) / 100,
  };
}

export function coverageGaps(zone: ZoneCommune[]): GapResult {
  const uncovered = zone.filter((c) => c.covered === null || c.covered <= 0);
  const partly = zone.filter((c) => c.covered !== null && c.covered > 0 && c.covered < 1);
  const zoneTotals = totals(zone);
  const u = totals(uncovered);
  const byPopulation = (a: ZoneCommune, b: ZoneCommune) => b.population - a.population || a.code.localeCompare(b.code);
  return {
    zone: zoneTotals,
    uncovered: {
      ...u,
      share: zoneTotals.population > 0 ? u.population / zoneTotals.population : 0,
      communes: [...uncovered].sort(byPopulation).map(({ covered: _c, ...rest }) => rest),
    },
    partlyCovered: { ...totals(partly), communes: [...partly].sort(byPopulation) },
  };
}
