// The client's pure helpers: French figures (an unknown share is "inconnue", never 0 %)
// and the colours of the analyses (readable letters, the common part darkest, gap bands).
import { describe, expect, it } from 'vitest';
import { unionBbox } from '../../contract/bbox.ts';
import { bearerLabel, formatArea, formatInteger, formatShare, plural, statusLabel } from '../../client/src/lib/format.ts';
import {
  gapShareColor,
  GAP_SHARE_BANDS,
  PERIMETER_COLORS,
  partColors,
  perimeterInk,
  unitColor,
  UNIT_COLORS,
} from '../../client/src/lib/highlight.ts';

const NNBSP = '\u202f';

describe('French figures', () => {
  it('groups thousands with a narrow no-break space and uses a decimal comma', () => {
    expect(formatInteger(66919)).toBe(`66${NNBSP}919`);
    expect(formatInteger(null)).toBe('—');
    expect(formatArea(3.14159)).toBe('3,1 km²');
    expect(formatArea(1234.6)).toBe(`1${NNBSP}235 km²`);
  });

  it('says "inconnue" for an unknown share and never rounds a sliver to 0 %', () => {
    expect(formatShare(null)).toBe('inconnue');
    expect(formatShare(0.0004)).toBe('< 0,1 %');
    expect(formatShare(0)).toMatch(/^0\s%$/);
    expect(formatShare(0.456)).toMatch(/^45,6\s%$/);
  });

  it('agrees in number from 2 (French: 1,5 commune is singular, 0 too)', () => {
    expect(plural(0, 'commune', 'communes')).toBe('0 commune');
    expect(plural(1, 'commune', 'communes')).toBe('1 commune');
    expect(plural(2, 'commune', 'communes')).toBe('2 communes');
  });

  it('names statuses and bearers in words', () => {
    expect(statusLabel('en_elaboration')).toBe('en élaboration');
    expect(statusLabel('suspendu_provisoirement')).toBe('suspendu provisoirement');
    expect(statusLabel(null)).toBe('non renseigné');
    expect(bearerLabel('epci')).toBe('intercommunalité');
    expect(bearerLabel('Mairie annexe')).toBe('Mairie annexe');
  });
});

describe('analysis colours', () => {
  it('writes a letter black on light colours and white on dark ones', () => {
    expect(perimeterInk('G')).toBe('#000'); // yellow
    expect(perimeterInk('H')).toBe('#fff'); // dark grey
    expect(perimeterInk('B')).toBe('#fff'); // blue
  });

  it('gives "X seul" its perimeter colour and the part common to all the first shared colour', () => {
    const colours = partColors([['A'], ['A', 'B'], ['B'], ['A', 'B', 'C'], ['C']], 3);
    expect(colours[0]).toBe(PERIMETER_COLORS.A);
    expect(colours[2]).toBe(PERIMETER_COLORS.B);
    expect(colours[4]).toBe(PERIMETER_COLORS.C);
    expect(colours[3]).not.toBe(colours[1]);
    expect(new Set(colours).size).toBe(5);
  });

  it('cycles unit colours and bands gap shares from "personne" to "75 % et plus"', () => {
    expect(unitColor(UNIT_COLORS.length)).toBe(UNIT_COLORS[0]);
    expect(gapShareColor(0)).toBe(GAP_SHARE_BANDS[0]!.color);
    expect(gapShareColor(0.1)).toBe(GAP_SHARE_BANDS[1]!.color);
    expect(gapShareColor(0.5)).toBe(GAP_SHARE_BANDS[3]!.color);
    expect(gapShareColor(1)).toBe(GAP_SHARE_BANDS[4]!.color);
  });
});

describe('extents (contract/bbox.ts, shared by the client and the OGC catalogue)', () => {
  it('unites the known extents and ignores missing ones', () => {
    expect(unionBbox([[1.2, 44.2, 2.1, 45], null, [0.9, 44.5, 1.5, 45.3], undefined])).toEqual([0.9, 44.2, 2.1, 45.3]);
    expect(unionBbox([null, undefined])).toBeNull();
    expect(unionBbox([])).toBeNull();
  });
});
