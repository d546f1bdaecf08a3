// Perimeter import and example layers on each backend, on fixture files the tests write
// in a temporary folder from the imported communes: CSV (';' UTF-8 with BOM, ','
// Latin-1 with old codes), GeoJSON (WGS84 and Lambert-93), zipped Lambert-93
// shapefile; malformed files refused with a French report and nothing changed; dry
// run; examples replaced by real data; CSV export of a formula-like name neutralised.
// Every test that replaces a layer is undone in afterAll (imported units removed,
// examples regenerated; the reference CPTS of PACA stay), since the database is shared
// with the other test files. Imports are scoped: Lot fixtures replace the units of the
// Lot (46), Puy-de-Dôme fixtures those of the Puy-de-Dôme (63).
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_DEPARTEMENTS, EXAMPLE_SIZES, ensureExampleLayers, loadAdjacency } from '../../geodata/examples/index.ts';
import { formatPerimeterReport, importPerimeters, type PerimeterImportOptions } from '../../core/perimeters/index.ts';
import type { Scope } from '../../core/perimeters/scope.ts';
import { replaceScope } from '../../core/perimeters/write.ts';
import { parseCsvRecords } from '../../core/csv/read.ts';
import { createApp } from '../../server/app.ts';
import type { Db } from '../../core/db/db.ts';
import { backends, openBackend, type Backend } from '../support/backends.ts';
import { PRJ_LAMBERT93_ESRI, PRJ_UNKNOWN, zippedShapefile } from '../support/perimeters-shapefile.ts';

const EXAMPLE_LAYERS = ['cpts', 'secteur-psy-adulte', 'secteur-psy-enfant'];
const TEST_OTHER_LAYERS = ['autre-test-zonage-lambert', 'autre-test-zonage-shapefile', 'autre-test-noeud'];
const TOUCHED = [...EXAMPLE_LAYERS, ...TEST_OTHER_LAYERS];

/** Everything an import could change. */
async function snapshot(db: Db) {
  const [row] = await db.query(
    `SELECT (SELECT count(*)::int FROM atlas.layer) AS layers,
            (SELECT count(*)::int FROM atlas.perimeter) AS perimeters,
            (SELECT count(*)::int FROM atlas.membership) AS memberships,
            (SELECT round(sum(coalesce(share, -1))::numeric, 6)::float8 FROM atlas.membership) AS shares,
            (SELECT string_agg(layer || ':' || code || ':' || fictif || ':' || name, ',' ORDER BY layer, code)
               FROM atlas.perimeter WHERE layer = ANY($1::text[])) AS touched,
            (SELECT string_agg(id || ':' || name || ':' || fictif, ',' ORDER BY id) FROM atlas.layer) AS layer_rows`,
    [TOUCHED],
  );
  return row;
}

/** Puts the touched layers back as they were: examples regenerated, test layers removed. */
async function restore(db: Db, existedBefore: Set<string>) {
  await db.transaction(async (tx) => {
    // imported units carry attrs.import, examples are fictif; the reference units have neither
    const mine = `(p.fictif OR p.attrs->'import' IS NOT NULL)`;
    await tx.query(
      `DELETE FROM atlas.membership m USING atlas.perimeter p WHERE p.layer = m.layer AND p.code = m.code AND m.layer = ANY($1::text[]) AND ${mine}`,
      [TOUCHED],
    );
    await tx.query(`DELETE FROM atlas.perimeter p WHERE p.layer = ANY($1::text[]) AND ${mine}`, [TOUCHED]);
    await tx.query(`DELETE FROM atlas.layer WHERE id = ANY($1::text[])`, [TEST_OTHER_LAYERS]);
  });
  await ensureExampleLayers(db);
  const gone = EXAMPLE_LAYERS.filter((l) => !existedBefore.has(l));
  if (gone.length) {
    await db.transaction(async (tx) => {
      await tx.query(`DELETE FROM atlas.membership WHERE layer = ANY($1::text[])`, [gone]);
      await tx.query(`DELETE FROM atlas.perimeter WHERE layer = ANY($1::text[])`, [gone]);
      await tx.query(`DELETE FROM atlas.layer WHERE id = ANY($1::text[])`, [gone]);
    });
  }
}

async function existingLayers(db: Db) {
  const rows = await db.query<{ id: string }>(`SELECT id FROM atlas.layer WHERE id = ANY($1::text[])`, [EXAMPLE_LAYERS]);
  return new Set(rows.map((r) => r.id));
}

/** Memberships of the units a test imported (not the examples nor the reference units). */
const members = (db: Db, layer: string) =>
  db.query<{ code: string; commune: string; share: number }>(
    `SELECT m.code, m.commune, m.share FROM atlas.membership m JOIN atlas.perimeter p ON p.layer = m.layer AND p.code = m.code
     WHERE m.layer = $1 AND p.attrs->'import' IS NOT NULL ORDER BY m.code, m.commune`,
    [layer],
  );

const LOT: Scope = { kind: 'departement', code: '46' };
const PUY: Scope = { kind: 'departement', code: '63' };

describe.each(backends())('perimeter import on $name', (backend: Backend) => {
  let db: Db;
  let dir: string;
  let existed: Set<string>;
  const file = (name: string, data: string | Uint8Array) => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, data);
    return p;
  };
  const run = (options: Omit<PerimeterImportOptions, 'scope'> & { scope?: Scope }) => importPerimeters(db, { scope: LOT, ...options });

  /** Lot communes (by code) and their population, for the fixtures. */
  let lot: { code: string; name: string; population: number }[];
  let puy: { code: string; name: string; population: number }[];

  beforeAll(async () => {
    db = await openBackend(backend);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mf-perimeters-'));
    existed = await existingLayers(db);
    await ensureExampleLayers(db);
    lot = await db.query(`SELECT code, name, population FROM atlas.commune WHERE departement = '46' ORDER BY code LIMIT 6`);
    puy = await db.query(`SELECT code, name, population FROM atlas.commune WHERE departement = '63' ORDER BY code LIMIT 5`);
  });

  afterAll(async () => {
    if (db) {
      await restore(db, existed);
      await db.close();
    }
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('refusals: a clear French report and nothing changed', () => {
    const refused = async (options: Parameters<typeof run>[0], message: RegExp) => {
      const before = await snapshot(db);
      const report = await run(options);
      expect(report.status).toBe('rejected');
      expect(report.errors.join('\n')).toMatch(message);
      expect(formatPerimeterReport(report)).toMatch(/^Import refusé : rien n'a été modifié/);
      expect(await snapshot(db)).toEqual(before);
      return report;
    };

    it('an empty file', async () => {
      await refused({ layer: 'cpts', file: file('vide.csv', '') }, /Le fichier est vide/);
    });

    it('a file over the size limit, refused before being read', async () => {
      const big = path.join(dir, 'enorme.csv');
      const fd = fs.openSync(big, 'w');
      fs.ftruncateSync(fd, 100 * 1024 * 1024); // sparse: 100 MB of zero bytes
      fs.closeSync(fd);
      const t0 = Date.now();
      // Read, its zero bytes would be refused as "Encodage non pris en charge": the size check comes first.
      await refused({ layer: 'cpts', file: big }, /Fichier trop volumineux : 100 Mo \(limite 50 Mo\)/);
      expect(Date.now() - t0).toBeLessThan(5000);
    });

    it('a file in the wrong encoding (UTF-16)', async () => {
      const text = `code;nom;insee\r\nA;CPTS A;${lot[0]!.code}\r\n`;
      await refused(
        { layer: 'cpts', file: file('utf16.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])) },
        /Encodage non pris en charge \(UTF-16\)/,
      );
    });

    it('a shapefile in an unknown projection, and a GeoJSON declaring an unknown system', async () => {
      const geom = {
        type: 'Polygon' as const,
        coordinates: [
          [
            [0, 0],
            [1, 0],
            [1, 1],
            [0, 0],
          ],
        ],
      };
      await refused(
        {
          layer: 'secteur-psy-adulte',
          file: file('inconnu.zip', zippedShapefile([{ geometry: geom, properties: { code: 'X' } }], { prj: PRJ_UNKNOWN })),
        },
        /Projection inconnue : « Projection_Maison »/,
      );
      const fc = {
        type: 'FeatureCollection',
        crs: { type: 'name', properties: { name: 'EPSG:9999' } },
        features: [{ type: 'Feature', properties: {}, geometry: geom }],
      };
      await refused({ layer: 'secteur-psy-adulte', file: file('inconnu.geojson', JSON.stringify(fc)) }, /Projection inconnue : EPSG:9999/);
    });

    it('polygons that cover no commune, and a list whose codes are all unknown', async () => {
      const sea = {
        type: 'Polygon',
        coordinates: [
          [
            [-30, 40],
            [-29, 40],
            [-29, 41],
            [-30, 40],
          ],
        ],
      };
      await refused(
        {
          layer: 'secteur-psy-adulte',
          file: file(
            'ocean.geojson',
            JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { code: 'O' }, geometry: sea }] }),
          ),
        },
        /Aucun polygone ne recouvre de commune/,
      );
      const report = await refused(
        { layer: 'cpts', file: file('inconnus.csv', 'code;insee\nA;99999\nA;98999\n') },
        /Aucun périmètre n'a de commune reconnue/,
      );
      expect(report.unknown.map((u) => u.code)).toEqual(['98999', '99999']);
    });

    it('a layer name that gives no id, and an unknown région', async () => {
      await refused({ layer: 'other', name: '???', file: file('x.csv', `code;insee\nA;${lot[0]!.code}\n`) }, /Nom de couche inutilisable/);
      await refused(
        { layer: 'cpts', scope: { kind: 'region', code: '99' }, file: file('x.csv', `code;insee\nA;${lot[0]!.code}\n`) },
        /Région inconnue/,
      );
      // a unit mostly outside the scope refuses the import
      await refused(
        { layer: 'cpts', scope: PUY, file: file('x.csv', `code;insee\nA;${lot[0]!.code}\n`) },
        /moins de la moitié de ses communes dans la zone d'import : A \(A\)/,
      );
    });
  });

  describe('CSV lists', () => {
    const bomCsv = () =>
      '\uFEFFcode_cpts;nom_cpts;insee_com\n' +
      lot
        .slice(0, 3)
        .map((c) => `CPTS-46-A;CPTS du Causse — été;${c.code}`)
        .join('\n') +
      '\n' +
      lot
        .slice(3, 6)
        .map((c) => `CPTS-46-B;CPTS de la Vallée;${Number(c.code)}`)
        .join('\n') +
      '\n';

    it('a dry run reports everything and writes nothing', async () => {
      const before = await snapshot(db);
      const report = await run({ layer: 'cpts', file: file('cpts-bom.csv', bomCsv()), dryRun: true });
      expect(report.status).toBe('dry-run');
      expect(report).toMatchObject({ rowsRead: 6, perimeters: 2, communesMatched: 6, memberships: 6, errors: [] });
      expect(report.replaced!.perimeters).toBeGreaterThan(0);
      expect(report.replaced!.fictif).toBe(report.replaced!.perimeters);
      expect(formatPerimeterReport(report)).toMatch(/Essai à blanc[\s\S]*seraient remplacés : \d+ \(dont \d+ exemples fictifs\)/);
      // the diff: two units added, every example of the Lot removed, nothing elsewhere
      expect(report.scope).toEqual({ kind: 'departement', code: '46', label: 'Lot (46)' });
      expect(report.changes!.added.map((u) => u.code)).toEqual(['CPTS-46-A', 'CPTS-46-B']);
      expect(report.changes!.replaced).toEqual([]);
      expect(report.changes!.removed.length).toBe(report.replaced!.perimeters);
      expect(report.changes!.removed.every((u) => u.code.startsWith('FICTIF-CPTS-46-'))).toBe(true);
      expect(await snapshot(db)).toEqual(before);
    });

    it("';' UTF-8 with a byte-order mark replaces the fictitious CPTS", async () => {
      const report = await run({ layer: 'cpts', file: file('cpts-bom.csv', bomCsv()), vintage: '2024', licence: 'Licence Ouverte 2.0' });
      expect(report.status).toBe('imported');
      expect(report.source).toMatchObject({ encodage: 'UTF-8', séparateur: '« ; »', 'colonne commune': 'insee_com' });
      expect(report.perimeters).toBe(2);
      const rows = await db.query<{
        code: string;
        name: string;
        fictif: boolean;
        commune_count: number;
        population: number;
        has_geom: boolean;
      }>(
        `SELECT code, name, fictif, commune_count, population, geom IS NOT NULL AS has_geom FROM atlas.perimeter
         WHERE layer = 'cpts' AND code LIKE 'CPTS-46-%' ORDER BY code`,
      );
      expect(rows.map((r) => [r.code, r.name, r.fictif, r.commune_count, r.has_geom])).toEqual([
        ['CPTS-46-A', 'CPTS du Causse — été', false, 3, true],
        ['CPTS-46-B', 'CPTS de la Vallée', false, 3, true],
      ]);
      expect(rows[0]!.population).toBe(lot.slice(0, 3).reduce((n, c) => n + c.population, 0));
      // the layer (described by the reference import: PACA) keeps its description; each unit says where it comes from
      const [layer] = await db.query(`SELECT name, kind, source, fictif FROM atlas.layer WHERE id = 'cpts'`);
      expect(layer).toMatchObject({ name: 'CPTS', kind: 'sante', fictif: false });
      const [attrs] = await db.query<{ attrs: { import: Record<string, string> } }>(
        `SELECT attrs FROM atlas.perimeter WHERE layer = 'cpts' AND code = 'CPTS-46-A'`,
      );
      expect(attrs!.attrs.import).toMatchObject({ fichier: 'cpts-bom.csv', millesime: '2024', licence: 'Licence Ouverte 2.0' });
      expect((await members(db, 'cpts')).map((m) => m.commune)).toEqual(lot.map((c) => c.code));

      // real data stays: no example comes back in the Lot; the other example départements keep theirs
      const examples = await ensureExampleLayers(db);
      expect(examples.layers.find((l) => l.id === 'cpts')).toMatchObject({ status: 'generated', realDataIn: ['46'] });
      expect(
        await db.query(`SELECT count(*)::int AS n FROM atlas.perimeter WHERE layer = 'cpts' AND code LIKE 'FICTIF-CPTS-46-%'`),
      ).toEqual([{ n: 0 }]);
      expect(
        (
          await db.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM atlas.perimeter WHERE layer = 'cpts' AND code LIKE 'FICTIF-CPTS-63-%'`,
          )
        )[0]!.n,
      ).toBeGreaterThan(0);
    });

    it("',' Latin-1 with codes of 2021 re-keyed to the current COG, and communes outside the région", async () => {
      const csv =
        'code,nom,code_commune\n' +
        'S25-1,"Secteur Haut-Doubs, Montbenoît",25347\nS25-1,"Secteur Haut-Doubs, Montbenoît",25620\n' +
        'S25-1,"Secteur Haut-Doubs, Montbenoît",01001\n';
      const report = await run({
        layer: 'secteur-psy-adulte',
        file: file('secteurs-latin1.csv', Buffer.from(csv, 'latin1')),
        scope: { kind: 'region', code: '27' },
      });
      expect(report.status).toBe('imported');
      expect(report.source).toMatchObject({ encodage: 'Latin-1', séparateur: '« , »' });
      expect(report.rekeyed).toEqual([
        { from: '25347', to: '25390' },
        { from: '25620', to: '25390' },
      ]);
      expect(report.partial).toEqual([{ perimeter: 'S25-1', commune: '25390', share: 0.4, listed: ['25347', '25620'] }]);
      expect(report.outsideRegion.map((o) => o.commune)).toEqual(['01001']);
      expect(await members(db, 'secteur-psy-adulte')).toEqual([
        { code: 'S25-1', commune: '01001', share: 1 },
        { code: 'S25-1', commune: '25390', share: 0.4 },
      ]);
      const [p] = await db.query<{ name: string }>(
        `SELECT name FROM atlas.perimeter WHERE layer = 'secteur-psy-adulte' AND code = 'S25-1'`,
      );
      expect(p!.name).toBe('Secteur Haut-Doubs, Montbenoît');
      const text = formatPerimeterReport(report);
      expect(text).toMatch(/codes recodés \(COG actuel\) : 25347 → 25390, 25620 → 25390/);
      expect(text).toMatch(/communes partielles : 25390 dans S25-1 \(part 40 %, anciens codes 25347, 25620\)/);
      expect(text).toMatch(/communes hors de la région déclarée : 01001/);
    });

    it('stores a formula-like name as text and the CSV export neutralises it', async () => {
      const formula = '=HYPERLINK("http://exemple.invalid","clic")';
      const csv = `code;nom;insee\nFORMULE-1;"${formula.replace(/"/g, '""')}";${lot[0]!.code}\n`;
      const report = await run({ layer: 'cpts', file: file('formule.csv', csv) });
      expect(report.status).toBe('imported');
      expect(report.warnings.join('\n')).toMatch(/neutralisés dans les exports CSV/);
      const [p] = await db.query<{ name: string }>(`SELECT name FROM atlas.perimeter WHERE layer = 'cpts' AND code = 'FORMULE-1'`);
      expect(p!.name).toBe(formula);

      const app = createApp({ db, logger: pino({ level: 'silent' }) });
      const server = app.listen(0, '127.0.0.1');
      await new Promise((resolve) => server.once('listening', resolve));
      try {
        const { port } = server.address() as AddressInfo;
        const res = await fetch(`http://127.0.0.1:${port}/api/territories/cpts/FORMULE-1/communes?format=csv`);
        expect(res.status).toBe(200);
        const text = (await res.text()).replace(/^\uFEFF/, '');
        const [header, ...rows] = parseCsvRecords(text, ';');
        const col = header!.indexOf('perimetre');
        expect(rows).toHaveLength(1);
        expect(rows[0]![col]).toBe(`'${formula} (FORMULE-1)`);
        for (const cell of rows.flat()) expect(cell).not.toMatch(/^[=+@]/);
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    });
  });

  describe('polygons', () => {
    const unionGeojson = async (codes: string[], srid = 4326) => {
      const [row] = await db.query<{ g: string }>(
        `SELECT ST_AsGeoJSON(ST_Transform(ST_Union(geom), $2::int)) AS g FROM atlas.commune WHERE code = ANY($1::text[])`,
        [codes, srid],
      );
      return JSON.parse(row!.g);
    };

    it('GeoJSON in WGS84: memberships are the communes the polygons were made of', async () => {
      const a = puy.slice(0, 3).map((c) => c.code);
      const b = puy.slice(3, 5).map((c) => c.code);
      const fc = {
        type: 'FeatureCollection',
        features: [
          {
            type: 'Feature',
            properties: { code_secteur: '63I01', nom_secteur: 'Secteur infanto-juvénile 1' },
            geometry: await unionGeojson(a),
          },
          {
            type: 'Feature',
            properties: { code_secteur: '63I02', nom_secteur: 'Secteur infanto-juvénile 2' },
            geometry: await unionGeojson(b),
          },
        ],
      };
      const report = await run({ layer: 'secteur-psy-enfant', scope: PUY, file: file('secteurs.geojson', JSON.stringify(fc)) });
      expect(report.status).toBe('imported');
      expect(report).toMatchObject({ format: 'geojson', perimeters: 2, communesMatched: 5, invalidGeometries: [], partial: [] });
      expect(await members(db, 'secteur-psy-enfant')).toEqual([
        ...a.map((commune) => ({ code: '63I01', commune, share: 1 })),
        ...b.map((commune) => ({ code: '63I02', commune, share: 1 })),
      ]);
      const [p] = await db.query<{ population: number; name: string }>(
        `SELECT population, name FROM atlas.perimeter WHERE layer = 'secteur-psy-enfant' AND code = '63I01'`,
      );
      expect(p!.name).toBe('Secteur infanto-juvénile 1');
      expect(p!.population).toBeCloseTo(
        puy.slice(0, 3).reduce((n, c) => n + c.population, 0),
        6,
      );
    });

    it('GeoJSON declaring Lambert-93 is reprojected', async () => {
      const codes = lot.slice(0, 2).map((c) => c.code);
      const fc = {
        type: 'FeatureCollection',
        crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::2154' } },
        features: [{ type: 'Feature', properties: { id: 'L1', nom: 'Zone Lambert' }, geometry: await unionGeojson(codes, 2154) }],
      };
      const report = await run({ layer: 'other', name: 'Test zonage Lambert', file: file('lambert.geojson', JSON.stringify(fc)) });
      expect(report.status).toBe('imported');
      expect(report.source.projection).toBe('Lambert-93 (EPSG:2154)');
      expect(report.layer).toEqual({ id: 'autre-test-zonage-lambert', name: 'Test zonage Lambert' });
      expect(await members(db, 'autre-test-zonage-lambert')).toEqual(codes.map((commune) => ({ code: 'L1', commune, share: 1 })));
      const [layer] = await db.query(`SELECT name, kind, fictif FROM atlas.layer WHERE id = 'autre-test-zonage-lambert'`);
      expect(layer).toEqual({ name: 'Test zonage Lambert', kind: 'autre', fictif: false });
    });

    it('a zipped Lambert-93 shapefile with Latin-1 attributes', async () => {
      const a = puy.slice(0, 2).map((c) => c.code);
      const b = puy.slice(2, 5).map((c) => c.code);
      const zip = zippedShapefile(
        [
          { geometry: await unionGeojson(a, 2154), properties: { CODE: 'Z1', NOM: 'Zone du Sancy (été)' } },
          { geometry: await unionGeojson(b, 2154), properties: { CODE: 'Z2', NOM: 'Zone des Dômes' } },
        ],
        { prj: PRJ_LAMBERT93_ESRI, encoding: 'latin1' },
      );
      const report = await run({ layer: 'other', name: 'Test zonage shapefile', scope: PUY, file: file('zonage.zip', zip) });
      expect(report.status).toBe('imported');
      expect(report).toMatchObject({ format: 'shapefile', perimeters: 2, communesMatched: 5 });
      expect(report.source).toMatchObject({ projection: 'Lambert-93 (EPSG:2154)', 'encodage attributs': 'windows-1252' });
      expect(await members(db, 'autre-test-zonage-shapefile')).toEqual([
        ...a.map((commune) => ({ code: 'Z1', commune, share: 1 })),
        ...b.map((commune) => ({ code: 'Z2', commune, share: 1 })),
      ]);
      const names = await db.query<{ name: string }>(
        `SELECT name FROM atlas.perimeter WHERE layer = 'autre-test-zonage-shapefile' ORDER BY code`,
      );
      expect(names.map((n) => n.name)).toEqual(['Zone du Sancy (été)', 'Zone des Dômes']);
    });

    it('a self-intersecting polygon is made valid, with a warning naming it', async () => {
      const [box] = await db.query<{ x0: number; y0: number; x1: number; y1: number }>(
        `SELECT ST_XMin(geom) AS x0, ST_YMin(geom) AS y0, ST_XMax(geom) AS x1, ST_YMax(geom) AS y1 FROM atlas.commune WHERE code = '46042'`,
      );
      const { x0, y0, x1, y1 } = box!;
      const bowtie = {
        type: 'Polygon',
        coordinates: [
          [
            [x0, y0],
            [x1, y1],
            [x1, y0],
            [x0, y1],
            [x0, y0],
          ],
        ],
      };
      const fc = {
        type: 'FeatureCollection',
        features: [{ type: 'Feature', properties: { code: 'NOEUD', nom: 'Nœud papillon' }, geometry: bowtie }],
      };
      const path = file('noeud.geojson', JSON.stringify(fc));

      const before = await snapshot(db);
      const dry = await run({ layer: 'other', name: 'Test noeud', file: path, dryRun: true });
      expect(dry.status).toBe('dry-run');
      expect(dry.invalidGeometries).toEqual([{ perimeter: 'NOEUD', feature: 1, reason: expect.stringMatching(/Self-intersection/i) }]);
      expect(formatPerimeterReport(dry)).toMatch(/géométries invalides corrigées \(ST_MakeValid\) : NOEUD \(objet 1 : Self-intersection/);
      expect(await snapshot(db)).toEqual(before);

      const real = await run({ layer: 'other', name: 'Test noeud', file: path });
      expect(real.status).toBe('imported');
      expect(real.invalidGeometries).toHaveLength(1);
      const [stored] = await db.query<{ valid: boolean; parts: number }>(
        `SELECT ST_IsValid(geom) AS valid, ST_NumGeometries(geom) AS parts FROM atlas.perimeter WHERE layer = 'autre-test-noeud'`,
      );
      expect(stored).toEqual({ valid: true, parts: 2 });
      expect((await members(db, 'autre-test-noeud')).map((m) => m.commune)).toContain('46042');
    });
  });

  it('rolls back everything when writing fails half-way', async () => {
    const before = await snapshot(db);
    const meta = { id: 'cpts', name: 'CPTS', kind: 'sante', sort: 20, vintage: 'x', source: 'x', licence: 'x', fictif: false };
    const perimeter = { code: 'DOUBLE', name: 'Doublon', attrs: {} };
    await expect(
      db.transaction((tx) =>
        replaceScope(tx, meta, { kind: 'list', perimeters: [perimeter, perimeter], memberships: [], features: [] }, LOT),
      ),
    ).rejects.toThrow();
    expect(await snapshot(db)).toEqual(before);
  });

  it('the command line prints the report and exits non-zero when nothing is imported', async () => {
    const csv = file('cli.csv', `code;nom;insee\nCLI-1;CPTS ligne de commande;${lot[0]!.code}\n`);
    const env = { ...process.env, DATABASE_URL: backend.databaseUrl ?? '', DATA_DIR: backend.dataDir };
    const cli = (args: string[]) =>
      promisify(execFile)(process.execPath, ['--import', 'tsx', 'geodata/cli.ts', ...args], { env, cwd: process.cwd() }).then(
        (r) => ({ code: 0, out: r.stdout }),
        (e: { code: number; stdout: string }) => ({ code: e.code, out: e.stdout }),
      );
    // The embedded database is one process's files: let the command line have them.
    if (backend.name === 'pglite') await db.close();
    try {
      const before = backend.name === 'pglite' ? null : await snapshot(db);
      const ok = await cli(['perimeters', '--layer', 'cpts', '--file', csv, '--scope', 'departement:46', '--dry-run']);
      expect(ok.out).toMatch(/Essai à blanc \(rien n'a été écrit\) — cli\.csv → couche « CPTS » \(cpts\)/);
      expect(ok.code).toBe(0);
      const bad = await cli(['perimeters', '--layer', 'cpts', '--file', file('vide2.csv', ''), '--scope', 'departement:46']);
      expect(bad.out).toMatch(/Import refusé : rien n'a été modifié[\s\S]*ERREUR : Le fichier est vide/);
      expect(bad.code).toBe(1);
      if (before) expect(await snapshot(db)).toEqual(before);
    } finally {
      if (backend.name === 'pglite') db = await openBackend(backend);
    }
  }, 240_000); // the embedded database is slow to open on a loaded machine
});

describe.each(backends())('example layers on $name', (backend: Backend) => {
  let db: Db;
  let existed: Set<string>;

  beforeAll(async () => {
    db = await openBackend(backend);
    existed = await existingLayers(db);
    await restore(db, new Set(EXAMPLE_LAYERS));
  });

  afterAll(async () => {
    if (db) {
      await restore(db, existed);
      await db.close();
    }
  });

  const dump = () =>
    db.query<{ layer: string; code: string; name: string; fictif: boolean; population: number; communes: string }>(
      `SELECT p.layer, p.code, p.name, p.fictif, p.population, string_agg(m.commune || '=' || m.share, ',' ORDER BY m.commune) AS communes
       FROM atlas.perimeter p JOIN atlas.membership m ON m.layer = p.layer AND m.code = p.code
       WHERE p.layer = ANY($1::text[]) AND p.code LIKE 'FICTIF-%' GROUP BY p.layer, p.code, p.name, p.fictif, p.population ORDER BY p.layer, p.code`,
      [EXAMPLE_LAYERS],
    );

  it('regenerates the same rows every time, flagged fictif', async () => {
    const first = await dump();
    const report = await ensureExampleLayers(db);
    expect(report.layers.map((l) => [l.id, l.status])).toEqual(EXAMPLE_LAYERS.map((id) => [id, 'generated']));
    expect(await dump()).toEqual(first);
    expect(first.every((p) => p.fictif)).toBe(true);
    const layers = await db.query<{ id: string; fictif: boolean }>(
      `SELECT id, fictif FROM atlas.layer WHERE id = ANY($1::text[]) ORDER BY id`,
      [EXAMPLE_LAYERS],
    );
    // the CPTS layer holds the real CPTS of PACA besides the examples: it is not fictitious as a whole
    expect(layers).toEqual(EXAMPLE_LAYERS.map((id) => ({ id, fictif: id !== 'cpts' })).sort((a, b) => (a.id < b.id ? -1 : 1)));
    for (const p of first) expect(p.code).toMatch(/^FICTIF-(CPTS|PSYA|PSYE)-(46|63|59)-\d{2}$/);
    expect(first.find((p) => p.code === 'FICTIF-CPTS-46-01')!.name).toBe('CPTS exemple fictif — Cahors');
    expect(
      first.filter((p) => p.layer === 'secteur-psy-adulte').every((p) => /^Secteur de psychiatrie adulte exemple fictif — /.test(p.name)),
    ).toBe(true);
  });

  it('assigns every commune of 46, 63 and 59 to exactly one perimeter of each layer', async () => {
    const [{ n } = { n: 0 }] = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM atlas.commune WHERE departement = ANY($1::text[])`,
      [EXAMPLE_DEPARTEMENTS],
    );
    expect(n).toBeGreaterThan(1400);
    for (const layer of EXAMPLE_LAYERS) {
      const rows = await db.query<{ assigned: number; distinct_communes: number; outside: number; partial: number }>(
        `SELECT count(*)::int AS assigned, count(DISTINCT m.commune)::int AS distinct_communes,
           count(*) FILTER (WHERE c.departement <> ALL($2::text[]) OR c.departement <> split_part(m.code, '-', 3))::int AS outside,
           count(*) FILTER (WHERE m.share <> 1)::int AS partial
         FROM atlas.membership m JOIN atlas.commune c ON c.code = m.commune WHERE m.layer = $1 AND m.code LIKE 'FICTIF-%'`,
        [layer, EXAMPLE_DEPARTEMENTS],
      );
      expect(rows[0], layer).toEqual({ assigned: n, distinct_communes: n, outside: 0, partial: 0 });
    }
  });

  it('sizes perimeters like real ones (a city above the maximum stands alone; merged leftovers up to 20 % over)', async () => {
    const rows = await db.query<{ layer: string; code: string; population: number; n: number }>(
      `SELECT layer, code, population, commune_count AS n FROM atlas.perimeter WHERE layer = ANY($1::text[]) AND code LIKE 'FICTIF-%'`,
      [EXAMPLE_LAYERS],
    );
    for (const p of rows) {
      const sizes = EXAMPLE_SIZES[p.layer as keyof typeof EXAMPLE_SIZES];
      if (p.n === 1 && p.population > sizes.max) continue; // Lille, Clermont-Ferrand…
      expect(p.population, `${p.code}`).toBeGreaterThanOrEqual(sizes.min);
      expect(p.population, `${p.code}`).toBeLessThanOrEqual(sizes.max * 1.2);
    }
    const count = (layer: string) => rows.filter((r) => r.layer === layer).length;
    expect(count('cpts')).toBeGreaterThan(count('secteur-psy-adulte'));
    expect(count('secteur-psy-adulte')).toBeGreaterThan(count('secteur-psy-enfant'));
    // about 70,000 inhabitants per adult sector
    const adult = rows
      .filter((r) => r.layer === 'secteur-psy-adulte' && r.n > 1)
      .map((r) => r.population)
      .sort((a, b) => a - b);
    expect(adult[Math.floor(adult.length / 2)]).toBeGreaterThan(60_000);
    expect(adult[Math.floor(adult.length / 2)]).toBeLessThan(85_000);
  });

  it('draws contiguous groups (only an enclave of the département may join the nearest group)', async () => {
    const adjacency = await loadAdjacency(db, EXAMPLE_DEPARTEMENTS);
    const communes = await db.query<{ code: string }>(`SELECT code FROM atlas.commune WHERE departement = ANY($1::text[])`, [
      EXAMPLE_DEPARTEMENTS,
    ]);
    const components = (codes: string[]) => {
      const set = new Set(codes);
      const seen = new Set<string>();
      const out: string[][] = [];
      for (const start of codes) {
        if (seen.has(start)) continue;
        const part = [start];
        seen.add(start);
        for (let i = 0; i < part.length; i++)
          for (const n of adjacency.get(part[i]!) ?? [])
            if (set.has(n) && !seen.has(n)) {
              seen.add(n);
              part.push(n);
            }
        out.push(part.sort());
      }
      return out;
    };
    const departementParts = new Set(components(communes.map((c) => c.code)).map((p) => p.join(',')));
    const rows = await db.query<{ layer: string; code: string; communes: string[] }>(
      `SELECT layer, code, array_agg(commune ORDER BY commune) AS communes FROM atlas.membership
       WHERE layer = ANY($1::text[]) AND code LIKE 'FICTIF-%' GROUP BY layer, code`,
      [EXAMPLE_LAYERS],
    );
    let enclaves = 0;
    for (const p of rows) {
      const parts = components(p.communes).sort((a, b) => b.length - a.length);
      for (const extra of parts.slice(1)) {
        expect(departementParts.has(extra.join(',')), `${p.code}: ${extra.join(',')}`).toBe(true);
        enclaves++;
      }
    }
    // Nord's enclave (Boursies, Doignies, Mœuvres) in each of the three layers
    expect(enclaves).toBe(3);
  });

  it('builds each child sector from whole adult sectors', async () => {
    const rows = await db.query<{ adult: string; children: number }>(
      `SELECT a.code AS adult, count(DISTINCT e.code)::int AS children
       FROM atlas.membership a JOIN atlas.membership e ON e.commune = a.commune AND e.layer = 'secteur-psy-enfant'
       WHERE a.layer = 'secteur-psy-adulte' GROUP BY a.code`,
    );
    expect(rows.length).toBeGreaterThan(30);
    expect(rows.filter((r) => r.children !== 1)).toEqual([]);
  });

  it('draws no example in a département holding real data', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mf-examples-'));
    try {
      const csv = path.join(dir, 'reel.csv');
      fs.writeFileSync(csv, 'code;nom;insee\nREEL-1;Secteur réel;46042\n');
      expect(
        (await importPerimeters(db, { layer: 'secteur-psy-enfant', file: csv, scope: { kind: 'departement', code: '46' } })).status,
      ).toBe('imported');
      const report = await ensureExampleLayers(db);
      expect(report.layers.map((l) => [l.id, l.status, l.realDataIn])).toEqual([
        ['cpts', 'generated', []],
        ['secteur-psy-adulte', 'generated', []],
        ['secteur-psy-enfant', 'generated', ['46']],
      ]);
      const lot = await db.query(
        `SELECT DISTINCT p.code, p.fictif FROM atlas.perimeter p JOIN atlas.membership m ON m.layer = p.layer AND m.code = p.code
         JOIN atlas.commune c ON c.code = m.commune WHERE p.layer = 'secteur-psy-enfant' AND c.departement = '46'`,
      );
      expect(lot).toEqual([{ code: 'REEL-1', fictif: false }]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 240_000); // the embedded database is slow to open on a loaded machine
});
