// The gaps summed by département and EPCI (the map's choropleth at France and région
// zoom) against the commune answers of the same areas, and what the gap exports say of
// themselves: their file name (layer, zone, date) and their first lines. Every backend.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsvRecords } from '../../core/csv/read.ts';
import { exportDate } from '../../contract/export-name.ts';
import { backends, startTestServer, type TestServer } from '../support/backends.ts';

describe.each(backends())('gaps by area and their exports on $name', (backend) => {
  let server: TestServer;
  let france: any;
  const get = (p: string) => fetch(server.url + p);
  const json = async (p: string) => {
    const res = await get(p);
    expect(res.status, `${p} → ${res.status}`).toBe(200);
    return res.json() as Promise<any>;
  };
  const sum = (rows: any[], key: string) => rows.reduce((s, r) => s + r[key], 0);

  beforeAll(async () => {
    server = await startTestServer(backend);
    france = await json('/api/gaps?layer=cls');
  });
  afterAll(async () => server?.close());

  it('sums the départements to the national commune figures', async () => {
    const deps = france.areas.departement;
    const [{ n } = { n: 0 }] = await server.db.query<{ n: number }>(`SELECT count(DISTINCT departement)::int AS n FROM atlas.commune`);
    expect(deps).toHaveLength(n);
    expect(sum(deps, 'communeCount')).toBe(france.zone.communeCount);
    expect(sum(deps, 'population')).toBe(france.zone.population);
    expect(sum(deps, 'uncoveredCount')).toBe(france.uncovered.communeCount);
    expect(sum(deps, 'uncoveredPopulation')).toBe(france.uncovered.population);
    for (const d of deps) expect(d.share).toBeCloseTo(d.population ? d.uncoveredPopulation / d.population : 0, 12);
  });

  it('gives each département and EPCI the figures of its own commune answer', async () => {
    for (const code of ['63', '46', '59']) {
      const row = france.areas.departement.find((d: any) => d.code === code);
      const own = await json(`/api/gaps?layer=cls&within=departement:${code}`);
      expect(row.name).toBe(own.within.name);
      expect([row.communeCount, row.population, row.uncoveredCount, row.uncoveredPopulation]).toEqual([
        own.zone.communeCount,
        own.zone.population,
        own.uncovered.communeCount,
        own.uncovered.population,
      ]);
    }
    // an EPCI with a CLS (the Pays d'Issoire) and the most populous EPCI without any
    const issoire = france.areas.epci.find((e: any) => e.code === '200070407');
    const own = await json('/api/gaps?layer=cls&within=epci:200070407');
    expect([issoire.communeCount, issoire.uncoveredCount, issoire.uncoveredPopulation]).toEqual([
      own.zone.communeCount,
      own.uncovered.communeCount,
      own.uncovered.population,
    ]);
    expect(issoire.share).toBeLessThan(1);
    // within a département, the EPCI rows hold only the communes of the département
    const lot = await json('/api/gaps?layer=cls&within=departement:46');
    expect(lot.areas.departement.map((d: any) => d.code)).toEqual(['46']);
    const [{ noEpci } = { noEpci: 0 }] = await server.db.query<{ noEpci: number }>(
      `SELECT count(*)::int AS "noEpci" FROM atlas.commune WHERE departement = '46' AND epci IS NULL`,
    );
    expect(sum(lot.areas.epci, 'communeCount') + noEpci).toBe(lot.zone.communeCount);
  });

  it('names its exports after the layer, the zone and the date', async () => {
    const today = exportDate();
    const disposition = async (p: string) => {
      const header = (await get(p)).headers.get('content-disposition') ?? '';
      expect(header).toMatch(/^attachment; /);
      return /filename="?([^";]+)"?/.exec(header)?.[1];
    };
    expect(await disposition('/api/gaps?layer=cls&within=departement:63&format=csv')).toBe(`communes-sans-cls-puy-de-dome-63-${today}.csv`);
    expect(await disposition('/api/gaps?layer=cpts&within=region:76&format=geojson')).toBe(
      `communes-sans-cpts-occitanie-76-${today}.geojson`,
    );
    expect(await disposition('/api/gaps?layer=cls&format=csv&by=departement')).toBe(`lacunes-cls-par-departement-france-${today}.csv`);
    expect(await disposition('/api/gaps/qpv?within=departement:59&format=csv')).toBe(`qpv-sans-asv-ni-cls-nord-59-${today}.csv`);
  });

  it('starts the CSV by the zone, the inventory status, the query and the data vintage', async () => {
    const res = await get('/api/gaps?layer=cls&by=departement&format=csv');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes).replace(/^\uFEFF/, '');
    const head = text.split('\r\n').filter((l) => l.startsWith('# '));
    const [{ vintage } = { vintage: '' }] = await server.db.query<{ vintage: string }>(
      `SELECT vintage FROM atlas.layer WHERE id = 'commune'`,
    );
    expect(head).toEqual([
      '# CLS : population sans couverture par departement',
      '# zone : France entière',
      `# état du registre : ${france.inventory.wording}`,
      france.fiction.wording ? `# données fictives : ${france.fiction.wording}` : '# données fictives : aucune comptée',
      '# requête : GET /api/gaps?layer=cls&by=departement&format=csv',
      expect.stringMatching(new RegExp(`^# millésime des données : Communes : ${vintage} ; `)),
    ]);
    const [header, ...rows] = parseCsvRecords(text.replace(/^#.*\r\n/gm, ''), ';').filter((r) => r.length > 1);
    expect(header).toEqual([
      'code_departement',
      'nom_departement',
      'communes',
      'communes_sans',
      'population',
      'population_sans',
      'part_population_sans',
    ]);
    expect(rows.map((r) => r[0])).toEqual(france.areas.departement.map((d: any) => d.code));
    expect(rows.map((r) => Number(r[5]))).toEqual(france.areas.departement.map((d: any) => d.uncoveredPopulation));
  });

  it('names the communes of each QPV beside their codes', async () => {
    const r = await json('/api/gaps/qpv?within=departement:59');
    const lille = r.uncovered.qpv.filter((q: any) => q.communes.includes('59350'));
    expect(lille.length).toBeGreaterThan(0);
    for (const q of lille) {
      expect(q.communeNames).toHaveLength(q.communes.length);
      expect(q.communeNames[q.communes.indexOf('59350')]).toBe('Lille');
    }
    const csv = (await (await get('/api/gaps/qpv?within=departement:59&format=csv')).text()).replace(/^\uFEFF/, '');
    const [header, ...rows] = parseCsvRecords(csv.replace(/^#.*\r\n/gm, ''), ';').filter((row) => row.length > 1);
    const names = header!.indexOf('noms_communes');
    expect(rows.find((row) => row[0] === lille[0].code)![names]).toBe(lille[0].communeNames.join(', '));
  });

  it('refuses a summed GeoJSON and an unknown level, in French', async () => {
    for (const [p, detail] of [
      ['/api/gaps?layer=cls&by=departement&format=geojson', /ne donne que les communes/],
      ['/api/gaps?layer=cls&by=region', /by doit valoir/],
    ] as const) {
      const res = await get(p);
      expect(res.status, p).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/problem\+json/);
      expect(((await res.json()) as { detail: string }).detail).toMatch(detail);
    }
  });
});
