// The real perimeters of the reference import, on every backend: the CPTS of
// Provence-Alpes-Côte d'Azur (ARS listing, January 2026), the national PNR outlines
// (INPN ≈ 2020) and PETR outlines (contrats de ruralité 2016–2019) turned into member
// communes, with the current lists (Doubs Horloger decree, Grand Quercy 2025) winning.
// Facts are checked against the source files and the COG package.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDecoupage } from '../../geodata/decoupage.ts';
import { parseCsv } from '../../core/csv/read.ts';
import { layerFeatures } from '../../server/queries/tiles.ts';
import { LayerIndex } from '../../server/tiles/layer-index.ts';
import { backends, GEODATA_DIR, startTestServer, type TestServer } from '../support/backends.ts';

const decoupage = loadDecoupage();
const population = (code: string) => decoupage.communes.find((c) => c.code === code)!.population!;
const cpts = parseCsv(fs.readFileSync(path.join(GEODATA_DIR, 'cpts/cpts-paca-2026-01.csv'))).rows;
const PACA_DEPARTEMENTS = ['04', '05', '06', '13', '83', '84'];

describe.each(backends())('real perimeters on $name', (backend) => {
  let server: TestServer;
  const json = async (p: string) => {
    const res = await fetch(server.url + p);
    expect(res.status, `${p} → ${res.status}`).toBe(200);
    return res.json() as Promise<any>;
  };
  const memberships = async (commune: string, layer: string) =>
    ((await json(`/api/territories/commune/${commune}`)).memberships as any[]).filter((m) => m.layer === layer);

  beforeAll(async () => {
    server = await startTestServer(backend);
  });
  afterAll(async () => server?.close());

  describe("CPTS of Provence-Alpes-Côte d'Azur", () => {
    it('loads the 70 CPTS of the listing, real and credited to the ARS', async () => {
      const [row] = await server.db.query<{ n: number; fictif: number }>(
        `SELECT count(*)::int AS n, count(*) FILTER (WHERE fictif)::int AS fictif FROM atlas.perimeter
         WHERE layer = 'cpts' AND attrs->>'source' = 'ARS Provence-Alpes-Côte d''Azur'`,
      );
      expect(row).toEqual({ n: new Set(cpts.map((r) => r.cpts_nom)).size, fictif: 0 });
      expect(row!.n).toBe(70);
      const { layers } = await json('/api/layers');
      expect(layers.find((l: any) => l.id === 'cpts')).toMatchObject({ fictif: false, source: expect.stringContaining('ARS Provence') });
    });

    it('CPTS Aix Sainte Victoire: its six communes, Aix-en-Provence and Venelles whole', async () => {
      const listed = cpts.filter((r) => r.cpts_nom === 'CPTS Aix Sainte Victoire').map((r) => r.insee_com_2025);
      const sheet = await json('/api/territories/cpts/CPTS-AIX-SAINTE-VICTOIRE');
      expect(sheet).toMatchObject({ name: 'CPTS Aix Sainte Victoire', fictif: false, communeCount: listed.length });
      expect(sheet.attributes).toMatchObject({ source: "ARS Provence-Alpes-Côte d'Azur", millesime: 'listing ARS de janvier 2026' });
      expect(sheet.population).toBe(listed.reduce((n, c) => n + population(c!), 0));
      for (const commune of ['13001', '13113']) {
        expect(await memberships(commune, 'cpts')).toEqual([expect.objectContaining({ code: 'CPTS-AIX-SAINTE-VICTOIRE', share: 1 })]);
      }
    });

    it('Marseille is a partial member of eight CPTS, by the population of their arrondissements', async () => {
      const rows = cpts.filter((r) => r.insee_com_2025 === '13055');
      const inMarseille = await memberships('13055', 'cpts');
      expect(inMarseille.length).toBe(rows.length);
      expect(inMarseille.length).toBe(8);
      const seventh = inMarseille.find((m) => m.code === 'CPTS-MARSEILLE-7');
      // CPTS Marseille-7 lists the 7th arrondissement (13207) only
      expect(seventh.share).toBeCloseTo(population('13207') / population('13055'), 4);
      expect(seventh.share).toBeGreaterThan(0.02);
      expect(seventh.share).toBeLessThan(0.05);
      const total = inMarseille.reduce((n, m) => n + m.share, 0);
      expect(total).toBeGreaterThan(0.5);
      expect(total).toBeLessThanOrEqual(1);
      const sheet = await json('/api/territories/cpts/CPTS-MARSEILLE-7');
      expect(sheet.population).toBe(population('13207'));
    });

    it('Nice, shared by three CPTS with no finer split: a member of each, part unknown, and the sheet says so', async () => {
      const inNice = await memberships('06088', 'cpts');
      expect(inNice.map((m) => m.code).sort()).toEqual([
        'CPTS-NICE-CENTRE-NICE-EST',
        'CPTS-NICE-NORD-ET-SES-COLLINES',
        'CPTS-NICE-OUEST-VALLEE',
      ]);
      expect(inNice.every((m) => m.share === null)).toBe(true);
      const sheet = await json('/api/territories/cpts/CPTS-NICE-OUEST-VALLEE');
      expect(sheet.attributes.note).toMatch(/partage sans maille infra-communale/);
      expect(sheet.attributes.communesPartagees).toEqual([
        { commune: '06088', name: 'Nice', with: ['CPTS Nice Centre - Nice Est', 'CPTS Nice Nord et ses Collines'] },
      ]);
      // a population the registry does not know is not made up
      expect(sheet.population).toBeNull();
    });

    it('keeps the fictitious examples out of every département holding real CPTS', async () => {
      const rows = await server.db.query<{ departement: string; fictif: boolean }>(
        `SELECT DISTINCT c.departement, p.fictif FROM atlas.perimeter p
         JOIN atlas.membership m ON m.layer = p.layer AND m.code = p.code JOIN atlas.commune c ON c.code = m.commune
         WHERE p.layer = 'cpts' ORDER BY 1, 2`,
      );
      const real = new Set(rows.filter((r) => !r.fictif).map((r) => r.departement));
      const fictitious = new Set(rows.filter((r) => r.fictif).map((r) => r.departement));
      for (const d of PACA_DEPARTEMENTS) expect(real.has(d), d).toBe(true);
      expect([...fictitious].filter((d) => real.has(d))).toEqual([]);
      expect([...fictitious].sort()).toEqual(['46', '59', '63']);
    });
  });

  describe('national PNR from the INPN outlines', () => {
    it('keeps the Doubs Horloger decree list and adds the 56 parks of the INPN layer, each said approximate', async () => {
      const rows = await server.db.query<{ code: string; name: string; approximation: string | null; n: number }>(
        `SELECT code, name, attrs->>'approximation' AS approximation, commune_count AS n FROM atlas.perimeter WHERE layer = 'pnr' ORDER BY code`,
      );
      expect(rows.length).toBe(57);
      expect(rows.find((r) => r.code === 'PNR-DOUBS-HORLOGER')).toMatchObject({ approximation: null });
      const outlined = rows.filter((r) => r.code !== 'PNR-DOUBS-HORLOGER');
      expect(outlined.every((r) => r.approximation === 'périmètre approché (contour INPN ≈ 2020)')).toBe(true);
      expect(outlined.every((r) => r.n > 0)).toBe(true);
      expect(outlined.every((r) => /^Parc naturel régional (du |de la |de l'|des |de |d'|[A-Z])/.test(r.name))).toBe(true);
    });

    // Member counts published by the parks (charters in force around 2020), for comparison:
    // Volcans d'Auvergne 147 communes (charte 2013-2028, parcdesvolcans.fr),
    // Vercors 84 communes (charte 2008-2023, parc-du-vercors.fr), Camargue 3 communes
    // (Arles, Saintes-Maries-de-la-Mer, Port-Saint-Louis-du-Rhône; parc-camargue.fr).
    // Communes derived from a simplified outline are approximate at the edges, and
    // mergers since lower the counts: a band of ±20 % around the published figure.
    it.each([
      ['FR8000028', "Parc naturel régional des Volcans d'Auvergne", 147],
      ['FR8000001', 'Parc naturel régional du Vercors', 84],
    ])('%s (%s): a member count close to the published %i', async (code, name, published) => {
      const sheet = await json(`/api/territories/pnr/${code}`);
      expect(sheet.name).toBe(name);
      expect(sheet.communeCount).toBeGreaterThanOrEqual(Math.floor(published * 0.8));
      expect(sheet.communeCount).toBeLessThanOrEqual(Math.ceil(published * 1.2));
      expect(sheet.attributes.approximation).toBe('périmètre approché (contour INPN ≈ 2020)');
    });

    it('Camargue: Arles, Les Saintes-Maries-de-la-Mer and Port-Saint-Louis-du-Rhône', async () => {
      const list = await json('/api/territories/pnr/FR8000011/communes');
      expect(list.name).toBe('Parc naturel régional de Camargue');
      expect(list.communes.map((c: any) => c.code).sort()).toEqual(['13004', '13078', '13096']);
    });

    it('says "périmètre approché" in the CSV export and the tile labels', async () => {
      const csv = await (await fetch(`${server.url}/api/territories/pnr/FR8000011/communes?format=csv`)).text();
      expect(csv).toMatch(/périmètre approché \(contour INPN ≈ 2020\)/);
      const features = await layerFeatures(server.db, 'pnr');
      expect(features.find((f) => f.code === 'FR8000011')!.approximation).toBe('périmètre approché (contour INPN ≈ 2020)');
      expect(features.find((f) => f.code === 'PNR-DOUBS-HORLOGER')!.approximation).toBeNull();
      // the label of the Camargue park, in the zoom-12 tile under its label point, carries the note
      const [lon, lat] = JSON.parse(features.find((f) => f.code === 'FR8000011')!.label).coordinates as [number, number];
      const z = 12;
      const x = Math.floor(((lon + 180) / 360) * 2 ** z);
      const y = Math.floor(((1 - Math.log(Math.tan((lat * Math.PI) / 180) + 1 / Math.cos((lat * Math.PI) / 180)) / Math.PI) / 2) * 2 ** z);
      const labels = new LayerIndex('pnr', features).parts(z, x, y)['pnr-label'];
      const camargue = labels?.find((f: { tags?: Record<string, unknown> | null }) => f.tags?.code === 'FR8000011');
      expect(camargue?.tags).toMatchObject({ approche: 'périmètre approché (contour INPN ≈ 2020)' });
    });
  });

  describe('national PETR from the contrats de ruralité outlines', () => {
    it('loads the 124 outlines but the Grand Quercy of 2017, replaced by its 2025 list', async () => {
      const rows = await server.db.query<{ code: string; name: string; approximation: string | null }>(
        `SELECT code, name, attrs->>'approximation' AS approximation FROM atlas.perimeter WHERE layer = 'petr' ORDER BY code`,
      );
      expect(rows.length).toBe(124);
      expect(rows.find((r) => r.code === 'CR0281')).toBeUndefined();
      expect(rows.find((r) => r.code === 'PETR-GRAND-QUERCY')).toMatchObject({ approximation: null });
      const outlined = rows.filter((r) => r.code !== 'PETR-GRAND-QUERCY');
      expect(
        outlined.every((r) => /^périmètre approché \(contour ANCT du contrat de ruralité, 20(16|17|18|19)\)$/.test(r.approximation ?? '')),
      ).toBe(true);
      // the source gives CR0306 and CR0383 to two PETR each: both kept, told apart
      expect(rows.filter((r) => r.code.startsWith('CR0306')).map((r) => r.name)).toEqual([
        'PETR Marennes Oléron',
        'PETR Ouest Charente - Cognac',
      ]);
    });

    it('Cahors belongs to the PETR Grand Quercy of the 2025 list only', async () => {
      const petr = await memberships('46042', 'petr');
      expect(petr.map((m) => m.code)).toEqual(['PETR-GRAND-QUERCY']);
      const sheet = await json('/api/territories/petr/PETR-GRAND-QUERCY');
      const epci = fs
        .readFileSync(path.join(GEODATA_DIR, 'petr/petr-grand-quercy.csv'), 'utf8')
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.split(',')[2]);
      const expected = decoupage.epci.filter((e) => epci.includes(e.code)).reduce((n, e) => n + e.membres.length, 0);
      expect(sheet.communeCount).toBe(expected);
    });

    it('derives member counts close to the counts of the time (mergers since make them smaller)', async () => {
      const rows = await server.db.query<{ n: number; then: number }>(
        `SELECT commune_count AS n, (attrs->>'communesAlors')::int AS then FROM atlas.perimeter WHERE layer = 'petr' AND attrs ? 'communesAlors'`,
      );
      const ratios = rows.map((r) => r.n / r.then).sort((a, b) => a - b);
      const median = ratios[Math.floor(ratios.length / 2)]!;
      expect(median).toBeGreaterThan(0.8);
      expect(median).toBeLessThan(1.1);
    });
  });
});
