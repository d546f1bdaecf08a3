// The layer palette stays legible for everyone: every pair of layer colours stays apart
// (CIEDE2000) with normal vision and as simulated for deuteranopia, protanopia and
// tritanopia (Machado 2009 matrices), and coincident borders of layers drawn in the same
// place get separate outline lanes.
import { describe, expect, it } from 'vitest';
import { KNOWN_LOOKS, LANE } from '../../client/src/lib/layers.ts';
import { deltaE2000, perceivedDistance, type Vision } from '../support/colour-vision.ts';

/** The greys of the administrative layers are told apart by width and dash, not hue. */
const GREYS = new Set(['region', 'departement', 'arrondissement', 'commune']);
const coloured = Object.entries(KNOWN_LOOKS).filter(([id]) => !GREYS.has(id));

/** Minimum CIEDE2000 between any two layer colours, by vision. */
const THRESHOLD: Record<Vision, number> = { normal: 15, deuteranopia: 9, protanopia: 9, tritanopia: 9 };

function closestPair(vision: Vision): { pair: string; distance: number } {
  let best = { pair: '', distance: Infinity };
  for (let i = 0; i < coloured.length; i++) {
    for (let j = i + 1; j < coloured.length; j++) {
      const [a, la] = coloured[i]!;
      const [b, lb] = coloured[j]!;
      const distance = perceivedDistance(la.color, lb.color, vision);
      if (distance < best.distance) best = { pair: `${a}/${b}`, distance };
    }
  }
  return best;
}

describe('colour difference', () => {
  it('matches the CIEDE2000 reference pairs of Sharma, Wu and Dalal', () => {
    expect(deltaE2000([50, 2.6772, -79.7751], [50, 0, -82.7485])).toBeCloseTo(2.0425, 4);
    expect(deltaE2000([50, -1.3802, -84.2814], [50, 0, -82.7485])).toBeCloseTo(1.0, 4);
    expect(deltaE2000([2.0776, 0.0795, -1.135], [0.9033, -0.0636, -0.5514])).toBeCloseTo(0.9082, 4);
  });

  it('sees red and green as alike for a deuteranope, not with normal vision', () => {
    expect(perceivedDistance('#d62728', '#2ca02c', 'normal')).toBeGreaterThan(40);
    expect(perceivedDistance('#d62728', '#2ca02c', 'deuteranopia')).toBeLessThan(15);
  });
});

describe('layer palette', () => {
  it('has 11 coloured layers', () => {
    expect(coloured.map(([id]) => id).sort()).toEqual(
      ['asv', 'cls', 'clsm', 'cpts', 'epci', 'petr', 'pnr', 'ptsm', 'qpv', 'secteur-psy-adulte', 'secteur-psy-enfant'].sort(),
    );
  });

  for (const vision of Object.keys(THRESHOLD) as Vision[]) {
    it(`keeps every pair apart by ${THRESHOLD[vision]} ΔE00 or more (${vision})`, () => {
      const { pair, distance } = closestPair(vision);
      expect(distance, `closest pair ${pair}`).toBeGreaterThanOrEqual(THRESHOLD[vision]);
    });
  }

  it('gives the PETR, the EPCI and the CLS clearly different hues', () => {
    for (const vision of Object.keys(THRESHOLD) as Vision[]) {
      expect(perceivedDistance(KNOWN_LOOKS.petr!.color, KNOWN_LOOKS.epci!.color, vision)).toBeGreaterThan(12);
      expect(perceivedDistance(KNOWN_LOOKS.petr!.color, KNOWN_LOOKS.cls!.color, vision)).toBeGreaterThan(12);
    }
  });

  it('keeps each layer colour visible on the land colour', () => {
    for (const [id, look] of coloured) {
      for (const vision of Object.keys(THRESHOLD) as Vision[]) {
        expect(perceivedDistance(look.color, '#f7f5f0', vision), `${id} (${vision})`).toBeGreaterThan(20);
      }
    }
  });
});

describe('outline lanes', () => {
  /** Layers whose borders often coincide: a CLS or CLSM on its PETR or EPCI, a PTSM on its département. */
  const COINCIDENT = [
    ['cls', 'petr'],
    ['cls', 'epci'],
    ['clsm', 'cls'],
    ['clsm', 'petr'],
    ['asv', 'cls'],
    ['petr', 'epci'],
    ['ptsm', 'departement'],
    ['cpts', 'epci'],
    ['cpts', 'cls'],
  ];

  it('never lets two outlines of coincident layers overlap', () => {
    for (const [a, b] of COINCIDENT) {
      const la = KNOWN_LOOKS[a!]!;
      const lb = KNOWN_LOOKS[b!]!;
      const gap = Math.abs((la.offset ?? 0) - (lb.offset ?? 0));
      expect(gap, `${a}/${b}`).toBeGreaterThanOrEqual((la.width + lb.width) / 2);
    }
  });

  it('keeps every offset outline within one lane', () => {
    for (const [id, look] of Object.entries(KNOWN_LOOKS)) {
      if (!look.offset) continue;
      expect(look.width, id).toBeLessThanOrEqual(LANE);
      expect(look.offset / LANE, id).toBe(Math.round(look.offset / LANE));
    }
  });
});
