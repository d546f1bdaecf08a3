// Search as planners type it, on the real data and both databases: words in any order,
// layer words ("cls", "cc", "agglo", "contrat local de santé"), other names of a commune,
// typos, a ranking where population outweighs a merely exact name, and the région and
// département filters of a planner's search, checked against the memberships in SQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDecoupage } from '../../geodata/decoupage.ts';
import { backends, startTestServer, type TestServer } from '../support/backends.ts';

const decoupage = loadDecoupage();

describe.each(backends())('search on $name', (backend) => {
  let server: TestServer;
  const search = async (q: string, extra = '') => {
    const res = await fetch(`${server.url}/api/search?q=${encodeURIComponent(q)}${extra}`);
    expect(res.status, q).toBe(200);
    return ((await res.json()) as any).results as any[];
  };
  const first = async (q: string) => {
    const [r] = await search(q);
    return r ? `${r.layer}:${r.code}` : null;
  };
  const problem = async (q: string, status: number, detail: RegExp) => {
    const res = await fetch(`${server.url}/api/search?${q}`);
    expect(res.status, q).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    const body = (await res.json()) as any;
    expect(body.detail).toMatch(detail);
    // no parameter name, no route in a message meant for people
    expect(body.detail).not.toMatch(/« ?q ?»|\/api\//);
  };

  beforeAll(async () => {
    server = await startTestServer(backend);
  });
  afterAll(async () => server?.close());

  it('reads words in any order and layer words as filters', async () => {
    expect(await first('cls issoire')).toBe('scheme:cls-agglo-pays-issoire');
    expect(await first('contrat local de sante issoire')).toBe('scheme:cls-agglo-pays-issoire');
    expect(await first('issoire cls')).toBe('scheme:cls-agglo-pays-issoire');
    expect(await first('agglo issoire')).toBe('epci:200070407');
    expect(await first('CC du Grand Figeac')).toBe('epci:200067361');
    expect(await first('grand figeac')).toBe('epci:200067361');
    expect(await first('communauté de communes grand figeac')).toBe('epci:200067361');
    expect(await first('pnr doubs')).toBe('pnr:PNR-DOUBS-HORLOGER');
    // several PETR of the contrats de ruralité have "Quercy" in their name
    expect(await first('petr grand quercy')).toBe('petr:PETR-GRAND-QUERCY');
    expect(await first('clsm lille')).toBe('scheme:clsm-lille');
  });

  it('lists a whole layer for a layer word alone, largest first', async () => {
    const cls = await search('cls', '&limit=50');
    expect(cls.length).toBeGreaterThan(3);
    expect(cls.every((r) => r.layer === 'scheme' && r.type === 'CLS')).toBe(true);
    const pops = cls.map((r) => r.population ?? 0);
    expect(pops).toEqual([...pops].sort((a, b) => b - a));
  });

  it('finds the CPTS of a place', async () => {
    const results = await search('cpts issoire');
    expect(results.length).toBeGreaterThan(0);
    expect(results[0].layer).toBe('cpts');
    // every CPTS result holds Issoire or is named after it
    const [row] = await server.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM atlas.perimeter WHERE layer = 'cpts' AND search_key LIKE '%issoire%'`,
    );
    expect(results.filter((r) => r.layer === 'cpts').length).toBe(Math.min(row!.n, 10));
  });

  it('ranks by population before an exact name of a small village', async () => {
    const evry = await search('evry');
    expect(evry[0]).toMatchObject({ layer: 'commune', code: '91228', name: 'Évry-Courcouronnes' });
    const yonne = evry.findIndex((r) => r.code === '89162');
    expect(yonne).toBeGreaterThan(0);
    expect(evry[yonne].detail).toMatch(/Yonne \(89\)/);
    expect(await first('courcouronnes')).toBe('commune:91228');
    expect(['departement:974', 'region:04']).toContain(await first('la reunion'));
    expect(await first('saint etienne')).toBe('commune:42218');
    expect(await first('paris')).toBe('commune:75056');
  });

  it('leads a commune déléguée or a former code to the current commune', async () => {
    // a delegated name that no current commune bears
    const current = new Set(decoupage.communes.filter((c) => c.type === 'commune-actuelle').map((c) => c.nom));
    // (one whose code differs from its commune's: a delegated commune keeping the commune's own code is not stored as an alias)
    const delegated = decoupage.communes.find(
      (c) => c.type === 'commune-deleguee' && c.chefLieu !== c.code && !current.has(c.nom) && c.nom.length > 8,
    )!;
    const results = await search(delegated.nom);
    const hit = results.find((r) => r.via?.includes(delegated.nom));
    expect(hit, delegated.nom).toBeDefined();
    expect(hit.layer).toBe('commune');
    expect(hit.code).toBe(delegated.chefLieu ?? hit.code);
    expect((await search('25347'))[0]).toMatchObject({ layer: 'commune', code: '25390', via: 'ancien code 25347' });
    expect((await search('42218'))[0]).toMatchObject({ layer: 'commune', code: '42218', name: 'Saint-Étienne' });
  });

  it('tolerates typos', async () => {
    expect(await first('montbelliard')).toBe('commune:25388');
    expect(await first('st etiene')).toBe('commune:42218');
    expect(await first('clermon ferrand')).toBe('commune:63113');
  });

  it('shows where each result is and restricts to the layers asked', async () => {
    const epci = (await search('figeac')).find((r) => r.layer === 'epci');
    expect(epci).toMatchObject({ code: '200067361', type: 'CC' });
    expect(epci.detail).toMatch(/Lot \(46\)/);
    const only = await search('issoire', '&layers=cls,epci');
    expect(only.map((r) => r.layer).sort()).toEqual(['epci', 'scheme']);
    const paris = await search('paris', '&layers=commune');
    expect(paris[0].code).toBe('75056');
    expect(paris.every((r) => r.layer === 'commune')).toBe(true);
  });

  it('ignores emoji and symbols, refuses what cannot be searched, in French', async () => {
    expect(await first('🏥 issoire')).toBe('commune:63178');
    expect(await first("x'; DROP TABLE atlas.commune; --")).not.toBe(undefined);
    await problem('', 400, /Saisissez/);
    await problem('q=', 400, /Saisissez/);
    await problem('q=%20%20', 400, /Saisissez/);
    await problem(`q=${encodeURIComponent('%_%')}`, 400, /Saisissez/);
    await problem(`q=${'a'.repeat(10_000)}`, 400, /trop long/);
    await problem('q=paris&limit=1000', 400, /nombre de résultats/);
    await problem('q=paris&layers=A;B', 400, /couches/);
    const ok = await search("val d'issoire");
    expect(ok[0].code).toBe('87097');
    const [row] = await server.db.query<{ n: number }>('SELECT count(*)::int AS n FROM atlas.commune');
    expect(row!.n).toBeGreaterThan(34_000);
  });

  /** The régions a hit lies in, read from the database (not from the index). */
  const regionsOf = async (hit: { layer: string; code: string }): Promise<string[]> => {
    const rows =
      hit.layer === 'commune'
        ? await server.db.query<{ region: string }>(`SELECT region FROM atlas.commune WHERE code = $1`, [hit.code])
        : hit.layer === 'region'
          ? [{ region: hit.code }]
          : hit.layer === 'departement'
            ? await server.db.query<{ region: string }>(`SELECT DISTINCT region FROM atlas.commune WHERE departement = $1`, [hit.code])
            : await server.db.query<{ region: string }>(
                `SELECT DISTINCT c.region FROM atlas.membership m JOIN atlas.commune c ON c.code = m.commune
                 WHERE m.layer = $1 AND m.code = $2`,
                [hit.layer, hit.code],
              );
    return rows.map((r) => r.region);
  };

  it('keeps a search to a région or a département', async () => {
    const ara = await search('issoire', '&region=84');
    expect(`${ara[0].layer}:${ara[0].code}`).toBe('commune:63178');
    for (const hit of ara) expect(await regionsOf(hit), `${hit.layer}:${hit.code}`).toContain('84');
    // Lille is in the Hauts-de-France: nothing of that région answers from Auvergne-Rhône-Alpes
    expect((await search('lille')).some((r) => r.code === '59350')).toBe(true);
    const fromAra = await search('lille', '&region=84&limit=50');
    for (const hit of fromAra) expect(await regionsOf(hit), `${hit.layer}:${hit.code}`).toContain('84');
    expect(fromAra.some((r) => r.code === '59350')).toBe(false);
    // the same by département
    const puy = await search('issoire', '&departement=63&limit=50');
    expect(puy[0].code).toBe('63178');
    expect(await search('issoire', '&departement=46')).toEqual([]);
  });

  it('finds a unit astride two régions from either', async () => {
    // an EPCI, PETR, PNR, CPTS or scheme whose communes lie in Auvergne-Rhône-Alpes and elsewhere
    const [astride] = await server.db.query<{ layer: string; code: string; name: string; other: string }>(
      `SELECT p.layer, p.code, p.name, min(c.region) FILTER (WHERE c.region <> '84') AS other
       FROM atlas.perimeter p JOIN atlas.membership m ON m.layer = p.layer AND m.code = p.code
       JOIN atlas.commune c ON c.code = m.commune
       WHERE p.layer IN ('epci', 'petr', 'pnr', 'cpts', 'scheme')
       GROUP BY p.layer, p.code, p.name
       HAVING bool_or(c.region = '84') AND bool_or(c.region <> '84')
       ORDER BY p.layer, p.code LIMIT 1`,
    );
    expect(astride, 'a perimeter astride Auvergne-Rhône-Alpes and another région').toBeDefined();
    const found = async (region: string) =>
      (await search(astride!.name, `&region=${region}&limit=50`)).some((r) => r.layer === astride!.layer && r.code === astride!.code);
    expect(await found('84')).toBe(true);
    expect(await found(astride!.other)).toBe(true);
    // and not from a région it does not touch
    const [away] = await server.db.query<{ region: string }>(
      `SELECT DISTINCT region FROM atlas.commune WHERE region NOT IN (
         SELECT c.region FROM atlas.membership m JOIN atlas.commune c ON c.code = m.commune WHERE m.layer = $1 AND m.code = $2)
       ORDER BY region LIMIT 1`,
      [astride!.layer, astride!.code],
    );
    expect(await found(away!.region)).toBe(false);
  });

  it('refuses a région or a département it does not know, in French', async () => {
    await problem('q=issoire&region=8', 400, /région.*code INSEE à deux chiffres/);
    await problem('q=issoire&region=ARA', 400, /région.*code INSEE/);
    await problem('q=issoire&region=99', 400, /Aucune région ne porte le code 99/);
    await problem('q=issoire&departement=6', 400, /département.*code INSEE/);
    await problem('q=issoire&departement=99', 400, /Aucun département ne porte le code 99/);
  });
});
