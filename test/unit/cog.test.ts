import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCogIndex, normaliseCommuneCode, rekey, rekeyList } from '../../core/cog.ts';
import { readPassages } from '../../geodata/reference.ts';
import { GEODATA_DIR } from '../support/geodata-dir.ts';

// A commune nouvelle 25390 made of five former communes (its own former code among them),
// and an untouched commune 25356.
const index = buildCogIndex(
  ['25390', '25356'],
  [
    { from: '25303', to: '25390' },
    { from: '25347', to: '25390' },
    { from: '25390', to: '25390' },
    { from: '25398', to: '25390' },
    { from: '25620', to: '25390' },
    { from: '25356', to: '25356' },
    { from: '99999', to: '11111' }, // target not current: ignored
  ],
);

describe('normaliseCommuneCode', () => {
  it('restores the leading zero spreadsheets drop and accepts Corsica', () => {
    expect(normaliseCommuneCode('1004')).toBe('01004');
    expect(normaliseCommuneCode('2a004')).toBe('2A004');
    expect(normaliseCommuneCode('123')).toBeNull();
    expect(normaliseCommuneCode('ABCDE')).toBeNull();
  });
});

describe('rekey', () => {
  it('keeps current codes, re-keys former ones, reports unknown ones', () => {
    expect(rekey(index, '25356')).toEqual({ code: '25356', status: 'current' });
    expect(rekey(index, '25347')).toEqual({ code: '25390', status: 'rekeyed' });
    expect(rekey(index, '99999')).toEqual({ code: null, status: 'unknown' });
    expect(rekey(index, 'x')).toEqual({ code: null, status: 'unknown' });
  });
});

describe('rekeyList', () => {
  it('makes a commune nouvelle a partial member when only some former communes are listed', () => {
    const r = rekeyList(index, ['25347', '25620', '25356']);
    expect(r.members).toEqual([
      { code: '25390', share: 0.4 },
      { code: '25356', share: 1 },
    ]);
    expect(r.partial).toEqual([{ code: '25390', share: 0.4, listed: ['25347', '25620'] }]);
    expect(r.rekeyed).toEqual([
      { from: '25347', to: '25390' },
      { from: '25620', to: '25390' },
    ]);
  });

  it('takes a listed current code as the whole commune', () => {
    const r = rekeyList(index, ['25390', '25347']);
    expect(r.members).toEqual([{ code: '25390', share: 1 }]);
    expect(r.partial).toEqual([]);
  });

  it('reports unknown codes and duplicates', () => {
    const r = rekeyList(index, ['25356', '25356', '00000']);
    expect(r.members).toEqual([{ code: '25356', share: 1 }]);
    expect(r.duplicates).toEqual(['25356']);
    expect(r.unknown).toEqual(['00000']);
  });

  it('re-keys with INSEE’s real history of mergers', () => {
    const passages = readPassages(path.join(GEODATA_DIR, 'cog/communes-passage-2003-2025.csv'));
    const current = new Set(passages.map((p) => p.to));
    const real = buildCogIndex(current, passages);
    // La Longeville and Ville-du-Pont (PNR decree, 2021) are in Pays-de-Montbenoît since 2024
    expect(rekey(real, '25347')).toEqual({ code: '25390', status: 'rekeyed' });
    expect(rekey(real, '25620')).toEqual({ code: '25390', status: 'rekeyed' });
    expect(real.formerCodes.get('25390')?.size).toBe(5);
  });
});
