// Planning a perimeter import on a small COG: re-keyed, unknown, partial and duplicate
// codes, communes shared between perimeters or outside the declared région, and
// polygons grouped by code.
import { describe, expect, it } from 'vitest';
import { buildCogIndex } from '../../core/cog.ts';
import { PerimeterImportError } from '../../core/perimeters/errors.ts';
import { planList, planPolygons, summariseMemberships } from '../../core/perimeters/plan.ts';
import type { CommuneInfo, ListInput, PolygonInput } from '../../core/perimeters/types.ts';

// 25390 Pays-de-Montbenoît (2017) was made of 25390 (Montbenoît), 25303, 25347, 25398, 25620.
const cog = buildCogIndex(
  ['46042', '46102', '25390', '01001'],
  [
    { from: '46042', to: '46042' },
    { from: '46102', to: '46102' },
    { from: '01001', to: '01001' },
    ...['25390', '25303', '25347', '25398', '25620'].map((from) => ({ from, to: '25390' })),
  ],
);
const communes = new Map<string, CommuneInfo>([
  ['46042', { name: 'Cahors', region: '76', departement: '46' }],
  ['46102', { name: 'Douelle', region: '76', departement: '46' }],
  ['25390', { name: 'Pays-de-Montbenoît', region: '27', departement: '25' }],
  ['01001', { name: "L'Abergement-Clémenciat", region: '84', departement: '01' }],
]);

function list(rows: [string, string, string][]): ListInput {
  return {
    format: 'csv',
    rows: rows.map(([code, name, commune], i) => ({ line: i + 2, code, name, commune })),
    rowsRead: rows.length,
    ignored: [],
    columns: { code: 'code', name: 'nom', commune: 'insee' },
    encoding: 'utf-8',
    separator: ';',
    warnings: [],
  };
}

describe('planList', () => {
  it('re-keys old codes, with the part of a commune nouvelle they stand for', () => {
    const plan = planList(
      list([
        ['A', 'CPTS A', '46042'],
        ['A', 'CPTS A', '46102'],
        ['B', 'CPTS B', '25347'],
        ['B', 'CPTS B', '25620'],
      ]),
      { cog, communes },
    );
    expect(plan.perimeters.map((p) => [p.code, p.name])).toEqual([
      ['A', 'CPTS A'],
      ['B', 'CPTS B'],
    ]);
    expect(plan.memberships).toEqual([
      { code: 'A', commune: '46042', share: 1 },
      { code: 'A', commune: '46102', share: 1 },
      { code: 'B', commune: '25390', share: 0.4 },
    ]);
    expect(plan.report).toMatchObject({
      rowsRead: 4,
      perimeters: 2,
      communesMatched: 3,
      memberships: 3,
      rekeyed: [
        { from: '25347', to: '25390' },
        { from: '25620', to: '25390' },
      ],
      partial: [{ perimeter: 'B', commune: '25390', share: 0.4, listed: ['25347', '25620'] }],
      unknown: [],
      duplicates: [],
    });
  });

  it('lists unknown codes, duplicates, shared communes, communes outside the région and empty perimeters', () => {
    const plan = planList(
      list([
        ['A', 'CPTS A', '46042'],
        ['A', 'CPTS A', '46042'],
        ['A', 'CPTS A', '1001'],
        ['B', 'CPTS B', '46042'],
        ['B', 'CPTS B', '99999'],
        ['C', 'CPTS C', '99999'],
        ['C', 'CPTS C', 'abc'],
      ]),
      { cog, communes, region: '76' },
    );
    expect(plan.perimeters.map((p) => p.code)).toEqual(['A', 'B']);
    expect(plan.report.unknown).toEqual([
      { code: '99999', perimeters: ['B', 'C'] },
      { code: 'abc', perimeters: ['C'] },
    ]);
    expect(plan.report.duplicates).toEqual([{ perimeter: 'A', commune: '46042' }]);
    expect(plan.report.sharedCommunes).toEqual([{ commune: '46042', perimeters: ['A', 'B'] }]);
    expect(plan.report.outsideRegion).toEqual([{ commune: '01001', name: "L'Abergement-Clémenciat", region: '84', perimeters: ['A'] }]);
    expect(plan.report.emptyPerimeters).toEqual(['C']);
    expect(plan.report.communesMatched).toBe(2);
  });

  it('keeps the first of several names and flags formula-like names', () => {
    const plan = planList(
      list([
        ['A', '=HYPERLINK("http://exemple.invalid","clic")', '46042'],
        ['B', 'Premier', '46102'],
        ['B', 'Second', '46102'],
      ]),
      { cog, communes },
    );
    expect(plan.perimeters.map((p) => p.name)).toEqual(['=HYPERLINK("http://exemple.invalid","clic")', 'Premier']);
    expect(plan.report.warnings.join('\n')).toMatch(/Périmètre B : plusieurs noms \(« Premier », « Second »\)/);
    expect(plan.report.warnings.join('\n')).toMatch(/Noms commençant par = \+ - ou @ \(A\)/);
  });

  it('refuses an unknown région', () => {
    expect(() => planList(list([['A', 'A', '46042']]), { cog, communes, region: '99' })).toThrow(PerimeterImportError);
    expect(() => planList(list([['A', 'A', '46042']]), { cog, communes, region: '99' })).toThrow(/Région inconnue : « 99 »/);
  });
});

describe('planPolygons', () => {
  const square = (x: number) => ({
    type: 'Polygon' as const,
    coordinates: [
      [
        [x, 45],
        [x + 1, 45],
        [x + 1, 46],
        [x, 46],
        [x, 45],
      ],
    ],
  });
  const input: PolygonInput = {
    format: 'geojson',
    features: [
      { index: 1, code: 'S1', name: 'Secteur 1', geometry: square(0), attrs: {} },
      { index: 2, code: 'S2', name: 'Secteur 2', geometry: square(2), attrs: { pop: 3 } },
      { index: 3, code: 'S1', name: 'Secteur 1', geometry: square(1), attrs: {} },
    ],
    rowsRead: 3,
    ignored: [],
    fields: { code: 'code', name: 'nom' },
    projection: 'WGS84 (EPSG:4326)',
    warnings: [],
  };

  it('makes one perimeter per code, keeping each feature for the validity check', () => {
    const plan = planPolygons(input, { communes });
    expect(plan.kind).toBe('polygons');
    expect(plan.perimeters.map((p) => [p.code, p.geometry?.type])).toEqual([
      ['S1', 'MultiPolygon'],
      ['S2', 'Polygon'],
    ]);
    expect(plan.perimeters[0]!.geometry!.coordinates).toHaveLength(2);
    expect(plan.perimeters[1]!.attrs).toEqual({ pop: 3 });
    expect(plan.features.map((f) => [f.index, f.code])).toEqual([
      [1, 'S1'],
      [2, 'S2'],
      [3, 'S1'],
    ]);
    expect(plan.report.warnings.join()).toMatch(/regroupés en un périmètre : S1 \(2 objets\)/);
  });
});

describe('summariseMemberships', () => {
  it('counts distinct communes and flags those outside the région', () => {
    const s = summariseMemberships(
      [
        { code: 'S1', commune: '46042', share: 1 },
        { code: 'S2', commune: '46042', share: 0.2 },
        { code: 'S2', commune: '25390', share: 1 },
      ],
      { communes, region: '76' },
    );
    expect(s).toEqual({
      communesMatched: 2,
      memberships: 3,
      sharedCommunes: [{ commune: '46042', perimeters: ['S1', 'S2'] }],
      outsideRegion: [{ commune: '25390', name: 'Pays-de-Montbenoît', region: '27', perimeters: ['S2'] }],
    });
  });
});
