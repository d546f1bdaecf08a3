// The permalink codec of the web client: what the URL fragment holds and how it reads back.
import { describe, expect, it } from 'vitest';
import { decodePermalink, encodePermalink, historyKey, sameSelection, type Permalink } from '../../client/src/lib/permalink.ts';

const NONE: Permalink = { view: null, layers: null, opacity: {}, analysis: null, selection: null };

describe('permalink', () => {
  it('encodes view, layers, opacity and selection in a stable order', () => {
    const p: Permalink = {
      view: { zoom: 6.234, lat: 46.51234, lon: 2.41234 },
      layers: ['epci', 'cls'],
      opacity: { epci: 0.5 },
      analysis: null,
      selection: { layer: 'epci', code: '200070407' },
    };
    expect(encodePermalink(p)).toBe('map=6.23/46.512/2.412&layers=epci,cls&opacity=epci:0.5&sel=epci:200070407');
  });

  it('round-trips', () => {
    const p: Permalink = {
      view: { zoom: 11, lat: 45.5446, lon: 3.2493 },
      layers: ['commune', 'qpv', 'secteur-psy-adulte'],
      opacity: { qpv: 0.25 },
      analysis: null,
      selection: { layer: 'scheme', code: 'cls-agglo-pays-issoire' },
    };
    expect(decodePermalink('#' + encodePermalink(p))).toEqual(p);
  });

  it('keeps more decimals when zoomed in', () => {
    const s = encodePermalink({ ...NONE, view: { zoom: 15, lat: 45.123456789, lon: 3.987654321 } });
    expect(s).toBe('map=15/45.12346/3.98765');
  });

  it('distinguishes "no layer" from "layers not given"', () => {
    expect(decodePermalink('#layers=').layers).toEqual([]);
    expect(decodePermalink('#map=5/46/2').layers).toBeNull();
    expect(encodePermalink({ ...NONE, layers: [] })).toBe('layers=');
  });

  it('drops opacity of inactive layers', () => {
    expect(encodePermalink({ ...NONE, layers: ['cls'], opacity: { epci: 0.3, cls: 0.8 } })).toBe('layers=cls&opacity=cls:0.8');
  });

  it('ignores malformed parts without throwing', () => {
    const p = decodePermalink('#map=abc/1/2&layers=EPCI,cls,,cls,<x>&opacity=cls:2,asv:0.4,qpv:&sel=nolayer&foo=bar');
    expect(p).toEqual({ ...NONE, layers: ['cls'], opacity: { asv: 0.4 } });
    expect(decodePermalink('#map=30/46/2').view).toBeNull();
    expect(decodePermalink('#map=5/95/2').view).toBeNull();
    expect(decodePermalink('#sel=epci:%E0%A4%A').selection).toBeNull();
    expect(decodePermalink('#sel=epci:a b').selection).toBeNull();
    expect(decodePermalink('').selection).toBeNull();
  });

  it('encodes codes safely', () => {
    const s = encodePermalink({ ...NONE, selection: { layer: 'qpv', code: 'QN09301M' } });
    expect(decodePermalink(s).selection).toEqual({ layer: 'qpv', code: 'QN09301M' });
  });

  it('encodes each analysis view with its parameters', () => {
    const compare: Permalink = {
      ...NONE,
      layers: ['epci'],
      analysis: {
        kind: 'compare',
        perimeters: [
          { layer: 'scheme', code: 'cls-grand-quercy' },
          { layer: 'petr', code: 'PETR-GRAND-QUERCY' },
        ],
      },
    };
    expect(encodePermalink(compare)).toBe('layers=epci&view=compare&p=scheme:cls-grand-quercy,petr:PETR-GRAND-QUERCY');
    const gaps: Permalink = { ...NONE, analysis: { kind: 'gaps', layer: 'cls', within: { layer: 'departement', code: '46' } } };
    expect(encodePermalink(gaps)).toBe('view=gaps&layer=cls&within=departement:46');
    expect(encodePermalink({ ...NONE, analysis: { kind: 'gaps', layer: 'cpts', within: 'france' } })).toBe(
      'view=gaps&layer=cpts&within=france',
    );
    const load: Permalink = { ...NONE, analysis: { kind: 'load', schemes: ['cls-grand-quercy', 'cls-agglo-pays-issoire'] } };
    expect(encodePermalink(load)).toBe('view=load&s=cls-grand-quercy,cls-agglo-pays-issoire');
    const ent: Permalink = { ...NONE, analysis: { kind: 'entanglement' }, selection: { layer: 'scheme', code: 'cls-grand-quercy' } };
    expect(encodePermalink(ent)).toBe('view=entanglement&sel=scheme:cls-grand-quercy');
    for (const p of [compare, gaps, load, ent]) expect(decodePermalink('#' + encodePermalink(p))).toEqual(p);
  });

  it('reads analysis views with missing or partial parameters', () => {
    expect(decodePermalink('#view=compare').analysis).toEqual({ kind: 'compare', perimeters: [] });
    expect(decodePermalink('#view=gaps').analysis).toEqual({ kind: 'gaps', layer: null, within: null });
    expect(decodePermalink('#view=gaps&within=france').analysis).toEqual({ kind: 'gaps', layer: null, within: 'france' });
    expect(decodePermalink('#view=load').analysis).toEqual({ kind: 'load', schemes: [] });
    expect(decodePermalink('#view=entanglement').analysis).toEqual({ kind: 'entanglement' });
    expect(decodePermalink('#view=nope&p=epci:1').analysis).toBeNull();
    expect(decodePermalink('#p=epci:1,epci:2').analysis).toBeNull();
  });

  it('drops malformed, duplicated and surplus analysis parameters', () => {
    const c = decodePermalink('#view=compare&p=epci:1,EPCI:2,epci:1,nocode,epci:a b,cls:x,asv:y,clsm:z,ptsm:w,cpts:a,pnr:b,petr:c,qpv:d');
    // at most 8 perimeters are compared
    expect(c.analysis).toEqual({
      kind: 'compare',
      perimeters: [
        { layer: 'epci', code: '1' },
        { layer: 'cls', code: 'x' },
        { layer: 'asv', code: 'y' },
        { layer: 'clsm', code: 'z' },
        { layer: 'ptsm', code: 'w' },
        { layer: 'cpts', code: 'a' },
        { layer: 'pnr', code: 'b' },
        { layer: 'petr', code: 'c' },
      ],
    });
    expect(decodePermalink('#view=gaps&layer=CLS&within=departement').analysis).toEqual({ kind: 'gaps', layer: null, within: null });
    const many = Array.from({ length: 14 }, (_, i) => `s${i}`);
    const l = decodePermalink(`#view=load&s=${[...many, 's1', '<x>', '%E0%A4%A'].join(',')}`).analysis;
    expect(l).toEqual({ kind: 'load', schemes: many.slice(0, 10) });
  });

  it('makes a new history entry only when the analysis or the selection changes', () => {
    const base: Permalink = { ...NONE, analysis: { kind: 'gaps', layer: 'cls', within: 'france' } };
    const moved: Permalink = { ...base, view: { zoom: 8, lat: 44.5, lon: 1.5 }, layers: ['epci'], opacity: { epci: 0.3 } };
    expect(historyKey(moved)).toBe(historyKey(base));
    expect(historyKey({ ...base, analysis: { kind: 'gaps', layer: 'cls', within: { layer: 'departement', code: '46' } } })).not.toBe(
      historyKey(base),
    );
    expect(historyKey({ ...NONE, selection: { layer: 'epci', code: '1' } })).not.toBe(historyKey(NONE));
    expect(historyKey({ ...NONE, analysis: { kind: 'entanglement' }, selection: { layer: 'epci', code: '1' } })).not.toBe(
      historyKey({ ...NONE, selection: { layer: 'epci', code: '1' } }),
    );
  });

  it('allows a past version of a scheme in compared perimeters (scheme:code@3)', () => {
    const past: Permalink = {
      ...NONE,
      analysis: {
        kind: 'compare',
        perimeters: [
          { layer: 'scheme', code: 'cls-agglo-pays-issoire@3' },
          { layer: 'scheme', code: 'cls-agglo-pays-issoire' },
        ],
      },
    };
    const s = encodePermalink(past);
    expect(s).toBe('view=compare&p=scheme:cls-agglo-pays-issoire%403,scheme:cls-agglo-pays-issoire');
    expect(decodePermalink('#' + s)).toEqual(past);
    // typed by hand, unencoded
    expect(decodePermalink('#view=compare&p=scheme:cls-x@12,epci:1').analysis).toEqual({
      kind: 'compare',
      perimeters: [
        { layer: 'scheme', code: 'cls-x@12' },
        { layer: 'epci', code: '1' },
      ],
    });
    // versions only for schemes, only positive integers, and never in the selection
    const bad = decodePermalink('#view=compare&p=epci:1@2,scheme:a@0,scheme:a@x,scheme:a@,scheme:@2,scheme:a@1@2,scheme:ok&sel=scheme:a@2');
    expect(bad.analysis).toEqual({ kind: 'compare', perimeters: [{ layer: 'scheme', code: 'ok' }] });
    expect(bad.selection).toBeNull();
  });

  it('compares selections', () => {
    expect(sameSelection(null, null)).toBe(true);
    expect(sameSelection({ layer: 'a', code: '1' }, { layer: 'a', code: '1' })).toBe(true);
    expect(sameSelection({ layer: 'a', code: '1' }, { layer: 'a', code: '2' })).toBe(false);
    expect(sameSelection({ layer: 'a', code: '1' }, null)).toBe(false);
  });
});
