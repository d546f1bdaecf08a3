// The gaps summed by département or EPCI (the map's choropleth at France and région
// zoom), the names of analysis exports, and the header lines of an analysis CSV.
import { describe, expect, it } from 'vitest';
import { coverageGaps, gapsByArea, type ZoneCommune } from '../../server/analysis/gaps.ts';
import { analysisCsv, FORMULA_START } from '../../core/csv/write.ts';
import { exportDate, exportFileName, fileSlug } from '../../contract/export-name.ts';

type Row = ZoneCommune & { dep: string; epci: string | null };
const row = (code: string, population: number, covered: number | null, dep: string, epci: string | null): Row => ({
  code,
  name: `Commune ${code}`,
  population,
  areaKm2: 1,
  covered,
  dep,
  epci,
});

describe('gapsByArea', () => {
  const zone: Row[] = [
    row('a', 100, null, '63', 'e1'),
    row('b', 300, 1, '63', 'e1'),
    row('c', 50, 0, '63', 'e2'),
    row('d', 1000, 0.5, '15', 'e2'),
    row('e', 0, null, '15', null),
    row('f', 200, null, '15', 'e3'),
  ];
  const byDep = gapsByArea(zone, (c) => ({ code: c.dep, name: `Dép. ${c.dep}` }));
  const byEpci = gapsByArea(zone, (c) => (c.epci ? { code: c.epci, name: c.epci } : null));

  it('counts the communes and the people without the layer, partly covered counting as covered', () => {
    expect(byDep).toEqual([
      { code: '63', name: 'Dép. 63', communeCount: 3, uncoveredCount: 2, population: 450, uncoveredPopulation: 150, share: 150 / 450 },
      { code: '15', name: 'Dép. 15', communeCount: 3, uncoveredCount: 2, population: 1200, uncoveredPopulation: 200, share: 200 / 1200 },
    ]);
  });

  it('leaves out the communes of no area and sorts by uncovered share', () => {
    expect(byEpci.map((a) => [a.code, a.communeCount, a.uncoveredPopulation, a.share])).toEqual([
      ['e3', 1, 200, 1],
      ['e1', 2, 100, 0.25],
      ['e2', 2, 50, 50 / 1050],
    ]);
  });

  it('adds up to the commune list of the same zone', () => {
    const all = coverageGaps(zone);
    expect(byDep.reduce((s, a) => s + a.uncoveredPopulation, 0)).toBe(all.uncovered.population);
    expect(byDep.reduce((s, a) => s + a.uncoveredCount, 0)).toBe(all.uncovered.communeCount);
    expect(byDep.reduce((s, a) => s + a.population, 0)).toBe(all.zone.population);
  });

  it('gives a share of 0 where nobody lives', () => {
    const [empty] = gapsByArea([row('z', 0, null, '975', null)], (c) => ({ code: c.dep, name: '' }));
    expect(empty).toMatchObject({ uncoveredCount: 1, share: 0 });
  });
});

describe('export file names', () => {
  it('carry the subject, the zone by name and code, and the date', () => {
    expect(exportFileName('communes-sans-cls', { name: 'Puy-de-Dôme', code: '63' }, '2026-12-01', 'csv')).toBe(
      'communes-sans-cls-puy-de-dome-63-2026-12-01.csv',
    );
    expect(exportFileName('qpv-sans-asv-ni-cls', null, '2026-12-01', 'csv')).toBe('qpv-sans-asv-ni-cls-france-2026-12-01.csv');
    expect(exportFileName('communes-sans-cpts', { name: 'CC du Pays d’Issoire', code: '200070407' }, '2026-01-31', 'geojson')).toBe(
      'communes-sans-cpts-cc-du-pays-d-issoire-200070407-2026-01-31.geojson',
    );
  });

  it('spell names in plain ASCII', () => {
    expect(fileSlug('Cœur de Savoie')).toBe('coeur-de-savoie');
    expect(fileSlug('Corse-du-Sud')).toBe('corse-du-sud');
    expect(fileSlug('  Île-de-France ')).toBe('ile-de-france');
    expect(fileSlug('2A')).toBe('2a');
  });

  it('date the file in French time', () => {
    // 23:30 UTC on 30 November is already 1 December in Paris
    expect(exportDate(new Date('2026-11-30T23:30:00Z'))).toBe('2026-12-01');
    expect(exportDate(new Date('2026-07-14T12:00:00Z'))).toBe('2026-07-14');
  });
});

describe('analysisCsv', () => {
  const csv = analysisCsv(
    {
      title: 'communes sans CLS connu',
      query: 'GET /api/gaps?layer=cls&within=departement:63&format=csv',
      zone: 'Puy-de-Dôme (departement:63)',
      inventory: 'communes sans CLS connu : inventaire partiel',
      fiction: null,
      vintage: 'Communes : COG 2025',
    },
    [
      { key: 'code', label: 'code_commune' },
      { key: 'name', label: 'nom_commune' },
    ],
    [{ code: '63178', name: '=HYPERLINK("x")' }],
  );
  const lines = csv.slice(1).split('\r\n');

  it('starts with the byte-order mark, then says the zone, the inventory, the fiction, the query and the vintage', () => {
    expect(csv.startsWith('\uFEFF# communes sans CLS connu\r\n')).toBe(true);
    expect(lines.slice(0, 6)).toEqual([
      '# communes sans CLS connu',
      '# zone : Puy-de-Dôme (departement:63)',
      '# état du registre : communes sans CLS connu : inventaire partiel',
      '# données fictives : aucune comptée',
      '# requête : GET /api/gaps?layer=cls&within=departement:63&format=csv',
      '# millésime des données : Communes : COG 2025',
    ]);
    expect(lines[6]).toBe('code_commune;nom_commune');
  });

  it('keeps the formula guard on the cells', () => {
    const cell = lines[7]!.split(';')[1]!.replace(/^"|"$/g, '');
    expect(FORMULA_START.test(cell)).toBe(false);
    expect(cell.startsWith("'=HYPERLINK")).toBe(true);
  });
});
