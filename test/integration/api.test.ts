// The core API on the real reference data, against every prepared backend: facts
// checked against the source files and the COG package, and bad input answered 4xx.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDecoupage } from '../../geodata/decoupage.ts';
import { backends, GEODATA_DIR, startTestServer, type TestServer } from '../support/backends.ts';

const decoupage = loadDecoupage();
const communeFile = JSON.parse(
  zlib.gunzipSync(fs.readFileSync(path.join(GEODATA_DIR, 'admin-express-2025/communes-2025.geojson.gz'))).toString('utf8'),
) as { features: { properties: { code: string } }[] };
const cogCommune = (code: string) => decoupage.communes.find((c) => c.code === code && c.type === 'commune-actuelle')!;

describe.each(backends())('API on $name', (backend) => {
  let server: TestServer;
  const get = (p: string, init?: RequestInit) => fetch(server.url + p, init);
  const json = async (p: string) => {
    const res = await get(p);
    expect(res.status, `${p} → ${res.status}`).toBe(200);
    return res.json() as Promise<any>;
  };

  beforeAll(async () => {
    server = await startTestServer(backend);
  });
  afterAll(async () => server?.close());

  describe('health and catalogue', () => {
    it('reports the database and the data vintage', async () => {
      const h = await json('/api/health');
      expect(h).toMatchObject({ status: 'ok', database: backend.name, vintage: 'COG 2025' });
    });

    it('lists every layer with its count, vintage, source and licence', async () => {
      const { layers } = await json('/api/layers');
      const byId = Object.fromEntries(layers.map((l: any) => [l.id, l]));
      expect(Object.keys(byId)).toEqual(
        expect.arrayContaining(['commune', 'epci', 'departement', 'region', 'arrondissement', 'petr', 'pnr', 'qpv', 'scheme']),
      );
      expect(byId.commune.count).toBe(communeFile.features.length);
      expect(byId.epci.count).toBe(decoupage.epci.length);
      expect(byId.region.count).toBe(18);
      expect(byId.departement.count).toBe(101);
      expect(byId.epci.licence).toBe('Licence Ouverte 2.0');
      const csvSchemes =
        fs.readFileSync(path.join(GEODATA_DIR, 'demarches/demarches-territoriales-sante.csv'), 'utf8').trim().split('\n').length - 1;
      expect(byId.scheme.count).toBe(csvSchemes);
      const types = Object.fromEntries(byId.scheme.types.map((t: any) => [t.id, t.count]));
      expect(types.cls + types.asv + types.clsm + types.ptsm).toBe(csvSchemes);
    });
  });

  describe('facts checked against the sources', () => {
    it('stores one commune per row of the commune file, each with its geometry', async () => {
      const [row] = await server.db.query<{ n: number; with_geom: number }>(
        `SELECT count(*)::int AS n, count(geom)::int AS with_geom FROM atlas.commune`,
      );
      expect(row).toEqual({ n: communeFile.features.length, with_geom: communeFile.features.length });
    });

    it('gives every EPCI the member count of decoupage-administratif', async () => {
      const rows = await server.db.query<{ code: string; n: number; commune_count: number }>(
        `SELECT p.code, p.commune_count, (SELECT count(*)::int FROM atlas.membership m WHERE m.layer = 'epci' AND m.code = p.code) AS n
         FROM atlas.perimeter p WHERE p.layer = 'epci'`,
      );
      const stored = new Map(rows.map((r) => [r.code, r]));
      const mismatches = decoupage.epci.filter(
        (e) => stored.get(e.code)?.n !== e.membres.length || stored.get(e.code)?.commune_count !== e.membres.length,
      );
      expect(mismatches.map((e) => e.code)).toEqual([]);
      const issoire = await json('/api/territories/epci/200070407');
      expect(issoire.communeCount).toBe(decoupage.epci.find((e) => e.code === '200070407')!.membres.length);
    });

    it('leads a commune merged before 2025 to its current commune', async () => {
      const res = await get('/api/territories/commune/25347', { redirect: 'manual' });
      expect(res.status).toBe(301);
      expect(res.headers.get('location')).toBe('/api/territories/commune/25390');
      const sheet = await json('/api/territories/commune/25347');
      expect(sheet.code).toBe('25390');
      expect(sheet.name).toBe('Pays-de-Montbenoît');
      expect(sheet.attributes.formerCodes.map((f: any) => f.code)).toContain('25347');
      const search = await json('/api/search?q=25347');
      expect(search.results[0]).toMatchObject({ layer: 'commune', code: '25390' });
    });

    it('has Paris, Lyon and Marseille whole, reachable by their arrondissements', async () => {
      for (const [code, arrondissement] of [
        ['75056', '75101'],
        ['69123', '69381'],
        ['13055', '13201'],
      ] as const) {
        const sheet = await json(`/api/territories/commune/${code}`);
        expect(sheet.population).toBe(cogCommune(code).population);
        expect(sheet.name).toBe(cogCommune(code).nom);
        const res = await get(`/api/territories/commune/${arrondissement}`, { redirect: 'manual' });
        expect(res.headers.get('location')).toBe(`/api/territories/commune/${code}`);
      }
      const paris = await json('/api/territories/commune/75056');
      expect(paris.areaKm2).toBeGreaterThan(100); // 105.4 km² officially
      expect(paris.areaKm2).toBeLessThan(110);
    });

    it('measures an overseas commune on the ground, not in degrees nor Lambert-93', async () => {
      const stDenis = await json('/api/territories/commune/97411'); // La Réunion, 142.8 km² officially
      expect(stDenis.areaKm2).toBeGreaterThan(130);
      expect(stDenis.areaKm2).toBeLessThan(155);
      const cayenne = await json('/api/territories/commune/97302'); // Guyane, 23.6 km² officially
      expect(cayenne.areaKm2).toBeGreaterThan(20);
      expect(cayenne.areaKm2).toBeLessThan(28);
    });

    it('keeps the PNR decree list, with the commune nouvelle as a partial member', async () => {
      const listed = fs.readFileSync(path.join(GEODATA_DIR, 'pnr/pnr-doubs-horloger-2021.csv'), 'utf8').trim().split('\n').length - 1;
      const pnr = await json('/api/territories/pnr/PNR-DOUBS-HORLOGER');
      // two listed communes are now one (Pays-de-Montbenoît)
      expect(pnr.communeCount).toBe(listed - 1);
      const montbenoit = await json('/api/territories/commune/25390');
      const membership = montbenoit.memberships.find((m: any) => m.layer === 'pnr');
      expect(membership.share).toBeCloseTo(2 / 5, 4);
    });

    it('builds the PETR from its EPCI and the schemes from their perimeter references', async () => {
      const quercyEpci = ['200023737', '200035327', '200039519', '244600433', '244600482', '244600532', '244600573'];
      const expected = decoupage.epci.filter((e) => quercyEpci.includes(e.code)).reduce((n, e) => n + e.membres.length, 0);
      const petr = await json('/api/territories/petr/PETR-GRAND-QUERCY');
      expect(petr.communeCount).toBe(expected);
      const cls = await json('/api/territories/cls/cls-grand-quercy');
      expect(cls.communeCount).toBe(expected);
      expect(cls.population).toBe(petr.population);
      expect(cls.scheme).toMatchObject({ type: 'CLS', bearerType: 'PETR', coordinationFte: 1 });
      const clsPetr = cls.memberships.find((m: any) => m.layer === 'petr');
      expect(clsPetr).toMatchObject({ code: 'PETR-GRAND-QUERCY', share: 1, shareOfOther: 1 });
      const { history } = await json('/api/schemes/cls-grand-quercy/history');
      expect(history[0]).toMatchObject({ version: 1, action: 'création (registre de référence)', before: null });
      expect(history[0].after.communes).toHaveLength(expected);
      const unknown = await json('/api/territories/scheme/cls-margeride-haut-allier');
      expect(unknown.communeCount).toBe(0);
      expect(unknown.attributes.perimeterKnown).toBe(false);
    });

    it('lists every perimeter a commune belongs to', async () => {
      const cergy = await json('/api/territories/commune/95127');
      const codes = cergy.memberships.map((m: any) => `${m.layer}:${m.code}`);
      expect(codes).toEqual(
        expect.arrayContaining([
          'region:11',
          'departement:95',
          'epci:249500109',
          'scheme:cls-cergy',
          'scheme:asv-cergy',
          'scheme:clsm-cergy-pontoise',
        ]),
      );
      const qpv = cergy.memberships.filter((m: any) => m.layer === 'qpv');
      const listed = fs
        .readFileSync(path.join(GEODATA_DIR, 'qpv/qpv-2024-communes.csv'), 'utf8')
        .split('\n')
        .filter((l) => l.startsWith('95127,'));
      expect(qpv).toHaveLength(listed.length);
      expect(qpv.every((m: any) => m.share === null)).toBe(true); // 2024 QPV: part of unknown size
    });
  });

  describe('locate', () => {
    it('finds the commune at a point, and nothing at sea', async () => {
      expect(await json('/api/locate?lon=3.2496&lat=45.5443')).toEqual({ layer: 'commune', code: '63178', name: 'Issoire' });
      expect(await json('/api/locate?lon=55.45&lat=-20.89')).toMatchObject({ code: '97411' });
      expect((await get('/api/locate?lon=-30&lat=45')).status).toBe(404);
      expect((await get('/api/locate?lon=abc&lat=45')).status).toBe(400);
      expect((await get('/api/locate?lon=200&lat=45')).status).toBe(400);
    });
  });

  describe('member communes and exports', () => {
    it('exports the member communes as CSV for spreadsheets', async () => {
      const res = await get('/api/territories/epci/200070407/communes?format=csv');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
      expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="?communes-epci-200070407\.csv"?/);
      const bytes = new Uint8Array(await res.arrayBuffer());
      expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const lines = new TextDecoder()
        .decode(bytes)
        .replace(/^\uFEFF/, '')
        .trim()
        .split('\r\n');
      expect(lines[0]).toBe('code_commune;nom_commune;departement;population;part_dans_le_perimetre;perimetre;donnees');
      expect(lines).toHaveLength(1 + decoupage.epci.find((e) => e.code === '200070407')!.membres.length);
      expect(lines.find((l) => l.startsWith('63178;'))).toMatch(/^63178;Issoire;63;\d+;1;/);
    });

    it('exports them as GeoJSON, and as JSON with population and share', async () => {
      const res = await get('/api/territories/cls/cls-agglo-pays-issoire/communes?format=geojson');
      expect(res.headers.get('content-type')).toMatch(/application\/geo\+json/);
      const fc = (await res.json()) as any;
      expect(fc.type).toBe('FeatureCollection');
      expect(fc.features).toHaveLength(87);
      expect(fc.features.every((f: any) => ['Polygon', 'MultiPolygon'].includes(f.geometry.type))).toBe(true);
      const list = await json('/api/territories/pnr/PNR-DOUBS-HORLOGER/communes');
      const total = list.communes.reduce((s: number, c: any) => s + c.population * c.share, 0);
      const pnr = await json('/api/territories/pnr/PNR-DOUBS-HORLOGER');
      expect(Math.round(total)).toBe(pnr.population);
    });
  });

  describe('bad input', () => {
    const problem = async (p: string, status: number, detail: RegExp) => {
      const res = await get(p);
      expect(res.status, p).toBe(status);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const body = (await res.json()) as any;
      expect(body.status).toBe(status);
      expect(body.detail).toMatch(detail);
    };

    it('rejects unknown layers and malformed or unknown codes', async () => {
      await problem('/api/territories/galaxie/1', 404, /Couche inconnue : « galaxie »/);
      await problem('/api/territories/commune/abc%20def', 400, /code invalide/);
      await problem(`/api/territories/commune/${'1'.repeat(80)}`, 400, /code trop long/);
      await problem('/api/territories/commune/00000', 404, /Aucune commune de code « 00000 »/);
      await problem('/api/territories/EPCI/200070407', 400, /identifiant de couche invalide/);
      await problem('/api/territories/epci/200070407/communes?format=xlsx', 400, /format attendu/);
      await problem('/api/nulle-part', 404, /Aucune ressource/);
    });
  });
});
