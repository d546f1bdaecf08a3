// The comparison of many perimeters (issue 20): communes grouped by their exact pattern
// of membership across six perimeters, nested partial shares, unknown shares kept apart;
// then the compare view's pattern matrix (grouped by pattern, sorted by population) and
// its triangle of pairwise alignments.
import { describe, expect, it } from 'vitest';
import { comparePerimeters, type CommuneFacts, type PerimeterInput } from '../../server/analysis/compare.ts';
import { alignmentTriangle, patternRows } from '../../client/src/lib/comparePatterns.ts';
import type { ComparePart, Comparison, ComparePerimeter } from '../../client/src/lib/api.ts';

const facts = new Map<string, CommuneFacts>(
  [
    { code: '1', name: 'Un', population: 1000, areaKm2: 10 },
    { code: '2', name: 'Deux', population: 2000, areaKm2: 20 },
    { code: '3', name: 'Trois', population: 400, areaKm2: 4 },
    { code: '4', name: 'Quatre', population: 300, areaKm2: 3 },
    { code: '5', name: 'Cinq', population: 50, areaKm2: 5 },
    { code: '6', name: 'Six', population: 5000, areaKm2: 50 },
    { code: '7', name: 'Sept', population: 80, areaKm2: 8 },
  ].map((c) => [c.code, c]),
);

/** An EPCI (A), a CPTS (B), two adult sectors (C, D), a child sector drawn like the EPCI
 *  (E) and a neighbourhood covering a quarter of commune 3 (F). */
function sixPerimeters(fShares: [string, number | null][] = [['3', 0.25]]): PerimeterInput[] {
  const whole = (codes: string[]) => new Map<string, number | null>(codes.map((c) => [c, 1]));
  return [
    { key: 'A', shares: whole(['1', '2', '3', '4']) },
    { key: 'B', shares: whole(['1', '2', '5']) },
    { key: 'C', shares: whole(['1', '2', '3', '6']) },
    { key: 'D', shares: whole(['4', '7']) },
    { key: 'E', shares: whole(['1', '2', '3', '4']) },
    { key: 'F', shares: new Map(fShares) },
  ];
}

const summary = (parts: ReturnType<typeof comparePerimeters>['parts']) =>
  parts.map((p) => ({
    pattern: (p.unknownShare ? '?' : '') + p.members.join(''),
    communes: p.communes.map((c) => `${c.code}:${c.share}`).join(' '),
    population: p.population,
    communeEquivalent: p.communeEquivalent,
  }));

describe('comparePerimeters with six perimeters', () => {
  it('puts each commune in the part of its exact pattern, a partial share nested in the whole', () => {
    const r = comparePerimeters(sixPerimeters(), facts);
    expect(summary(r.parts)).toEqual([
      { pattern: 'ABCE', communes: '1:1 2:1', population: 3000, communeEquivalent: 2 },
      { pattern: 'ACEF', communes: '3:0.25', population: 100, communeEquivalent: 0.25 },
      { pattern: 'ACE', communes: '3:0.75', population: 300, communeEquivalent: 0.75 },
      { pattern: 'ADE', communes: '4:1', population: 300, communeEquivalent: 1 },
      { pattern: 'B', communes: '5:1', population: 50, communeEquivalent: 1 },
      { pattern: 'C', communes: '6:1', population: 5000, communeEquivalent: 1 },
      { pattern: 'D', communes: '7:1', population: 80, communeEquivalent: 1 },
    ]);
    // every inhabitant of a perimeter is in exactly the parts that carry its key
    for (const key of ['A', 'B', 'C', 'D', 'E', 'F']) {
      const inParts = r.parts.filter((p) => p.members.includes(key)).reduce((s, p) => s + p.population!, 0);
      const own = [...sixPerimeters().find((p) => p.key === key)!.shares].reduce(
        (s, [code, share]) => s + facts.get(code)!.population * share!,
        0,
      );
      expect(inParts).toBeCloseTo(own, 6);
    }
    expect(r.alignments).toHaveLength(15);
    const pair = (a: string, b: string) => r.alignments.find((x) => x.a === a && x.b === b)!.alignment;
    expect(pair('A', 'E')).toBe(1);
    expect(pair('B', 'D')).toBe(0);
    expect(pair('A', 'F')).toBeCloseTo(100 / 3700, 10);
    expect(pair('A', 'B')).toBeCloseTo(3000 / 3750, 10);
  });

  it('keeps a commune of unknown share out of the known patterns, and only its alignments unknown', () => {
    const r = comparePerimeters(sixPerimeters([['4', null]]), facts);
    expect(summary(r.parts)).toEqual([
      { pattern: 'ABCE', communes: '1:1 2:1', population: 3000, communeEquivalent: 2 },
      { pattern: 'ACE', communes: '3:1', population: 400, communeEquivalent: 1 },
      { pattern: 'B', communes: '5:1', population: 50, communeEquivalent: 1 },
      { pattern: 'C', communes: '6:1', population: 5000, communeEquivalent: 1 },
      { pattern: 'D', communes: '7:1', population: 80, communeEquivalent: 1 },
      { pattern: '?ADEF', communes: '4:null', population: null, communeEquivalent: null },
    ]);
    const unknown = r.alignments.filter((x) => x.alignment === null).map((x) => x.a + x.b);
    expect(unknown).toEqual(['AF', 'BF', 'CF', 'DF', 'EF']);
  });
});

// ─── The compare view's tables ──────────────────────────────────────────────────

const KEYS = ['A', 'B', 'C', 'D', 'E'];
const perimeters: ComparePerimeter[] = KEYS.map((key) => ({
  key,
  layer: 'epci',
  code: key,
  name: `Périmètre ${key}`,
  type: null,
  fictif: false,
  communeCount: 1,
  population: 1,
}));

function part(members: string[], population: number | null, communeCount = 1): ComparePart {
  const unknownShare = population === null;
  return {
    members,
    label: members.join(' ∩ '),
    communeCount,
    unknownShare,
    pattern: KEYS.map((k) => (members.includes(k) ? '■' : '□')).join(''),
    communeEquivalent: unknownShare ? null : communeCount,
    population,
    areaKm2: unknownShare ? null : 1,
    communes: [],
  };
}

describe('patternRows', () => {
  it('groups a pattern with its part of unknown share, and sorts the groups by population', () => {
    const parts = [
      part(['A', 'B', 'C', 'D', 'E'], 10),
      part(['A', 'B'], 300),
      part(['B', 'C'], null, 4),
      part(['A'], 5000),
      part(['A', 'B'], null, 2),
      part(['D', 'E'], 300),
      part(['C'], null, 1),
    ];
    const rows = patternRows({ perimeters, parts });
    expect(rows.map((r) => (r.part.unknownShare ? '?' : '') + r.part.members.join(''))).toEqual([
      'A',
      'AB',
      '?AB',
      'DE',
      'ABCDE',
      '?BC',
      '?C',
    ]);
    // each row keeps its part's place in the answer (its colour on the map)
    expect(rows.map((r) => r.index)).toEqual([3, 1, 4, 5, 0, 2, 6]);
    expect(rows[3]!.marks).toEqual([
      { key: 'A', inside: false },
      { key: 'B', inside: false },
      { key: 'C', inside: false },
      { key: 'D', inside: true },
      { key: 'E', inside: true },
    ]);
    for (const r of rows) expect(r.marks.map((m) => (m.inside ? '■' : '□')).join('')).toBe(r.part.pattern);
  });
});

describe('alignmentTriangle', () => {
  it('lays the pairs out as a lower triangle, unknown pairs kept with their reason', () => {
    const alignments: Comparison['alignments'] = [];
    KEYS.forEach((a, i) =>
      KEYS.slice(i + 1).forEach((b) =>
        alignments.push(b === 'E' ? { a, b, alignment: null, reason: 'part inconnue' } : { a, b, alignment: (i + 1) / 10, reason: null }),
      ),
    );
    const t = alignmentTriangle({ perimeters, alignments });
    expect(t.columns).toEqual(['A', 'B', 'C', 'D']);
    expect(t.rows.map((r) => r.key)).toEqual(['B', 'C', 'D', 'E']);
    expect(t.rows.map((r) => r.cells.map((c) => (c ? `${c.a}${c.b}=${c.alignment}` : '')))).toEqual([
      ['AB=0.1', '', '', ''],
      ['AC=0.1', 'BC=0.2', '', ''],
      ['AD=0.1', 'BD=0.2', 'CD=0.3', ''],
      ['AE=null', 'BE=null', 'CE=null', 'DE=null'],
    ]);
    expect(t.rows[3]!.cells[0]!.reason).toBe('part inconnue');
  });
});
