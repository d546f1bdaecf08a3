// The panorama in the URL fragment: zone and fiction toggle round-trip, a bad zone falls
// back to France, and the links made before the panorama still read the same.
import { describe, expect, it } from 'vitest';
import { decodePermalink, encodePermalink } from '../../client/src/lib/permalink.ts';

describe('panorama permalink', () => {
  it('round-trips the zone and the fiction toggle', () => {
    const hash = encodePermalink({
      view: null,
      layers: null,
      opacity: {},
      analysis: { kind: 'panorama', within: 'region:76', fictif: true },
      selection: null,
    });
    expect(hash).toBe('view=panorama&within=region:76&fictif=1');
    expect(decodePermalink(`#${hash}`).analysis).toEqual({ kind: 'panorama', within: 'region:76', fictif: true });
    expect(decodePermalink('#view=panorama&within=departement:2A').analysis).toEqual({
      kind: 'panorama',
      within: 'departement:2A',
      fictif: false,
    });
  });

  it('falls back to France on a malformed zone', () => {
    expect(decodePermalink('#view=panorama&within=epci:200023737').analysis).toEqual({ kind: 'panorama', within: 'france', fictif: false });
    expect(decodePermalink('#view=panorama').analysis).toEqual({ kind: 'panorama', within: 'france', fictif: false });
  });

  it('reads older links unchanged', () => {
    expect(decodePermalink('#view=gaps&layer=cls&within=departement:46').analysis).toEqual({
      kind: 'gaps',
      layer: 'cls',
      within: { layer: 'departement', code: '46' },
    });
  });
});
