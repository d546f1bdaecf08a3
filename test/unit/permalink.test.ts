// The permalink codec of the web client: what the URL fragment holds and how it reads back.
import { describe, expect, it } from 'vitest';
import { decodePermalink, encodePermalink, sameSelection, type Permalink } from '../../client/src/lib/permalink.ts';

describe('permalink', () => {
  it('encodes view, layers, opacity and selection in a stable order', () => {
    const p: Permalink = {
      view: { zoom: 6.234, lat: 46.51234, lon: 2.41234 },
      layers: ['epci', 'cls'],
      opacity: { epci: 0.5 },
      selection: { layer: 'epci', code: '200070407' },
    };
    expect(encodePermalink(p)).toBe('map=6.23/46.512/2.412&layers=epci,cls&opacity=epci:0.5&sel=epci:200070407');
  });

  it('round-trips', () => {
    const p: Permalink = {
      view: { zoom: 11, lat: 45.5446, lon: 3.2493 },
      layers: ['commune', 'qpv', 'secteur-psy-adulte'],
      opacity: { qpv: 0.25 },
      selection: { layer: 'scheme', code: 'cls-agglo-pays-issoire' },
    };
    expect(decodePermalink('#' + encodePermalink(p))).toEqual(p);
  });

  it('keeps more decimals when zoomed in', () => {
    const s = encodePermalink({ view: { zoom: 15, lat: 45.123456789, lon: 3.987654321 }, layers: null, opacity: {}, selection: null });
    expect(s).toBe('map=15/45.12346/3.98765');
  });

  it('distinguishes "no layer" from "layers not given"', () => {
    expect(decodePermalink('#layers=').layers).toEqual([]);
    expect(decodePermalink('#map=5/46/2').layers).toBeNull();
    expect(encodePermalink({ view: null, layers: [], opacity: {}, selection: null })).toBe('layers=');
  });

  it('drops opacity of inactive layers', () => {
    expect(encodePermalink({ view: null, layers: ['cls'], opacity: { epci: 0.3, cls: 0.8 }, selection: null })).toBe('layers=cls&opacity=cls:0.8');
  });

  it('ignores malformed parts without throwing', () => {
    const p = decodePermalink('#map=abc/1/2&layers=EPCI,cls,,cls,<x>&opacity=cls:2,asv:0.4,qpv:&sel=nolayer&foo=bar');
    expect(p).toEqual({ view: null, layers: ['cls'], opacity: { asv: 0.4 }, selection: null });
    expect(decodePermalink('#map=30/46/2').view).toBeNull();
    expect(decodePermalink('#map=5/95/2').view).toBeNull();
    expect(decodePermalink('#sel=epci:%E0%A4%A').selection).toBeNull();
    expect(decodePermalink('#sel=epci:a b').selection).toBeNull();
    expect(decodePermalink('').selection).toBeNull();
  });

  it('encodes codes safely', () => {
    const s = encodePermalink({ view: null, layers: null, opacity: {}, selection: { layer: 'qpv', code: 'QN09301M' } });
    expect(decodePermalink(s).selection).toEqual({ layer: 'qpv', code: 'QN09301M' });
  });

  it('compares selections', () => {
    expect(sameSelection(null, null)).toBe(true);
    expect(sameSelection({ layer: 'a', code: '1' }, { layer: 'a', code: '1' })).toBe(true);
    expect(sameSelection({ layer: 'a', code: '1' }, { layer: 'a', code: '2' })).toBe(false);
    expect(sameSelection({ layer: 'a', code: '1' }, null)).toBe(false);
  });
});
