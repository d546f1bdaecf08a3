// The zipped shapefile reader, on shapefiles written by the test itself: projection from
// the .prj (Lambert-93 reprojected to WGS84, WGS84 kept), holes and multi-part
// polygons, attribute encodings, and a French refusal for each file it cannot read.
import { describe, expect, it } from 'vitest';
import type { MultiPolygon, Polygon, Position } from 'geojson';
import { PerimeterImportError } from '../../core/perimeters/errors.ts';
import { dbfEncoding, readShapefileZip } from '../../core/perimeters/read-shapefile.ts';
import { listZip } from '../../core/perimeters/zip.ts';
import {
  PRJ_LAMBERT93_ESRI,
  PRJ_LAMBERT93_OGC,
  PRJ_UNKNOWN,
  PRJ_WGS84,
  writeDbf,
  writeZip,
  zippedShapefile,
  type ShpFeature,
} from '../support/perimeters-shapefile.ts';

const square = (x: number, y: number, size: number): Position[] => [
  [x, y],
  [x + size, y],
  [x + size, y + size],
  [x, y + size],
  [x, y],
];

// Lambert-93 points whose WGS84 position is known: the projection's origin (3°E, 46.5°N)
// and a point in Paris (EPSG reference values, checked against PostGIS ST_Transform).
const ORIGIN_L93: Position = [700000, 6600000];
const PARIS_L93: Position = [652000, 6862000];
const PARIS_WGS84: Position = [2.3458119587, 48.856248141];

function l93Feature(code: string, nom: string, at: Position, size = 1000): ShpFeature {
  return { geometry: { type: 'Polygon', coordinates: [square(at[0]!, at[1]!, size)] }, properties: { code, nom } };
}

const rejects = (f: () => unknown, message: RegExp) => {
  expect(f).toThrow(PerimeterImportError);
  expect(f).toThrow(message);
};

describe('readShapefileZip', () => {
  it('reprojects a Lambert-93 layer (ESRI .prj) to WGS84', () => {
    const zip = zippedShapefile([l93Feature('S1', 'Origine', ORIGIN_L93), l93Feature('S2', 'Paris', PARIS_L93)], {
      prj: PRJ_LAMBERT93_ESRI,
    });
    const input = readShapefileZip(zip);
    expect(input.projection).toBe('Lambert-93 (EPSG:2154)');
    expect(input.features.map((f) => [f.code, f.name])).toEqual([
      ['S1', 'Origine'],
      ['S2', 'Paris'],
    ]);
    const ring0 = (input.features[0]!.geometry as Polygon).coordinates[0]!;
    const origin = ring0.find((p) => Math.abs(p[0]! - 3) < 1e-9 && Math.abs(p[1]! - 46.5) < 1e-9);
    expect(origin).toBeDefined();
    const ring1 = (input.features[1]!.geometry as Polygon).coordinates[0]!;
    const paris = ring1.find((p) => Math.abs(p[0]! - PARIS_WGS84[0]!) < 1e-8 && Math.abs(p[1]! - PARIS_WGS84[1]!) < 1e-8);
    expect(paris).toBeDefined();
    // a 1 km square near Paris: about 0.0137° of longitude by 0.009° of latitude
    const xs = ring1.map((p) => p[0]!);
    expect(Math.max(...xs) - Math.min(...xs)).toBeCloseTo(0.0137, 3);
  });

  it('recognises Lambert-93 from an OGC .prj with its EPSG authority', () => {
    const input = readShapefileZip(zippedShapefile([l93Feature('S1', 'Origine', ORIGIN_L93)], { prj: PRJ_LAMBERT93_OGC }));
    expect(input.projection).toBe('Lambert-93 (EPSG:2154)');
  });

  it('keeps WGS84 coordinates as they are, holes and parts included', () => {
    const withHole: Polygon = { type: 'Polygon', coordinates: [square(1, 45, 1), [...square(1.25, 45.25, 0.5)].reverse()] };
    const twoParts: MultiPolygon = { type: 'MultiPolygon', coordinates: [[square(3, 45, 0.5)], [square(4, 45, 0.5)]] };
    const zip = zippedShapefile(
      [
        { geometry: withHole, properties: { code_secteur: 'A', nom_secteur: 'Troué' } },
        { geometry: twoParts, properties: { code_secteur: 'B', nom_secteur: 'Deux parties' } },
      ],
      { prj: PRJ_WGS84, store: true },
    );
    const input = readShapefileZip(zip);
    expect(input.projection).toBe('WGS84 (EPSG:4326)');
    // dBase truncates field names to 10 characters
    expect(input.fields).toEqual({ code: 'code_secte', name: 'nom_secteu' });
    const a = input.features[0]!.geometry as Polygon;
    expect(a.type).toBe('Polygon');
    expect(a.coordinates).toHaveLength(2);
    expect(a.coordinates[0]!.map((p) => p.join(' '))).toContain('1 45');
    const b = input.features[1]!.geometry as MultiPolygon;
    expect(b.type).toBe('MultiPolygon');
    expect(b.coordinates.map((poly) => Math.min(...poly[0]!.map((p) => p[0]!)))).toEqual([3, 4]);
  });

  it('decodes Latin-1 attributes without a .cpg, and UTF-8 ones as the .cpg says', () => {
    const feature = (nom: string): ShpFeature => ({
      geometry: { type: 'Polygon', coordinates: [square(2, 46, 0.1)] },
      properties: { code: 'É1', nom },
    });
    const latin = readShapefileZip(zippedShapefile([feature('Secteur de Montélimar – Drôme'.replace('–', '-'))], { encoding: 'latin1' }));
    expect(latin.encoding).toBe('windows-1252');
    expect(latin.features[0]!.name).toBe('Secteur de Montélimar - Drôme');
    expect(latin.features[0]!.code).toBe('E1');
    const utf8 = readShapefileZip(zippedShapefile([feature('Secteur de Montélimar – Drôme')], { encoding: 'utf-8', cpg: 'UTF-8' }));
    expect(utf8.encoding).toBe('utf-8');
    expect(utf8.features[0]!.name).toBe('Secteur de Montélimar – Drôme');
  });

  it('refuses an unknown projection, a missing .prj, points, several layers, and what is not a zip', () => {
    const f = [l93Feature('S1', 'x', ORIGIN_L93)];
    rejects(() => readShapefileZip(zippedShapefile(f, { prj: PRJ_UNKNOWN })), /Projection inconnue : « Projection_Maison »/);
    rejects(() => readShapefileZip(zippedShapefile(f, { prj: 'n importe quoi' })), /Projection inconnue/);
    rejects(() => readShapefileZip(zippedShapefile(f, { prj: null })), /\.prj absent/);
    rejects(
      () => readShapefileZip(zippedShapefile(f, { prj: PRJ_LAMBERT93_ESRI, shapeType: 3 })),
      /contient des lignes, pas des polygones/,
    );
    const two = writeZip([
      { name: 'a.shp', data: Buffer.alloc(100) },
      { name: 'b.shp', data: Buffer.alloc(100) },
    ]);
    rejects(() => readShapefileZip(two), /plusieurs couches \(a\.shp, b\.shp\)/);
    rejects(() => readShapefileZip(writeZip([{ name: 'lisez-moi.txt', data: 'x' }])), /Aucun fichier \.shp/);
    rejects(() => readShapefileZip(Buffer.from('code;nom\n')), /pas une archive ZIP/);
    rejects(() => readShapefileZip(Buffer.alloc(0)), /vide/);
  });

  it('refuses Lambert-93 coordinates declared as WGS84, with a hint', () => {
    const zip = zippedShapefile([l93Feature('S1', 'x', PARIS_L93)], { prj: PRJ_WGS84 });
    rejects(() => readShapefileZip(zip), /hors des bornes.*ressemblent à du Lambert-93/);
  });
});

describe('dbfEncoding', () => {
  const dbf = (text: string, encoding: 'utf-8' | 'latin1', ldid = 0) => writeDbf([{ nom: text }], encoding, ldid);
  it('follows the .cpg, then the language driver byte, then tries UTF-8', () => {
    expect(dbfEncoding(dbf('é', 'utf-8'), '1252').label).toBe('windows-1252');
    expect(dbfEncoding(dbf('é', 'utf-8'), 'ANSI 1252').label).toBe('windows-1252');
    expect(dbfEncoding(dbf('é', 'utf-8'), ' utf-8 ').label).toBe('utf-8');
    expect(dbfEncoding(dbf('é', 'utf-8'), 'n-importe-quoi').warning).toMatch(/Encodage du \.cpg inconnu/);
    expect(dbfEncoding(dbf('é', 'utf-8', 0x57), undefined).label).toBe('windows-1252');
    expect(dbfEncoding(dbf('é', 'utf-8'), undefined).label).toBe('utf-8');
    expect(dbfEncoding(dbf('é', 'latin1'), undefined).label).toBe('windows-1252');
  });
});

describe('listZip', () => {
  it('reads stored and deflated entries and skips folders', () => {
    const text = 'abc'.repeat(1000);
    for (const store of [true, false]) {
      const entries = listZip(writeZip([{ name: 'd/f.txt', data: text }], store));
      expect(entries.map((e) => e.name)).toEqual(['d/f.txt']);
      expect(Buffer.from(entries[0]!.read()).toString('utf8')).toBe(text);
    }
  });

  it('refuses a truncated archive', () => {
    const zip = writeZip([{ name: 'f.txt', data: 'x'.repeat(100) }]);
    expect(() => listZip(zip.subarray(0, zip.length - 30))).toThrow(/Archive ZIP illisible/);
  });
});
