import { describe, expect, it } from 'vitest';
import { alignment, comparePerimeters, splitCommune, type CommuneFacts } from '../../server/analysis/compare.ts';
import { entanglementByLayer } from '../../server/analysis/entanglement.ts';
import { coverageGaps } from '../../server/analysis/gaps.ts';
import { haversineKm, median, schemeLoad } from '../../server/analysis/load.ts';

const facts = new Map<string, CommuneFacts>(
  [
    { code: '1', name: 'Un', population: 100, areaKm2: 10 },
    { code: '2', name: 'Deux', population: 300, areaKm2: 20 },
    { code: '3', name: 'Trois', population: 600, areaKm2: 30 },
    { code: '4', name: 'Quatre', population: 0, areaKm2: 5 },
  ].map((c) => [c.code, c]),
);
const shares = (o: Record<string, number>) => new Map(Object.entries(o));

describe('splitCommune', () => {
  it('nests the parts of one commune', () => {
    expect(
      splitCommune([
        { key: 'A', share: 1 },
        { key: 'B', share: 0.4 },
      ]),
    ).toEqual([
      { members: ['A'], fraction: 0.6 },
      { members: ['A', 'B'], fraction: 0.4 },
    ]);
    expect(
      splitCommune([
        { key: 'A', share: 1 },
        { key: 'B', share: 1 },
      ]),
    ).toEqual([{ members: ['A', 'B'], fraction: 1 }]);
    expect(
      splitCommune([
        { key: 'A', share: 0 },
        { key: 'B', share: 0.5 },
      ]),
    ).toEqual([{ members: ['B'], fraction: 0.5 }]);
  });
});

describe('comparePerimeters', () => {
  // A = {1, 2, 3 × 0.5}, B = {2, 3}
  const A = { key: 'A', shares: shares({ '1': 1, '2': 1, '3': 0.5 }) };
  const B = { key: 'B', shares: shares({ '2': 1, '3': 1 }) };

  it('splits communes, population and area between A only, A ∩ B and B only', () => {
    const { parts } = comparePerimeters([A, B], facts);
    const byId = Object.fromEntries(parts.map((p) => [p.members.join('+'), p]));
    expect(Object.keys(byId)).toEqual(['A+B', 'A', 'B']);
    // A ∩ B: commune 2 whole + half of commune 3
    expect(byId['A+B']).toMatchObject({ communeCount: 2, communeEquivalent: 1.5, population: 600, areaKm2: 35 });
    expect(byId.A).toMatchObject({ communeCount: 1, population: 100, areaKm2: 10 });
    expect(byId.B).toMatchObject({ communeCount: 1, communeEquivalent: 0.5, population: 300, areaKm2: 15 });
    expect(byId.B!.communes).toEqual([{ code: '3', name: 'Trois', share: 0.5 }]);
  });

  it('scores alignment as a population-weighted Jaccard index', () => {
    // ∩ = 300 + 300 = 600 ; ∪ = 100 + 300 + 600 = 1000
    expect(alignment(A.shares, B.shares, facts)).toBeCloseTo(0.6, 10);
    expect(alignment(A.shares, A.shares, facts)).toBe(1);
    expect(alignment(shares({ '1': 1 }), shares({ '2': 1 }), facts)).toBe(0);
    // no inhabitants: areas decide
    expect(alignment(shares({ '4': 1 }), shares({ '4': 0.5 }), facts)).toBeCloseTo(0.5, 10);
    const { alignments } = comparePerimeters([A, B, { key: 'C', shares: shares({ '1': 1 }) }], facts);
    expect(alignments.map((a) => `${a.a}-${a.b}`)).toEqual(['A-B', 'A-C', 'B-C']);
    expect(alignments[1]!.alignment).toBeCloseTo(100 / 700, 10);
  });
});

describe('entanglementByLayer', () => {
  it('counts units, cut units and the effective number of pieces', () => {
    const unit = (code: string, shareOfTerritory: number, insideShare: number | null) => ({
      layer: 'cpts',
      code,
      name: code,
      type: null,
      fictif: true,
      shareOfTerritory,
      insideShare,
    });
    const [cpts] = entanglementByLayer([unit('x', 0.5, 1), unit('y', 0.25, 0.3), unit('z', 0.25, null)]);
    expect(cpts).toMatchObject({ layer: 'cpts', unitCount: 3, cutCount: 1, coverage: 1 });
    // 1 / (0.25 + 0.0625 + 0.0625)
    expect(cpts!.fragmentation).toBeCloseTo(1 / 0.375, 10);
    expect(cpts!.units.map((u) => u.code)).toEqual(['x', 'y', 'z']);
    const [one] = entanglementByLayer([{ ...unit('solo', 1, 1), layer: 'epci' }]);
    expect(one!.fragmentation).toBe(1);
    // two small units covering 2 % of the territory: two pieces, not fifty
    const [qpv] = entanglementByLayer([
      { ...unit('q1', 0.01, 1), layer: 'qpv' },
      { ...unit('q2', 0.01, 1), layer: 'qpv' },
    ]);
    expect(qpv!.fragmentation).toBeCloseTo(2, 10);
    expect(qpv!.coverage).toBeCloseTo(0.02, 10);
  });
});

describe('coverageGaps', () => {
  it('lists the communes covered by no perimeter, with totals', () => {
    const r = coverageGaps([
      { code: '1', name: 'Un', population: 100, areaKm2: 10, covered: 1 },
      { code: '2', name: 'Deux', population: 300, areaKm2: 20, covered: null },
      { code: '3', name: 'Trois', population: 600, areaKm2: 30, covered: 0.4 },
      { code: '4', name: 'Quatre', population: 50, areaKm2: 5.555, covered: null },
    ]);
    expect(r.zone).toEqual({ communeCount: 4, population: 1050, areaKm2: 65.56 });
    expect(r.uncovered).toMatchObject({ communeCount: 2, population: 350, areaKm2: 25.56 });
    expect(r.uncovered.share).toBeCloseTo(350 / 1050, 10);
    expect(r.uncovered.communes.map((c) => c.code)).toEqual(['2', '4']);
    expect(r.partlyCovered.communes.map((c) => c.code)).toEqual(['3']);
  });
});

describe('schemeLoad', () => {
  it('measures per FTE and distances to the central town', () => {
    expect(haversineKm({ lon: 0, lat: 0 }, { lon: 1, lat: 0 })).toBeCloseTo(111.195, 2);
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    const communes = [
      { code: 'a', name: 'A', population: 1000, areaKm2: 10, share: 1, lon: 0, lat: 0 },
      { code: 'b', name: 'B', population: 500, areaKm2: 20, share: 1, lon: 1, lat: 0 },
      { code: 'c', name: 'C', population: 200, areaKm2: 30, share: 0.5, lon: 2, lat: 0 },
    ];
    const load = schemeLoad(communes, 0.5, null);
    expect(load.centralTown).toEqual({ code: 'a', name: 'A', reason: 'plus-peuplee' });
    expect(load.population).toBe(1600);
    expect(load.areaKm2).toBe(45);
    expect(load.perFte).toEqual({ communes: 6, population: 3200, areaKm2: 90 });
    expect(load.distanceKm).toEqual({ median: 111.2, max: 222.4 });
    expect(load.communes[0]!.code).toBe('c');
    const bySeat = schemeLoad(communes, null, 'b');
    expect(bySeat.centralTown).toEqual({ code: 'b', name: 'B', reason: 'porteur' });
    expect(bySeat.perFte).toBeNull();
    expect(bySeat.distanceKm!.max).toBe(111.2);
  });
});
