// Coverage gaps: the communes of a zone covered by no perimeter of a layer.
// A commune with a membership of share < 1 only is "partly covered", listed apart.
// The same answer summed by département or EPCI draws the gaps at France and région zoom.

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

/** localeCompare's order, without building a collator at every comparison (34,000 communes are sorted). */
const byCode = new Intl.Collator().compare;

/** The order of the commune lists: most populous first. Communes given in this order are sorted in one pass. */
export const byPopulation = (a: { population: number; code: string }, b: { population: number; code: string }) =>
  b.population - a.population || byCode(a.code, b.code);

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
  return {
    zone: zoneTotals,
    uncovered: {
      ...u,
      share: zoneTotals.population > 0 ? u.population / zoneTotals.population : 0,
      communes: [...uncovered].sort(byPopulation).map(({ code, name, population, areaKm2 }) => ({ code, name, population, areaKm2 })),
    },
    partlyCovered: {
      ...totals(partly),
      communes: [...partly]
        .sort(byPopulation)
        .map(({ code, name, population, areaKm2, covered }) => ({ code, name, population, areaKm2, covered })),
    },
  };
}

/** Communes given their coverage: the largest share of each inside a perimeter of the layer (none: null). */
export function withCover<T extends Omit<ZoneCommune, 'covered'>>(
  communes: T[],
  cover: { commune: string; share: number }[],
): (T & { covered: number | null })[] {
  const share = new Map(cover.map((c) => [c.commune, c.share]));
  return communes.map((c) => Object.assign({ covered: share.get(c.code) ?? null }, c));
}

/** The gaps of one département or EPCI (its communes inside the zone only). */
export type AreaGap = {
  code: string;
  name: string;
  communeCount: number;
  uncoveredCount: number;
  population: number;
  uncoveredPopulation: number;
  /** Share of the population without a unit of the layer (0 when nobody lives there). */
  share: number;
};

/**
 * The communes of the zone summed by area (`areaOf` names a commune's département or
 * EPCI, null: none, left out). Uncovered as in coverageGaps: no membership, or share 0;
 * a partly covered commune counts as covered. Most uncovered share first.
 */
export function gapsByArea<T extends ZoneCommune>(zone: T[], areaOf: (c: T) => { code: string; name: string } | null): AreaGap[] {
  const areas = new Map<string, AreaGap>();
  for (const c of zone) {
    const a = areaOf(c);
    if (!a) continue;
    let row = areas.get(a.code);
    if (!row) {
      row = { code: a.code, name: a.name, communeCount: 0, uncoveredCount: 0, population: 0, uncoveredPopulation: 0, share: 0 };
      areas.set(a.code, row);
    }
    row.communeCount += 1;
    row.population += c.population;
    if (c.covered === null || c.covered <= 0) {
      row.uncoveredCount += 1;
      row.uncoveredPopulation += c.population;
    }
  }
  const rows = [...areas.values()].map((r) => ({ ...r, share: r.population > 0 ? r.uncoveredPopulation / r.population : 0 }));
  return rows.sort((a, b) => b.share - a.share || b.uncoveredPopulation - a.uncoveredPopulation || byCode(a.code, b.code));
}
