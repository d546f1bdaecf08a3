// Compare with parts of unknown size (a QPV without contour): never counted as whole.
import { describe, expect, it } from 'vitest';
import { alignment, comparePerimeters, type CommuneFacts } from '../../server/analysis/compare.ts';
import { entanglementByLayer } from '../../server/analysis/entanglement.ts';

const facts = new Map<string, CommuneFacts>([
  ['1', { code: '1', name: 'Un', population: 1000, areaKm2: 10 }],
  ['2', { code: '2', name: 'Deux', population: 500, areaKm2: 5 }],
  ['3', { code: '3', name: 'Trois', population: 100, areaKm2: 1 }],
]);

describe('compare with unknown shares', () => {
  it('puts a commune of unknown share in a part of its own, with null figures', () => {
    const r = comparePerimeters(
      [
        { key: 'A', shares: new Map([['1', null]]) },
        {
          key: 'B',
          shares: new Map<string, number | null>([
            ['1', 1],
            ['2', 1],
          ]),
        },
      ],
      facts,
    );
    expect(r.parts).toEqual([
      {
        members: ['B'],
        unknownShare: false,
        communeCount: 1,
        communeEquivalent: 1,
        population: 500,
        areaKm2: 5,
        communes: [{ code: '2', name: 'Deux', share: 1 }],
      },
      {
        members: ['A', 'B'],
        unknownShare: true,
        communeCount: 1,
        communeEquivalent: null,
        population: null,
        areaKm2: null,
        communes: [{ code: '1', name: 'Un', share: null }],
      },
    ]);
    expect(r.alignments).toEqual([{ a: 'A', b: 'B', alignment: null }]);
  });

  it('keeps known figures and alignments where no share is unknown', () => {
    const a = new Map<string, number | null>([
      ['1', 1],
      ['2', 0.5],
    ]);
    const b = new Map<string, number | null>([['1', 1]]);
    expect(alignment(a, b, facts)).toBeCloseTo(1000 / 1250);
    const c = new Map<string, number | null>([['3', null]]);
    expect(alignment(a, c, facts)).toBeNull();
  });

  it('groups communes by their exact pattern of membership across 8 perimeters', () => {
    const keys = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'];
    const perimeters = keys.map((key, i) => ({
      key,
      shares: new Map<string, number | null>(
        i % 2
          ? [
              ['1', 1],
              ['2', 1],
            ]
          : [
              ['1', 1],
              ['3', 1],
            ],
      ),
    }));
    const r = comparePerimeters(perimeters, facts);
    expect(r.parts.map((p) => [p.members.join(''), p.communes.map((c) => c.code).join()])).toEqual([
      ['ABCDEFGH', '1'],
      ['ACEG', '3'],
      ['BDFH', '2'],
    ]);
    expect(r.alignments).toHaveLength(28);
  });
});

describe('entanglement with unknown shares', () => {
  it('leaves coverage and fragmentation empty when a unit part is unknown', () => {
    const [qpv] = entanglementByLayer([
      { layer: 'qpv', code: 'Q1', name: 'Q1', type: null, fictif: false, shareOfTerritory: null, insideShare: null },
      { layer: 'qpv', code: 'Q2', name: 'Q2', type: null, fictif: false, shareOfTerritory: 0.2, insideShare: 1 },
    ]);
    expect(qpv).toMatchObject({
      unitCount: 2,
      coverage: null,
      fragmentation: null,
      unknownCount: 1,
      reason: 'part inconnue (pas de contour)',
    });
    expect(qpv!.units.map((u) => [u.code, u.cut])).toEqual([
      ['Q2', false],
      ['Q1', null],
    ]);
  });
});
