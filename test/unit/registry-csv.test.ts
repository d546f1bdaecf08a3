import { describe, expect, it } from 'vitest';
import type { SchemeRecord } from '../../core/queries/registry.ts';
import { registryFromCsv, registryToCsv } from '../../server/registry/csv.ts';

const scheme: SchemeRecord = {
  code: 'cls-test',
  type: 'CLS',
  name: 'Contrat local de santé ; « test »',
  bearerType: 'EPCI',
  bearerName: '=HYPERLINK("http://x","y")',
  perimeterRef: null,
  signatureDate: '2019-07',
  generation: 2,
  status: 'en_cours',
  endDate: null,
  coordinationFte: 0.5,
  themes: ['santé mentale', 'accès aux soins'],
  signatories: ['ARS Occitanie', 'Préfecture du Lot'],
  region: '76',
  source: 'Registre',
  sourceKind: 'import',
  sourceDate: '2026-11-30',
  remark: 'Ligne 1\nLigne 2',
  version: 3,
  communes: [
    { code: '46042', share: 1 },
    { code: '46102', share: 0.4 },
  ],
};

describe('registry CSV', () => {
  it('round-trips every field', () => {
    const csv = registryToCsv([scheme]);
    expect(csv).toContain("'=HYPERLINK"); // neutralised for spreadsheets
    const { rows, errors } = registryFromCsv(Buffer.from(csv));
    expect(errors).toEqual([]);
    expect(csv.split('\r\n')[0]).toMatch(/;date_source$/); // provenance shown in the export
    expect(csv).toContain(';2026-11-30\r\n');
    const { version: _v, region: _r, sourceKind: _k, sourceDate: _d, ...expected } = scheme;
    expect(rows).toEqual([{ line: 2, record: expected }]);
    expect(
      registryToCsv(rows.map((r) => ({ ...r.record, version: 3, region: '76', sourceKind: 'import', sourceDate: '2026-11-30' }))),
    ).toBe(csv);
  });

  it('reports missing columns and bad numbers', () => {
    expect(registryFromCsv('code;type\nx;CLS\n').errors[0]).toMatch(/colonnes manquantes : nom/);
    const csv = registryToCsv([scheme]).replace(';0,5;', ';beaucoup;');
    expect(registryFromCsv(csv).errors).toEqual(['ligne 2 : « etp_coordination » n’est pas un nombre (beaucoup)']);
  });
});
