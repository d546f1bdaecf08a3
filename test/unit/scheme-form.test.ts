// The scheme editor's patch: only what changed is sent, emptied fields become null,
// a French decimal comma is read, and a changed perimeter is sent whole.
import { describe, expect, it } from 'vitest';
import { buildPatch, emptyForm, formFromScheme, perimeterChanged, perimeterDiff } from '../../client/src/lib/schemeForm.ts';
import type { SchemeRecord } from '../../client/src/lib/registry.ts';

const issoire: SchemeRecord = {
  code: 'cls-agglo-pays-d-issoire',
  type: 'CLS',
  name: "CLS Agglo Pays d'Issoire",
  bearerType: 'EPCI',
  bearerName: "Agglo Pays d'Issoire",
  signatureDate: '2019-06-27',
  generation: 2,
  status: 'en cours',
  endDate: null,
  coordinationFte: 0.5,
  themes: ['santé mentale'],
  signatories: ['ARS'],
  region: '84',
  remark: null,
  version: 3,
  communes: [
    { code: '63178', share: 1 },
    { code: '63040', share: 1 },
  ],
};

const untouched = () => ({ communes: issoire.communes.map((c) => c.code), groups: [], pasted: '' });

describe('scheme form', () => {
  it('sends nothing when nothing changed', () => {
    expect(buildPatch(issoire, formFromScheme(issoire), untouched())).toEqual({});
  });

  it('sends only the changed fields: trimmed, emptied as null, "0,8" as 0.8', () => {
    const form = { ...formFromScheme(issoire), name: "  CLS de l'Agglo Pays d'Issoire ", bearerName: '  ', coordinationFte: '0,8' };
    expect(buildPatch(issoire, form, untouched())).toEqual({
      name: "CLS de l'Agglo Pays d'Issoire",
      bearerName: null,
      coordinationFte: 0.8,
    });
  });

  it('sends lists whole when their content or order changed', () => {
    const form = { ...formFromScheme(issoire), themes: ['santé mentale', 'nutrition'], signatories: [] };
    expect(buildPatch(issoire, form, untouched())).toEqual({ themes: ['santé mentale', 'nutrition'], signatories: [] });
  });

  it('sends the whole perimeter when a commune is added, with the groupings and the pasted codes', () => {
    const draft = {
      communes: ['63178', '63040', '63113'],
      groups: [{ layer: 'epci' as const, code: '200070407', name: 'x' }],
      pasted: '63001',
    };
    expect(perimeterDiff(issoire, draft.communes)).toEqual({ added: ['63113'], removed: [] });
    expect(buildPatch(issoire, formFromScheme(issoire), draft)).toEqual({
      perimeter: { communes: ['63178', '63040', '63113'], epci: ['200070407'], petr: [], pnr: [], pasted: '63001' },
    });
  });

  it('sees a removed commune as a change, and a blank paste as none', () => {
    expect(perimeterDiff(issoire, ['63178'])).toEqual({ added: [], removed: ['63040'] });
    expect(perimeterChanged(issoire, { communes: ['63178'], groups: [], pasted: '' })).toBe(true);
    expect(perimeterChanged(issoire, { ...untouched(), pasted: ' \n ' })).toBe(false);
  });

  it('starts empty: a form read from nothing differs from any scheme by its name', () => {
    expect(emptyForm().name).toBe('');
    expect(buildPatch(issoire, { ...emptyForm(), type: 'CLS' }, untouched())).toMatchObject({
      name: '',
      bearerType: null,
      generation: null,
    });
  });
});
