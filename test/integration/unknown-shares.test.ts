// A QPV of 2024 without contour is known only by its commune: its part of that commune
// is unknown, and no analysis may take it as the whole commune (QN05971M in Lille).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, startTestServer, type TestServer } from '../support/backends.ts';

describe.each(backends())('unknown shares on $name', (backend) => {
  let server: TestServer;
  const json = async (p: string) => {
    const res = await fetch(server.url + p);
    expect(res.status, p).toBe(200);
    return (await res.json()) as any;
  };

  beforeAll(async () => {
    server = await startTestServer(backend);
  });
  afterAll(async () => server?.close());

  it('the data holds QN05971M in Lille with a share of unknown size', async () => {
    const rows = await server.db.query<{ commune: string; share: number | null }>(
      `SELECT commune, share FROM atlas.membership WHERE layer = 'qpv' AND code = 'QN05971M'`,
    );
    expect(rows).toEqual([{ commune: '59350', share: null }]);
  });

  it('compare leaves figures and alignment empty instead of calling the QPV all of Lille', async () => {
    const c = await json('/api/compare?p=qpv:QN05971M&p=commune:59350');
    expect(c.alignments).toEqual([{ a: 'A', b: 'B', alignment: null, reason: 'part inconnue (pas de contour)' }]);
    expect(c.unknownShares).toMatchObject({ communeCount: 1, perimeters: ['A'], reason: 'part inconnue (pas de contour)' });
    expect(c.parts).toHaveLength(1);
    expect(c.parts[0]).toMatchObject({ members: ['A', 'B'], unknownShare: true, population: null, areaKm2: null, communeCount: 1 });
    expect(c.parts[0].label).toMatch(/part inconnue/);
    const csv = await (await fetch(server.url + '/api/compare?p=qpv:QN05971M&p=commune:59350&format=csv')).text();
    expect(csv).toMatch(/59350;Lille;part inconnue \(pas de contour\);/);
  });

  it('a known perimeter beside it keeps its own figures', async () => {
    // Lille against its EPCI: every share known, Lille wholly inside
    const c = await json('/api/compare?p=commune:59350&p=epci:200093201');
    expect(c.unknownShares).toBeNull();
    const both = c.parts.find((p: any) => p.members.join() === 'A,B');
    expect(both.population).toBeGreaterThan(200_000);
    expect(c.alignments[0].alignment).toBeGreaterThan(0);
    expect(c.alignments[0].alignment).toBeLessThan(0.5);
  });

  it('entanglement of Lille says its QPV parts are unknown, not 100 %', async () => {
    const e = await json('/api/territories/commune/59350/entanglement');
    const qpv = e.layers.find((l: any) => l.layer === 'qpv');
    const [row] = await server.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM atlas.membership WHERE layer = 'qpv' AND commune = '59350'`,
    );
    expect(qpv.unitCount).toBe(row!.n);
    expect(qpv.units.every((u: any) => u.shareOfTerritory === null && u.cut === null)).toBe(true);
    expect(qpv).toMatchObject({ coverage: null, fragmentation: null, unknownCount: row!.n, reason: 'part inconnue (pas de contour)' });
    // a layer whose shares are known keeps its figures
    const epci = e.layers.find((l: any) => l.layer === 'epci');
    expect(epci.coverage).toBe(1);
    expect(epci.units[0].shareOfTerritory).toBe(1);
  });

  it('compares up to 8 perimeters and explains the limit beyond', async () => {
    const refs = [
      'departement:46',
      'petr:PETR-GRAND-QUERCY',
      'scheme:cls-grand-quercy',
      'scheme:cls-agglo-pays-issoire',
      'epci:200023737',
      'epci:200067361',
      'commune:46042',
      'commune:46102',
    ];
    const c = await json(`/api/compare?${refs.map((r) => `p=${r}`).join('&')}`);
    expect(c.perimeters.map((p: any) => p.key)).toEqual(['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H']);
    // every commune lies in exactly one pattern, and each pattern's marks match its members
    const counted = c.parts.reduce((n: number, p: any) => n + p.communeCount, 0);
    const [union] = await server.db.query<{ n: number }>(
      `SELECT count(DISTINCT commune)::int AS n FROM atlas.membership
       WHERE (layer, code) IN (('departement', '46'), ('petr', 'PETR-GRAND-QUERCY'), ('scheme', 'cls-grand-quercy'),
                               ('scheme', 'cls-agglo-pays-issoire'), ('epci', '200023737'), ('epci', '200067361'))`,
    );
    expect(counted).toBe(union!.n);
    for (const p of c.parts) expect([...p.pattern].map((m, i) => (m === '■' ? 'ABCDEFGH'[i] : '')).join('')).toBe(p.members.join(''));
    expect(c.alignments).toHaveLength(28);
    const res = await fetch(`${server.url}/api/compare?${[...refs, 'commune:46001'].map((r) => `p=${r}`).join('&')}`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).detail).toMatch(/au plus 8 périmètres/);
  });
});
