import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../core/config.ts';

describe('loadConfig', () => {
  it('applies the defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      databaseUrl: undefined,
      basemapStyleUrl: undefined,
      tilesUrl: undefined,
      trustProxy: false,
    });
    expect(c.dataDir).toBe(path.resolve('.data'));
    expect(c.geodataDir).toBe(path.resolve('../shared/geodata'));
  });

  it('reads the environment and tidies URLs', () => {
    const c = loadConfig({ PORT: '8080', DATABASE_URL: 'postgres://u@h/db', TILES_URL: '/static-tiles/', DATA_DIR: '' });
    expect(c).toMatchObject({ port: 8080, databaseUrl: 'postgres://u@h/db', tilesUrl: '/static-tiles' });
    expect(c.dataDir).toBe(path.resolve('.data')); // empty = default
  });

  it('stops on a bad value with a French message naming it', () => {
    expect(() => loadConfig({ PORT: 'quatre-vingt' })).toThrow(/Configuration invalide :\n {2}PORT/);
    expect(() => loadConfig({ LOG_LEVEL: 'bavard' })).toThrow(/LOG_LEVEL/);
    expect(() => loadConfig({ TILES_URL: 'ftp://x' })).toThrow(/URL absolue ou chemin commençant par \//);
  });

  it('reads TRUST_PROXY as hops or a list of proxies, and refuses to trust everyone', () => {
    expect(loadConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8,fd00::/8' }).trustProxy).toEqual(['loopback', '10.0.0.0/8', 'fd00::/8']);
    expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY: « true » ferait confiance à n’importe quel client/);
    expect(() => loadConfig({ TRUST_PROXY: 'proxy.interne' })).toThrow(/TRUST_PROXY: valeur non reconnue \(proxy\.interne\)/);
    expect(() => loadConfig({ TRUST_PROXY: '10.0.0.0/40' })).toThrow(/TRUST_PROXY/);
  });
});
