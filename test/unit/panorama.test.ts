// The panorama's rules on hand-made rows: bands, scale of perimeters, coverage shares,
// fiction excluded by default, coordination spread, QPV covered only by a whole commune,
// growth by year, and the "connus" wording.
import { describe, expect, it } from 'vitest';
import {
  computePanorama,
  countWording,
  perimeterScale,
  populationBand,
  spread,
  type PanoramaInput,
  type PanoramaUnit,
  type UnitCommune,
} from '../../server/analysis/panorama.ts';

const commune = (code: string, population: number, o: Partial<UnitCommune> = {}): UnitCommune => ({
  code,
  share: 1,
  population,
  area: code.slice(0, 2),
  arrondissement: `${code.slice(0, 2)}1`,
  epci: [`E${code.slice(0, 2)}`],
  petr: [],
  pnr: [],
  ...o,
});
const unit = (code: string, type: PanoramaUnit['type'], communes: UnitCommune[], o: Partial<PanoramaUnit> = {}): PanoramaUnit => ({
  code,
  name: code,
  type,
  status: 'en_cours',
  fictif: false,
  signatureDate: null,
  fte: null,
  communes,
  ...o,
});

function input(units: PanoramaUnit[], o: Partial<PanoramaInput> = {}): PanoramaInput {
  return {
    zone: { code: 'R', name: 'Région', population: 200_000, communes: 10 },
    areas: [
      { code: '46', name: 'Lot', population: 150_000, communes: 6 },
      { code: '82', name: 'Tarn-et-Garonne', population: 50_000, communes: 4 },
    ],
    units,
    unitSizes: new Map([
      ['epci:E46', 2],
      ['epci:E82', 4],
      ['petr:P1', 3],
    ]),
    qpv: [],
    coordinators: [],
    includeFictif: false,
    national: false,
    ...o,
  };
}

describe('population bands', () => {
  it('puts each bound in the upper band', () => {
    expect(populationBand(9_999)).toBe('moins_10k');
    expect(populationBand(10_000)).toBe('10k_20k');
    expect(populationBand(49_999)).toBe('20k_50k');
    expect(populationBand(93_000)).toBe('50k_100k');
    expect(populationBand(100_000)).toBe('plus_100k');
  });
});

describe('scale of perimeters', () => {
  const sizes = new Map([
    ['epci:E46', 2],
    ['petr:P1', 3],
  ]);
  it('tells a neighbourhood from a commune', () => {
    expect(perimeterScale(unit('a', 'ASV', [commune('46001', 10, { share: 0.3 })]), sizes)).toEqual({ scale: 'quartier', exact: false });
    expect(perimeterScale(unit('b', 'CLS', [commune('46001', 10)]), sizes)).toEqual({ scale: 'commune', exact: true });
  });
  it('finds the smallest group holding every commune, exact when it is the whole group', () => {
    const two = [commune('46001', 1), commune('46002', 1)];
    expect(perimeterScale(unit('c', 'CLS', two), sizes)).toEqual({ scale: 'epci', exact: true });
    const three = [
      commune('46001', 1, { petr: ['P1'] }),
      commune('46002', 1, { petr: ['P1'] }),
      commune('82001', 1, { petr: ['P1'], epci: ['E82'] }),
    ];
    expect(perimeterScale(unit('d', 'CLS', three), sizes)).toEqual({ scale: 'petr', exact: true });
    expect(perimeterScale(unit('e', 'CLS', [commune('46001', 1), commune('82001', 1, { arrondissement: '821' })]), sizes)).toEqual({
      scale: 'plus_large',
      exact: false,
    });
    expect(perimeterScale(unit('f', 'CLSM', []), sizes).scale).toBe('sans_perimetre');
  });
});

describe('spread', () => {
  it('gives median and quartiles by linear interpolation', () => {
    expect(spread([4, 1, 3, 2])).toEqual({ n: 4, min: 1, q1: 1.8, median: 2.5, q3: 3.3, max: 4 });
    expect(spread([])).toMatchObject({ n: 0, median: null });
  });
});

describe('wording', () => {
  it('says connus unless the inventory is complete', () => {
    expect(countWording('CLS', 3, { status: 'partiel', completeAt: null })).toBe('3 CLS connus (registre partiel)');
    expect(countWording('CPTS', 1, { status: 'inconnu', completeAt: null })).toBe('1 CPTS connue (exhaustivité du registre inconnue)');
    expect(countWording('ASV', 2, { status: 'complet', completeAt: '2026-11-30' })).toBe('2 ASV (inventaire complet au 30/11/2026)');
  });
});

describe('computePanorama', () => {
  const cls = unit('cls', 'CLS', [commune('46001', 60_000), commune('46002', 33_000)], { signatureDate: '2019-07', fte: 1 });
  const asv = unit('asv', 'ASV', [commune('82001', 20_000, { share: 0.5 })], { signatureDate: '2019', fte: 0.5, status: 'termine' });
  const outside = unit('far', 'CLS', [commune('13001', 900_000, { area: null })]);
  const fict = unit('cpts-f', 'CPTS', [commune('46003', 5_000)], { fictif: true, status: null });

  it('counts by type and status, covers population and communes, area by area', () => {
    const p = computePanorama(input([cls, asv, outside, fict]));
    const byType = Object.fromEntries(p.types.map((t) => [t.type, t]));
    expect(byType.CLS).toMatchObject({ count: 1, coveredCommunes: 2, coveredPopulation: 93_000, communeShare: 0.2 });
    expect(byType.CLS!.populationShare).toBeCloseTo(0.465);
    expect(byType.ASV).toMatchObject({ count: 1, coveredPopulation: 10_000, byStatus: { termine: 1, en_cours: 0 } });
    expect(byType.CPTS!.count).toBe(0);
    const lot = p.areas.find((a) => a.code === '46')!.types.find((t) => t.type === 'CLS')!;
    expect(lot).toMatchObject({ count: 1, coveredPopulation: 93_000 });
    expect(lot.populationShare).toBeCloseTo(0.62);
    expect(p.areas.find((a) => a.code === '82')!.types.find((t) => t.type === 'CLS')!.count).toBe(0);
    expect(p.units.map((u) => u.code).sort()).toEqual(['asv', 'cls']);
    expect(p.units.find((u) => u.code === 'cls')).toMatchObject({ band: '50k_100k', scale: 'epci', exactScale: true, year: 2019 });
  });

  it('excludes fictitious units by default and says so; counts them with the word when asked', () => {
    const off = computePanorama(input([cls, fict]));
    expect(off.fiction).toMatchObject({ included: false, count: 1 });
    expect(off.fiction.wording).toContain('exclu');
    const on = computePanorama(input([cls, fict], { includeFictif: true }));
    expect(on.types.find((t) => t.type === 'CPTS')).toMatchObject({ count: 1, fictitious: 1, byStatus: { non_renseigne: 1 } });
    expect(on.fiction.wording).toContain('fictif');
  });

  it('bands, coordination, growth', () => {
    const big = unit('big', 'CLS', [commune('46004', 150_000)], { signatureDate: '2021-01-01', fte: 2 });
    const p = computePanorama(input([cls, asv, big]));
    expect(p.bands.find((b) => b.type === 'CLS')!.counts).toMatchObject({ '50k_100k': 1, plus_100k: 1, moins_10k: 0 });
    expect(p.bands.find((b) => b.type === 'ASV')!.counts['10k_20k']).toBe(1);
    expect(p.coordination).toMatchObject({ fteTotal: 3.5, schemesWithFte: 3, schemesWithoutFte: 0 });
    // inhabitants per FTE: 93 000 / 1, 10 000 / 0.5, 150 000 / 2
    expect(p.coordination.inhabitantsPerFte).toMatchObject({ n: 3, min: 20_000, median: 75_000, max: 93_000 });
    expect(p.growth.years).toEqual([
      { year: 2019, count: 2, byType: { CLS: 1, ASV: 1, CLSM: 0, PTSM: 0, CPTS: 0 }, medianPopulation: 51_500 },
      { year: 2021, count: 1, byType: { CLS: 1, ASV: 0, CLSM: 0, PTSM: 0, CPTS: 0 }, medianPopulation: 150_000 },
    ]);
  });

  it('finds coordinators carrying several schemes of the zone only', () => {
    const coords = [
      { scheme: 'cls', key: 'k1', name: 'Mme A' },
      { scheme: 'asv', key: 'k1', name: 'Mme A' },
      { scheme: 'far', key: 'k2', name: 'M. B' },
      { scheme: 'far2', key: 'k2', name: 'M. B' },
    ];
    const p = computePanorama(input([cls, asv, outside], { coordinators: coords }));
    expect(p.coordination.multiSchemeCoordinators).toEqual([{ key: 'k1', name: 'Mme A', schemes: ['asv', 'cls'] }]);
    expect(p.coordination.coordinatorsFilledFor).toBe(2);
  });

  it('counts a QPV as covered only when an ASV or CLS covers one of its communes wholly', () => {
    const qpv = [
      { code: 'QN1', name: 'Q1', communes: ['46001'] }, // CLS covers the whole commune
      { code: 'QN2', name: 'Q2', communes: ['82001'] }, // ASV covers half of it: unknown, not covered
      { code: 'QN3', name: 'Q3', communes: ['82002'] }, // nothing
    ];
    const p = computePanorama(input([cls, asv], { qpv }));
    expect(p.qpv).toMatchObject({ total: 3, uncovered: 2, communesWithQpv: 3, communesNeither: 1, communesPartial: 1 });
    expect(p.qpv.uncoveredList.map((q) => q.code)).toEqual(['QN2', 'QN3']);
    expect(p.qpv.communesShare).toBeCloseTo(2 / 3);
  });

  it('counts a scheme without perimeter in France only', () => {
    const none = unit('clsm', 'CLSM', []);
    expect(computePanorama(input([none])).types.find((t) => t.type === 'CLSM')!.count).toBe(0);
    const fr = computePanorama(input([none], { national: true }));
    expect(fr.types.find((t) => t.type === 'CLSM')!.count).toBe(1);
    expect(fr.bands.find((b) => b.type === 'CLSM')!.unknown).toBe(1);
    expect(fr.scales.find((s) => s.type === 'CLSM')!.counts.sans_perimetre).toBe(1);
  });
});
