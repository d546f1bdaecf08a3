import { describe, expect, it } from 'vitest';
import { normalizeTilesUrl, pmtilesUrl, tileEndpoint, tileJsonUrl } from '../../client/src/lib/tileSources.ts';

const origin = 'http://127.0.0.1:8080';

describe('tile sources', () => {
  it('names the TileJSON of one source, several layers in braces', () => {
    expect(tileJsonUrl(origin, ['commune'])).toBe('http://127.0.0.1:8080/tiles/commune.json');
    expect(tileJsonUrl(origin, ['region', 'departement'])).toBe('http://127.0.0.1:8080/tiles/%7Bregion%2Cdepartement%7D.json');
  });

  it('makes the archives base URL absolute, without trailing slash', () => {
    expect(normalizeTilesUrl(null, origin)).toBeNull();
    expect(normalizeTilesUrl(undefined, origin)).toBeNull();
    expect(normalizeTilesUrl('  ', origin)).toBeNull();
    expect(normalizeTilesUrl('/static-tiles', origin)).toBe('http://127.0.0.1:8080/static-tiles');
    expect(normalizeTilesUrl('/static-tiles/', origin)).toBe('http://127.0.0.1:8080/static-tiles');
    expect(normalizeTilesUrl('static-tiles', origin)).toBe('http://127.0.0.1:8080/static-tiles');
    expect(normalizeTilesUrl('https://cdn.example/tiles/', origin)).toBe('https://cdn.example/tiles');
    expect(normalizeTilesUrl('//cdn.example/tiles', origin)).toBe('http://cdn.example/tiles');
  });

  it('names one archive per source', () => {
    expect(pmtilesUrl('https://cdn.example/tiles', 'base')).toBe('pmtiles://https://cdn.example/tiles/base.pmtiles');
  });

  it('uses the live server by default, through its TileJSON (which gives the maxzoom)', () => {
    expect(tileEndpoint('base', ['region', 'departement'], { origin, tilesUrl: null })).toEqual({
      url: 'http://127.0.0.1:8080/tiles/%7Bregion%2Cdepartement%7D.json',
    });
  });

  it('reads PMTiles archives (maxzoom 10) when tilesUrl is set, except the live scheme source', () => {
    const o = { origin, tilesUrl: '/static-tiles' };
    expect(tileEndpoint('base', ['region', 'departement'], o)).toEqual({
      url: 'pmtiles://http://127.0.0.1:8080/static-tiles/base.pmtiles',
      maxzoom: 10,
    });
    expect(tileEndpoint('commune', ['commune'], { origin, tilesUrl: 'https://cdn.example/tiles' })).toEqual({
      url: 'pmtiles://https://cdn.example/tiles/commune.pmtiles',
      maxzoom: 10,
    });
    expect(tileEndpoint('scheme', ['scheme'], o)).toEqual({ url: 'http://127.0.0.1:8080/tiles/scheme.json' });
  });
});
