// Analyses on the real data, on every backend: compare, entanglement, gaps, load.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsvRecords } from '../../core/csv/read.ts';
import { backends, startTestServer, type TestServer } from '../support/backends.ts';

describe.each(backends())('analyses on $name', (backend) => {
  let server: TestServer;
  const get = (p: string) => fetch(server.url + p);
  const json = async (p: string) => {
    const res = await get(p);
    expect(res.status, `${p} → ${res.status}`).toBe(200);
    return res.json() as Promise<any>;
  };
  const problem = async (p: string, status: number, detail: RegExp) => {
    const res = await get(p);
    expect(res.status, p).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    expect(((await res.json()) as { detail: string }).detail).toMatch(detail);
  };

  beforeAll(async () => {
    server = await startTestServer(backend);
  });
  afterAll(async () => server?.close());

  describe('compare', () => {
    it('finds the CLS Grand Quercy and the PETR Grand Quercy perfectly aligned', async () => {
      const r = await json('/api/compare?p=scheme:cls-grand-quercy&p=petr:PETR-GRAND-QUERCY');
      expect(r.alignments).toEqual([{ a: 'A', b: 'B', alignment: 1, reason: null }]);
      expect(r.parts.map((p: any) => p.label)).toEqual(['A ∩ B']);
      expect(r.parts[0].communeCount).toBe(r.perimeters[0].communeCount);
      expect(r.parts[0].population).toBe(r.perimeters[1].population);
    });

    it('finds the CLSM of Lille entirely inside the PTSM of the arrondissement of Lille', async () => {
      const r = await json('/api/compare?p=clsm:clsm-lille&p=ptsm:ptsm-arrondissement-lille');
      const labels = r.parts.map((p: any) => p.label);
      expect(labels).toEqual(['A ∩ B', 'B seul']);
      const both = r.parts[0];
      expect(both.communes.map((c: any) => c.code)).toEqual(['59350']);
      expect(both.population).toBe(r.perimeters[0].population);
      // alignment = population of Lille / population of the arrondissement
      expect(r.alignments[0].alignment).toBeCloseTo(r.perimeters[0].population / r.perimeters[1].population, 3);
    });

    it('splits three perimeters and counts partial communes by their share', async () => {
      const r = await json('/api/compare?p=pnr:PNR-DOUBS-HORLOGER&p=epci:242500320&p=commune:25390');
      const inAll = r.parts.find((p: any) => p.members.join() === 'A,B,C');
      expect(inAll.communes).toEqual([{ code: '25390', name: 'Pays-de-Montbenoît', share: 0.4 }]);
      const bc = r.parts.find((p: any) => p.members.join() === 'B,C');
      expect(bc.communes).toEqual([{ code: '25390', name: 'Pays-de-Montbenoît', share: 0.6 }]);
      const total = r.parts.filter((p: any) => p.members.includes('C')).reduce((s: number, p: any) => s + p.population, 0);
      expect(Math.abs(total - r.perimeters[2].population)).toBeLessThanOrEqual(1);
    });

    it('exports the parts as CSV and GeoJSON', async () => {
      const csv = await get('/api/compare?p=clsm:clsm-lille&p=ptsm:ptsm-arrondissement-lille&format=csv');
      const bytes = new Uint8Array(await csv.arrayBuffer());
      expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // BOM for spreadsheets
      const text = new TextDecoder().decode(bytes);
      const lines = text.trim().split('\r\n');
      const r = await json('/api/compare?p=clsm:clsm-lille&p=ptsm:ptsm-arrondissement-lille');
      expect(lines).toHaveLength(1 + r.parts.reduce((n: number, p: any) => n + p.communes.length, 0));
      const geo = (await (await get('/api/compare?p=clsm:clsm-lille&p=ptsm:ptsm-arrondissement-lille&format=geojson')).json()) as any;
      expect(geo.features).toHaveLength(lines.length - 1);
      expect(geo.features.find((f: any) => f.properties.code === '59350').properties.part).toBe('A ∩ B');
    });

    it('rejects bad parameters in French', async () => {
      await problem('/api/compare?p=epci:200070407', 400, /au moins 2 périmètres/);
      await problem('/api/compare', 400, /indiquez 2 à 8 périmètres/);
      const nine = Array.from({ length: 9 }, () => 'p=epci:200070407').join('&');
      await problem(`/api/compare?${nine}`, 400, /au plus 8/);
      await problem('/api/compare?p=epci:200070407&p=epci:999999999', 404, /Périmètre introuvable/);
      await problem('/api/compare?p=epci:200070407&p=nimportequoi', 400, /couche:code/);
      await problem('/api/compare?p=epci:200070407&p=scheme:cls-margeride-haut-allier', 400, /pas encore de communes/);
    });
  });

  describe('entanglement', () => {
    it('shows how each layer cuts a territory', async () => {
      const r = await json('/api/territories/scheme/cls-grand-quercy/entanglement');
      const epci = r.layers.find((l: any) => l.layer === 'epci');
      expect(epci.unitCount).toBe(7);
      expect(epci.cutCount).toBe(0); // the PETR is made of whole EPCI
      expect(epci.coverage).toBe(1);
      expect(epci.fragmentation).toBeGreaterThan(2);
      expect(epci.units[0]).toMatchObject({ code: '200023737', insideShare: 1 }); // Grand Cahors, the largest
      const arr = r.layers.find((l: any) => l.layer === 'arrondissement');
      expect(arr.unitCount).toBe(2);
      expect(arr.cutCount).toBe(2);
      const lille = await json('/api/territories/clsm/clsm-lille/entanglement');
      const schemes = lille.layers.find((l: any) => l.layer === 'scheme');
      expect(schemes.units.find((u: any) => u.code === 'ptsm-arrondissement-lille').shareOfTerritory).toBe(1);
    });

    it('exports every unit of every layer as CSV, with the figures of the JSON', async () => {
      const r = await json('/api/territories/scheme/cls-grand-quercy/entanglement');
      const res = await get('/api/territories/scheme/cls-grand-quercy/entanglement?format=csv');
      expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
      expect(res.headers.get('content-disposition')).toMatch(/enchevetrement-scheme-cls-grand-quercy\.csv/);
      const [header, ...rows] = parseCsvRecords((await res.text()).replace(/^\uFEFF/, ''), ';');
      expect(header).toEqual([
        'couche',
        'type',
        'code_unite',
        'unite',
        'part_du_territoire',
        'part_de_l_unite_dedans',
        'coupee',
        'donnees',
      ]);
      const units = r.layers.flatMap((l: any) => l.units);
      expect(rows).toHaveLength(units.length);
      const cahors = rows.find((row) => row[2] === '200023737')!;
      const [epciLayer] = await server.db.query<{ name: string }>(`SELECT name FROM atlas.layer WHERE id = 'epci'`);
      expect(cahors[0]).toBe(epciLayer!.name);
      const unit = units.find((u: any) => u.code === '200023737');
      expect(Number(cahors[4]!.replace(',', '.'))).toBe(unit.shareOfTerritory); // French decimal comma
      expect(cahors[5]).toBe('1');
      expect(cahors[6]).toBe('non');
      expect(cahors[7]).toBe('réelles');
      // fictitious example units say so in the export too
      const fictif = units.filter((u: any) => u.fictif).map((u: any) => u.code);
      expect(fictif.length).toBeGreaterThan(0);
      for (const row of rows.filter((row) => fictif.includes(row[2]))) expect(row[7]).toBe('exemple fictif');
      await problem('/api/territories/scheme/cls-grand-quercy/entanglement?format=geojson', 400, /json ou csv/);
    });
  });

  describe('coverage gaps', () => {
    it('counts the communes of a département covered by no CLS', async () => {
      const r = await json('/api/gaps?layer=cls&within=departement:46');
      const [facts] = await server.db.query<{ total: number; covered: number }>(
        `SELECT count(*)::int AS total,
           count(*) FILTER (WHERE EXISTS (SELECT 1 FROM atlas.membership m JOIN atlas.perimeter p ON p.layer = m.layer AND p.code = m.code
             WHERE m.commune = c.code AND m.layer = 'scheme' AND p.subtype = 'CLS'))::int AS covered
         FROM atlas.commune c WHERE c.departement = '46'`,
      );
      expect(r.zone.communeCount).toBe(facts!.total);
      expect(r.uncovered.communeCount).toBe(facts!.total - facts!.covered);
      expect(r.uncovered.communes).toHaveLength(r.uncovered.communeCount);
      expect(r.uncovered.communes.map((c: any) => c.code)).not.toContain('46042'); // Cahors is in the CLS
      expect(r.uncovered.communes.map((c: any) => c.code)).toContain('46102'); // Figeac is not
      expect(r.uncovered.share).toBeCloseTo(r.uncovered.population / r.zone.population, 10);
    });

    it('works for all of France and for a PNR, and exports CSV', async () => {
      const france = await json('/api/gaps?layer=pnr');
      const [{ n } = { n: 0 }] = await server.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM atlas.commune`);
      expect(france.zone.communeCount).toBe(n);
      // communes wholly in a park: the Doubs Horloger decree (92 whole, Pays-de-Montbenoît partly) and the INPN outlines
      const [{ whole } = { whole: 0 }] = await server.db.query<{ whole: number }>(
        `SELECT count(DISTINCT commune)::int AS whole FROM atlas.membership WHERE layer = 'pnr' AND share >= 1`,
      );
      expect(whole).toBeGreaterThan(3000);
      expect(france.uncovered.communeCount + france.partlyCovered.communeCount).toBe(n - whole);
      expect(france.partlyCovered.communes.map((c: any) => c.code)).toEqual(['25390']);
      const csv = await (await get('/api/gaps?layer=cls&within=epci:200070407&format=csv')).text();
      const lines = csv.trim().split('\r\n');
      expect(lines.filter((l) => !l.startsWith('#') && !l.startsWith('\uFEFF#'))).toHaveLength(1); // wholly covered: header only
    });

    it('lists the QPV covered by neither an ASV nor a CLS', async () => {
      const r = await json('/api/gaps/qpv?within=departement:95');
      const cergyQpv = r.uncovered.qpv.filter((q: any) => q.communes.includes('95127'));
      expect(cergyQpv).toEqual([]); // Cergy has a CLS and an ASV
      expect(r.uncovered.count).toBeLessThan(r.qpvCount);
      expect(r.uncovered.count).toBeGreaterThan(0);
      const csv = await get('/api/gaps/qpv?within=departement:95&format=csv');
      expect(csv.headers.get('content-disposition')).toMatch(/qpv-sans-asv-ni-cls-val-d-oise-95-\d{4}-\d{2}-\d{2}\.csv/);
      const text = (await csv.text()).replace(/^\uFEFF/, '');
      expect(text.split('\r\n')[0]).toBe(`# ${r.inventory.wording}`);
      const [header, ...rows] = parseCsvRecords(text.replace(/^#.*\r\n/gm, ''), ';');
      expect(header).toEqual(['code_qpv', 'nom_qpv', 'generation', 'communes', 'noms_communes', 'population']);
      expect(rows.map((row) => row[0])).toEqual(r.uncovered.qpv.map((q: any) => q.code));
      expect(rows.map((row) => row[3])).toEqual(r.uncovered.qpv.map((q: any) => q.communes.join(' ')));
    });

    it('rejects malformed zones and layers', async () => {
      await problem('/api/gaps?layer=cls&within=46', 400, /couche:code/);
      await problem('/api/gaps?layer=cls&within=departement:999', 404, /Zone introuvable/);
      await problem('/api/gaps?layer=cls&within=commune:46042', 400, /plusieurs communes/);
      await problem('/api/gaps?layer=planete', 404, /Couche inconnue/);
      await problem('/api/gaps', 400, /layer/);
      await problem('/api/gaps?layer=commune', 400, /tout le territoire/);
    });
  });

  describe('coordination load', () => {
    it('measures each scheme per FTE and its distances to the central town', async () => {
      const r = await json('/api/load?scheme=cls-grand-quercy&scheme=cls-cergy');
      const [quercy, cergy] = r.schemes;
      expect(quercy.centralTown).toEqual({ code: '46042', name: 'Cahors', reason: 'plus-peuplee' });
      expect(quercy.perFte.communes).toBe(quercy.communeCount); // 1 FTE
      expect(quercy.distanceKm.max).toBeGreaterThan(30);
      expect(quercy.distanceKm.max).toBeLessThan(60);
      expect(quercy.distanceKm.median).toBeLessThan(quercy.distanceKm.max);
      expect(cergy.centralTown).toEqual({ code: '95127', name: 'Cergy', reason: 'porteur' });
      expect(cergy.distanceKm).toEqual({ median: 0, max: 0 });
      const res = await get('/api/load?scheme=cls-grand-quercy&scheme=cls-cergy&format=csv');
      expect(res.headers.get('content-disposition')).toMatch(/charge-de-coordination-cls-grand-quercy-cls-cergy-\d{4}-\d{2}-\d{2}\.csv/);
      const csv = (await res.text()).replace(/^\uFEFF/, '');
      const lines = csv.trim().split('\r\n');
      expect(lines.filter((l) => !l.startsWith('# '))).toHaveLength(3);
      expect(lines).toContain('# requête : GET /api/load?scheme=cls-grand-quercy&scheme=cls-cergy&format=csv');
      expect(lines.find((l) => l.startsWith('# millésime des données : '))).toMatch(/Communes : /);
      await problem('/api/load?scheme=inconnu', 404, /Démarche introuvable/);
      await problem('/api/load', 400, /scheme/);
    });
  });
});
