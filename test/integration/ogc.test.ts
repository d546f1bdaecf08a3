// OGC API – Features on each backend, read by a real client: GDAL (ogrinfo, ogr2ogr from
// Debian's gdal-bin) opens OAPIF:http://…/ogc like QGIS does. Counts are checked against
// decoupage-administratif and against SQL on the same database; paging, generalisation,
// filters, HTML and bad parameters over plain HTTP.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { featureCollectionSchema } from '../../contract/ogc.ts';
import { loadDecoupage } from '../../geodata/decoupage.ts';
import { backends, startTestServer, type TestServer } from '../support/backends.ts';

const run = promisify(execFile);
const decoupage = loadDecoupage();
const currentCommunes = new Map(decoupage.communes.filter((c) => c.type === 'commune-actuelle').map((c) => [c.code, c]));

/** EPCI whose most populous département is `dep`, computed from decoupage-administratif alone. */
function epciOfDepartement(dep: string): string[] {
  return decoupage.epci
    .filter((e) => {
      const byDep = new Map<string, number>();
      for (const m of e.membres) {
        const c = currentCommunes.get(m.code);
        if (c) byDep.set(c.departement, (byDep.get(c.departement) ?? 0) + (c.population ?? 0));
      }
      const [main] = [...byDep].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
      return main?.[0] === dep;
    })
    .map((e) => e.code)
    .sort();
}

/** A GDAL command line tool; stderr kept (with --debug on it lists every URL fetched). */
async function gdal(tool: 'ogrinfo' | 'ogr2ogr', args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run(tool, args, {
    maxBuffer: 64 * 1024 * 1024,
    timeout: 120_000,
    env: { ...process.env, NO_PROXY: '127.0.0.1,localhost', no_proxy: '127.0.0.1,localhost', GDAL_HTTP_TIMEOUT: '60' },
  });
}

/** Values of one field in `ogrinfo -al` output. */
function fieldValues(stdout: string, field: string): string[] {
  return [...stdout.matchAll(new RegExp(`^\\s+${field} \\(String\\) = (.*)$`, 'gm'))].map((m) => m[1]!);
}

describe.each(backends())('OGC API – Features on $name', (backend) => {
  let server: TestServer;
  let tmp: string;
  const get = (p: string, headers: Record<string, string> = {}) => fetch(server.url + p, { headers });
  const json = async (p: string) => {
    const res = await get(p);
    expect(res.status, `${p} → ${res.status} ${res.status === 200 ? '' : await res.clone().text()}`).toBe(200);
    return res.json() as Promise<any>;
  };
  const oapif = () => `OAPIF:${server.url}/ogc`;

  beforeAll(async () => {
    server = await startTestServer(backend);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mf-ogc-'));
  });
  afterAll(async () => {
    fs.rmSync(tmp, { recursive: true, force: true });
    await server?.close();
  });

  it('is listed by ogrinfo: one collection per layer and per scheme type', async () => {
    const { stdout } = await gdal('ogrinfo', ['-ro', '-q', oapif()]);
    const ids = [...stdout.matchAll(/^\d+: ([a-z0-9-]+) \(title: (.+?)\)/gm)].map((m) => m[1]);
    const required = ['commune', 'epci', 'departement', 'region', 'arrondissement', 'petr', 'pnr', 'qpv', 'cpts'];
    required.push('secteur-psy-adulte', 'secteur-psy-enfant', 'scheme', 'cls', 'asv', 'clsm', 'ptsm');
    expect(ids.sort()).toEqual(required.sort());
    // the same catalogue as the API's
    const { layers } = await json('/api/layers');
    expect(ids).toEqual(expect.arrayContaining(layers.map((l: { id: string }) => l.id)));
  });

  it('reads the EPCI of the Lot through GDAL, the departement filter evaluated by the server', async () => {
    const expected = epciOfDepartement('46');
    expect(expected.length).toBeGreaterThan(5);
    const { stdout, stderr } = await gdal('ogrinfo', [
      '-ro',
      '-al',
      '-q',
      '--debug',
      'on',
      '-where',
      "departement = '46'",
      oapif(),
      'epci',
    ]);
    expect(fieldValues(stdout, 'code').sort()).toEqual(expected);
    expect(fieldValues(stdout, 'departement').every((d) => d === '46')).toBe(true);
    // GDAL learnt from /ogc/api that departement is a server-side filter
    expect(stderr).toMatch(/Fetch\(http:\/\/127\.0\.0\.1:\d+\/ogc\/collections\/epci\/items\?[^)]*departement=46/);
  });

  it('returns with a bbox only the features that intersect it, through GDAL and over HTTP', async () => {
    const bbox = [1.38, 44.4, 1.5, 44.5]; // around Cahors (Lot)
    const [expected] = await server.db.query<{ codes: string[] }>(
      `SELECT coalesce(array_agg(code ORDER BY code), '{}') AS codes FROM atlas.commune
       WHERE ST_Intersects(geom, ST_MakeEnvelope($1, $2, $3, $4, 4326))`,
      bbox,
    );
    expect(expected!.codes).toContain('46042'); // Cahors
    expect(expected!.codes.length).toBeGreaterThan(5);
    const http = await json(`/ogc/collections/commune/items?bbox=${bbox.join(',')}&limit=1000`);
    expect(http.numberMatched).toBe(expected!.codes.length);
    expect(http.features.map((f: { id: string }) => f.id)).toEqual(expected!.codes);
    expect(http.simplification).toBeUndefined(); // small bbox: full detail
    const { stdout } = await gdal('ogrinfo', ['-ro', '-al', '-q', '-spat', ...bbox.map(String), oapif(), 'commune']);
    expect(fieldValues(stdout, 'code').sort()).toEqual(expected!.codes);
  });

  it('converts collections to GeoPackage with ogr2ogr, every page followed', async () => {
    const lot = [...currentCommunes.values()].filter((c) => c.departement === '46').map((c) => c.code);
    const gpkg = path.join(tmp, 'lot.gpkg');
    // 100 features a page: the communes of the Lot take four pages, joined by the next links
    await gdal('ogr2ogr', ['-f', 'GPKG', '-oo', 'PAGE_SIZE=100', '-where', "departement = '46'", gpkg, oapif(), 'commune']);
    const { stdout } = await gdal('ogrinfo', ['-ro', '-so', gpkg, 'commune']);
    expect(Number(/Feature Count: (\d+)/.exec(stdout)?.[1])).toBe(lot.length);
    const codes = await gdal('ogrinfo', ['-ro', '-q', '-sql', 'SELECT count(DISTINCT code) AS n FROM commune', gpkg]);
    expect(codes.stdout).toMatch(new RegExp(`n \\(Integer\\) = ${lot.length}\\b`));

    const epci = path.join(tmp, 'epci-46.gpkg');
    await gdal('ogr2ogr', ['-f', 'GPKG', '-where', "departement = '46'", epci, oapif(), 'epci']);
    const e = await gdal('ogrinfo', ['-ro', '-so', epci, 'epci']);
    expect(Number(/Feature Count: (\d+)/.exec(e.stdout)?.[1])).toBe(epciOfDepartement('46').length);
    expect(e.stdout).toMatch(/Geometry: Multi Polygon/);
  });

  it('pages with limit and offset: numberMatched, numberReturned, next and prev links', async () => {
    const lot = [...currentCommunes.values()]
      .filter((c) => c.departement === '46')
      .map((c) => c.code)
      .sort();
    const seen: string[] = [];
    let url: string | undefined = `${server.url}/ogc/collections/commune/items?departement=46&limit=100&properties=name`;
    let pages = 0;
    while (url) {
      const res = await fetch(url);
      expect(res.headers.get('content-type')).toMatch(/^application\/geo\+json/);
      const page = featureCollectionSchema.parse(await res.json());
      expect(page.numberMatched).toBe(lot.length);
      expect(page.numberReturned).toBe(page.features.length);
      expect(page.features.every((f) => Object.keys(f.properties).join() === 'name')).toBe(true);
      if (pages > 0) expect(page.links.find((l) => l.rel === 'prev')?.href).toMatch(/offset=\d+/);
      else expect(page.links.some((l) => l.rel === 'prev')).toBe(false);
      seen.push(...page.features.map((f) => f.id));
      url = page.links.find((l) => l.rel === 'next')?.href;
      pages++;
    }
    expect(pages).toBe(Math.ceil(lot.length / 100));
    expect(seen).toEqual(lot);
    // the default page is 100 features
    expect((await json('/ogc/collections/commune/items')).numberReturned).toBe(100);
  });

  it('generalises geometry for a large bbox and keeps full detail otherwise', async () => {
    const vertices = (g: { coordinates: unknown }) => JSON.stringify(g.coordinates).split('],[').length;
    const full = await json('/ogc/collections/departement/items/46');
    const france = await json('/ogc/collections/departement/items?bbox=-5,41,10,51.5&properties=code&limit=200');
    const lot = france.features.find((f: { id: string }) => f.id === '46');
    expect(france.simplification.toleranceDegrees).toBeGreaterThan(0.005);
    expect(france.simplification.note).toMatch(/simplifiées/);
    expect(vertices(lot.geometry)).toBeLessThan(vertices(full.geometry) / 2);
    // one geometry type for the whole layer, simplified or not (GDAL and GeoPackage need it)
    expect(new Set(france.features.map((f: { geometry: { type: string } }) => f.geometry.type))).toEqual(new Set(['MultiPolygon']));
    const near = await json('/ogc/collections/departement/items?bbox=1.4,44.4,1.6,44.6');
    expect(near.simplification).toBeUndefined();
    expect(vertices(near.features.find((f: { id: string }) => f.id === '46').geometry)).toBe(vertices(full.geometry));
  });

  it('describes features with population, area, fictif flag, source and vintage', async () => {
    const cahors = await json('/ogc/collections/commune/items/46042');
    const cog = currentCommunes.get('46042')!;
    expect(cahors.properties).toMatchObject({ code: '46042', name: cog.nom, departement: '46', region: '76', population: cog.population });
    expect(cahors.properties.area_km2).toBeGreaterThan(30);
    expect(cahors.properties).toMatchObject({ fictif: false, vintage: 'COG 2025' });
    expect(cahors.properties.source).toMatch(/ADMIN EXPRESS/);
    expect(cahors.geometry.type).toBe('MultiPolygon');

    const cpts = await json('/ogc/collections/cpts/items?limit=1');
    const { layers } = await json('/api/layers');
    const cptsLayer = layers.find((l: { id: string }) => l.id === 'cpts');
    expect(cpts.numberMatched).toBe(cptsLayer.count);
    expect(cpts.features[0].properties.fictif).toBe(cptsLayer.fictif);
  });

  it('filters by type, status and région like a client filtering every feature would', async () => {
    const all = await json('/ogc/collections/epci/items?limit=10000&properties=code,type,region');
    expect(all.numberReturned).toBe(decoupage.epci.length);
    const ca76 = all.features.filter((f: any) => f.properties.type === 'CA' && f.properties.region === '76');
    const filtered = await json('/ogc/collections/epci/items?region=76&type=CA&limit=1000');
    expect(ca76.length).toBeGreaterThan(3);
    expect(filtered.features.map((f: { id: string }) => f.id)).toEqual(ca76.map((f: { id: string }) => f.id));

    const { schemes }: { schemes: { code: string; type: string; status: string }[] } = await json('/api/schemes');
    const running = schemes.filter((s) => s.status === 'en_cours' && s.type === 'CLS').map((s) => s.code);
    const cls = await json('/ogc/collections/cls/items?status=en_cours&properties=code,type,status');
    expect(running.length).toBeGreaterThan(0);
    expect(cls.features.map((f: { id: string }) => f.id).sort()).toEqual(running.sort());
    expect(cls.features.every((f: any) => f.properties.type === 'CLS' && f.properties.status === 'en_cours')).toBe(true);
    // a scheme of the reference file (others may have been created by the registry tests)
    const one = await json('/ogc/collections/cls/items/cls-grand-quercy');
    // provenance travels with every scheme (its value depends on how the registry was filled)
    expect(Object.keys(one.properties)).toEqual(expect.arrayContaining(['source_kind', 'source_date']));
    const typed = await json('/ogc/collections/scheme/items?type=ASV');
    expect(typed.numberMatched).toBe(schemes.filter((s) => s.type === 'ASV').length);
  });

  it('never serves contact data: no referent, no e-mail address', async () => {
    const res = await get('/ogc/collections/scheme/items?limit=10000');
    const text = await res.text();
    const body = JSON.parse(text);
    expect(body.numberReturned).toBeGreaterThan(10);
    const keys = new Set(body.features.flatMap((f: { properties: object }) => Object.keys(f.properties)));
    expect([...keys].filter((k) => /mail|phone|referent|user|contact/i.test(String(k)))).toEqual([]);
    expect(text).not.toMatch(/[\w.+-]+@[\w-]+\.[a-z]{2,}/i);
  });

  it('answers HTML to a browser, in French, with names escaped', async () => {
    const res = await get('/ogc/collections/commune/items?departement=46&limit=400', {
      Accept: 'text/html,application/xhtml+xml,*/*;q=0.8',
    });
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain('<html lang="fr">');
    // styled by a sheet of its own: the Content-Security-Policy forbids inline styles
    const sheet = /<link rel="stylesheet" href="([^"]+)">/.exec(html)![1]!;
    const css = await fetch(sheet);
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
    expect(await css.text()).toContain('border-collapse');
    expect(html).not.toContain('<style');
    expect(html).toMatch(/Objets 1 à \d+ sur \d+/);
    const apostrophe = [...currentCommunes.values()].find((c) => c.departement === '46' && c.nom.includes("'"))!;
    expect(apostrophe).toBeDefined();
    expect(html).toContain(apostrophe.nom.replaceAll("'", '&#39;'));
    expect(html).not.toContain(`>${apostrophe.nom}<`);
    const item = await (await get('/ogc/collections/epci/items/200023737?f=html')).text();
    expect(item).toMatch(/<h1>.+<\/h1>/);
    expect(item).toContain('Département principal');
    expect((await get('/ogc?f=html')).headers.get('content-type')).toMatch(/^text\/html/);
    expect((await get('/ogc', { Accept: 'application/json' })).headers.get('content-type')).toMatch(/^application\/json/);
  });

  it('describes itself: landing page, conformance, OpenAPI with each collection’s filters', async () => {
    const landing = await json('/ogc');
    const desc = landing.links.find((l: { rel: string }) => l.rel === 'service-desc');
    expect(desc.href).toBe(`${server.url}/ogc/api`);
    const conf = await json('/ogc/conformance');
    expect(conf.conformsTo).toEqual(
      expect.arrayContaining([
        'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
        'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
      ]),
    );
    const api = await get('/ogc/api');
    expect(api.headers.get('content-type')).toMatch(/application\/vnd\.oai\.openapi\+json/);
    const doc = await api.json();
    const params = doc.paths['/collections/epci/items'].get.parameters.map((p: { name: string }) => p.name);
    expect(params).toEqual(expect.arrayContaining(['bbox', 'limit', 'offset', 'departement', 'region', 'type']));
    expect(params).not.toContain('status');
    const limit = doc.paths['/collections/commune/items'].get.parameters.find((p: { name: string }) => p.name === 'limit');
    expect(limit.schema).toMatchObject({ maximum: 10000, default: 100 });
    const epci = await json('/ogc/collections/epci');
    expect(epci.extent.spatial.bbox[0][0]).toBeLessThan(-61); // overseas included
    expect(epci.links.some((l: { rel: string; type: string }) => l.rel === 'items' && l.type === 'application/geo+json')).toBe(true);
  });

  it('refuses bad parameters with a French problem naming them', async () => {
    const cases: [string, number, RegExp][] = [
      ['/ogc/collections/commune/items?bbox=1,2,3', 400, /^L’emprise : 4 nombres attendus/],
      ['/ogc/collections/commune/items?bbox=3,44,1,45', 400, /^L’emprise : inversée/],
      ['/ogc/collections/commune/items?bbox=1,44,200,45', 400, /hors du monde/],
      ['/ogc/collections/commune/items?limit=10001', 400, /^Le nombre de résultats : au plus 10\s000 objets par page/],
      ['/ogc/collections/commune/items?limit=abc', 400, /^Le nombre de résultats : nombre entier attendu/],
      ['/ogc/collections/commune/items?offset=-1', 400, /^Le rang du premier résultat : positif ou nul/],
      ['/ogc/collections/nope/items', 404, /Collection inconnue : « nope »\. Voir la liste des collections du service\./],
      ['/ogc/collections/commune/items?color=red', 400, /^Paramètre inconnu : color/],
      ['/ogc/collections/commune/items?status=en_cours', 400, /filtre « status » ne s’applique pas/],
      ['/ogc/collections/commune/items?properties=name,secret', 400, /Propriété inconnue .* secret/],
      ['/ogc/collections/commune/items?departement=4%3B6', 400, /code de département invalide/],
      ['/ogc/collections/commune/items/99999', 404, /Aucun objet « 99999 »/],
      ['/ogc/nowhere', 404, /Aucune ressource/],
    ];
    for (const [p, status, detail] of cases) {
      const res = await get(p);
      expect(res.status, p).toBe(status);
      expect(res.headers.get('content-type'), p).toMatch(/^application\/problem\+json/);
      expect((await res.json()).detail, p).toMatch(detail);
    }
    // a past offset is an empty page, not an error
    const past = await json('/ogc/collections/pnr/items?offset=500');
    expect(past).toMatchObject({ numberReturned: 0, features: [] });
  });
});
