import { describe, expect, it } from 'vitest';
import { asCode, searchKey } from '../../core/search-key.ts';

describe('searchKey', () => {
  it('folds accents, case, hyphens and apostrophes', () => {
    expect(searchKey('Saint-Étienne')).toBe('saint etienne');
    expect(searchKey('saint etienne')).toBe('saint etienne');
    expect(searchKey('ÉVRY-Courcouronnes')).toBe('evry courcouronnes');
    expect(searchKey("L'Haÿ-les-Roses")).toBe('l hay les roses');
    expect(searchKey('Val d’Issoire')).toBe('val d issoire');
  });

  it('expands ligatures and the usual abbreviations', () => {
    expect(searchKey('Œuilly')).toBe('oeuilly');
    expect(searchKey('St-Étienne')).toBe('saint etienne');
    expect(searchKey('Ste Foy')).toBe('sainte foy');
    // inside a word, "st" is not an abbreviation
    expect(searchKey('Est Ensemble')).toBe('est ensemble');
  });

  it('keeps digits and drops every other symbol', () => {
    expect(searchKey("'; DROP TABLE atlas.commune; --")).toBe('drop table atlas commune');
    expect(searchKey('  42218  ')).toBe('42218');
    expect(searchKey('%%%')).toBe('');
  });
});

describe('asCode', () => {
  it('recognises codes typed as such', () => {
    expect(asCode('42218')).toBe('42218');
    expect(asCode('2a004')).toBe('2A004');
    expect(asCode(' qn03101m ')).toBe('QN03101M');
    expect(asCode('200070407')).toBe('200070407');
  });

  it('does not take plain words for codes', () => {
    expect(asCode('issoire')).toBeNull();
    expect(asCode('saint etienne')).toBeNull();
    expect(asCode('7')).toBeNull();
  });
});
