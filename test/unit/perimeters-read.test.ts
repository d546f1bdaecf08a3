// Reading perimeter files: header detection of CSV lists, CSV encodings and refusals,
// GeoJSON coordinate systems and geometry checks, layer ids and perimeter codes.
import { describe, expect, it } from 'vitest';
import type { Polygon } from 'geojson';
import { detectFormat } from '../../core/perimeters/read-file.ts';
import { PerimeterImportError } from '../../core/perimeters/errors.ts';
import { codeFromName, detectListColumns, normalisePerimeterCode } from '../../core/perimeters/fields.ts';
import { otherLayerId, resolvePerimeterLayer } from '../../core/perimeters/layers.ts';
import { crsFromGeojson, crsFromPrj } from '../../core/perimeters/projection.ts';
import { readGeojson } from '../../core/perimeters/read-geojson.ts';
import { readList } from '../../core/perimeters/read-list.ts';
import { PRJ_LAMBERT93_ESRI, PRJ_UNKNOWN, PRJ_WGS84 } from '../support/perimeters-shapefile.ts';

const utf8 = (s: string) => new TextEncoder().encode(s);
const latin1 = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));
const rejects = (f: () => unknown, message: RegExp) => {
  expect(f).toThrow(PerimeterImportError);
  expect(f).toThrow(message);
};

describe('detectListColumns', () => {
  const cols = (header: string[], sample: Record<string, string>[] = []) => detectListColumns(header, sample);

  it('finds the usual spellings whatever their case, accents and spaces', () => {
    expect(cols(['code', 'nom', 'insee'])).toEqual({ code: 'code', name: 'nom', commune: 'insee' });
    expect(cols(['code_perimetre', 'nom_perimetre', 'insee_com'])).toEqual({
      code: 'code_perimetre',
      name: 'nom_perimetre',
      commune: 'insee_com',
    });
    expect(cols(['Code CPTS', 'Nom de la CPTS', 'Libellé', 'CODGEO'])).toEqual({ code: 'Code CPTS', name: 'Libellé', commune: 'CODGEO' });
    expect(cols(['code_commune', 'nom_commune', 'code', 'nom'])).toEqual({ code: 'code', name: 'nom', commune: 'code_commune' });
    expect(cols(['Numéro secteur', 'Intitulé', 'Code INSEE'])).toEqual({ code: 'Numéro secteur', name: 'Intitulé', commune: 'Code INSEE' });
  });

  it('accepts a list with names only', () => {
    expect(cols(['nom_cpts', 'depcom'])).toEqual({ code: null, name: 'nom_cpts', commune: 'depcom' });
  });

  it('recognises an unnamed commune column from its values', () => {
    const sample = [
      { code: 'A', colonne3: '46042' },
      { code: 'A', colonne3: '1001' },
      { code: 'B', colonne3: '2A004' },
    ];
    expect(cols(['code', 'colonne3'], sample)).toEqual({ code: 'code', name: null, commune: 'colonne3' });
  });

  it('does not take a column of populations for communes when it can check the codes', () => {
    const sample = [
      { code_qp: 'QP1', pop_mun: '1234' },
      { code_qp: 'QP2', pop_mun: '46042' },
    ];
    expect(cols(['code_qp', 'pop_mun'], sample).commune).toBe('pop_mun');
    const known = (v: string) => v === '46042';
    rejects(() => detectListColumns(['code_qp', 'pop_mun'], sample, {}, known), /Colonne des communes introuvable/);
  });

  it('says which columns it found when it cannot choose', () => {
    rejects(() => cols(['a', 'b'], [{ a: 'x', b: 'y' }]), /Colonne des communes introuvable\. Colonnes du fichier : a, b/);
    rejects(() => cols(['insee', 'population']), /Colonne du code ou du nom du périmètre introuvable/);
    rejects(() => detectListColumns(['insee', 'nom'], [], { code: 'absente' }), /Colonne « absente » \(code du périmètre\) absente/);
  });
});

describe('perimeter codes and layer ids', () => {
  it('keeps codes the API accepts and rewrites the others', () => {
    expect(normalisePerimeterCode('CPTS-46.01_a')).toBe('CPTS-46.01_a');
    expect(normalisePerimeterCode(' Secteur 3 (Nord) ')).toBe('Secteur-3-Nord');
    expect(normalisePerimeterCode('Épône/2')).toBe('Epone-2');
    expect(normalisePerimeterCode('=HYPERLINK("x")')).toBe('HYPERLINK-x');
    expect(normalisePerimeterCode(' -- ')).toBeNull();
    expect(codeFromName('CPTS du Grand Cahors')).toBe('CPTS-DU-GRAND-CAHORS');
  });

  it('derives the id of an "other" layer from its name', () => {
    expect(otherLayerId('Mon zonage')).toBe('autre-mon-zonage');
    expect(otherLayerId("Zonage de l'ARS n°2 (2024)")).toBe('autre-zonage-de-l-ars-n-2-2024');
    expect(otherLayerId('x'.repeat(80))).toMatch(/^autre-x{33}$/);
    rejects(() => otherLayerId('…'), /Nom de couche inutilisable/);
  });

  it('resolves the four layer choices', () => {
    expect(resolvePerimeterLayer('cpts').layer).toMatchObject({ id: 'cpts', name: 'CPTS', kind: 'sante' });
    expect(resolvePerimeterLayer('secteur-psy-adulte').layer.name).toBe('Secteurs de psychiatrie générale (adultes)');
    expect(resolvePerimeterLayer('secteur-psy-enfant').layer.name).toBe('Secteurs de psychiatrie infanto-juvénile');
    expect(resolvePerimeterLayer('other', 'Mon zonage').layer).toMatchObject({ id: 'autre-mon-zonage', name: 'Mon zonage', kind: 'autre' });
    expect(resolvePerimeterLayer('cpts', 'Autre nom').warnings[0]).toMatch(/--name ignoré/);
    rejects(() => resolvePerimeterLayer('other'), /demande un nom/);
    rejects(() => resolvePerimeterLayer('epci'), /Couche inconnue : « epci »/);
  });
});

describe('readList', () => {
  it('reads a UTF-8 file with a byte-order mark and ";"', () => {
    const input = readList(utf8('\uFEFFcode_cpts;nom_cpts;insee\nC1;CPTS de Mûr;46042\nC1;CPTS de Mûr;46102\n;;\nC2;;\n'));
    expect(input.encoding).toBe('utf-8');
    expect(input.separator).toBe(';');
    expect(input.columns).toEqual({ code: 'code_cpts', name: 'nom_cpts', commune: 'insee' });
    expect(input.rows).toEqual([
      { line: 2, code: 'C1', name: 'CPTS de Mûr', commune: '46042' },
      { line: 3, code: 'C1', name: 'CPTS de Mûr', commune: '46102' },
    ]);
    expect(input.rowsRead).toBe(4);
    expect(input.ignored).toEqual([
      { line: 4, reason: 'ligne vide' },
      { line: 5, reason: 'code commune vide' },
    ]);
  });

  it('reads a Latin-1 file with ","', () => {
    const input = readList(latin1('code,nom,code_commune\nS1,"Secteur Pontarlier, Montbenoît",25347\n'));
    expect(input.encoding).toBe('latin1');
    expect(input.separator).toBe(',');
    expect(input.rows[0]).toMatchObject({ name: 'Secteur Pontarlier, Montbenoît', commune: '25347' });
  });

  it('refuses what is not a CSV list, in French', () => {
    rejects(() => readList(new Uint8Array()), /Le fichier est vide/);
    rejects(() => readList(utf8('code;nom;insee\n')), /aucune ligne de données/);
    rejects(() => readList(new Uint8Array([0x50, 0x4b, 3, 4, 0, 0])), /classeur Excel/);
    const utf16 = new Uint8Array([0xff, 0xfe, ...Buffer.from('code;insee\r\nA;46042\r\n', 'utf16le')]);
    rejects(() => readList(utf16), /Encodage non pris en charge \(UTF-16\)/);
    rejects(() => readList(utf8('code;insee\nA;"46042\n')), /CSV illisible : ligne 2 : guillemet ouvert jamais refermé/);
    rejects(() => readList(utf8('un seul champ\nA\n')), /au moins deux colonnes/);
  });

  it('warns about text converted twice to UTF-8', () => {
    expect(readList(utf8('code;nom;insee\nA;CPTS du BÃ©arn;64445\n')).warnings.join()).toMatch(/converti deux fois/);
  });
});

describe('coordinate systems', () => {
  it('reads the "crs" member of a GeoJSON', () => {
    expect(crsFromGeojson(undefined).def).toBeNull();
    expect(crsFromGeojson({ type: 'name', properties: { name: 'urn:ogc:def:crs:OGC:1.3:CRS84' } }).def).toBeNull();
    expect(crsFromGeojson({ type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::2154' } }).label).toBe('Lambert-93 (EPSG:2154)');
    expect(crsFromGeojson({ type: 'name', properties: { name: 'EPSG:3947' } }).label).toBe('RGF93 / CC47 (EPSG:3947)');
    rejects(() => crsFromGeojson({ type: 'name', properties: { name: 'EPSG:9999' } }), /Projection inconnue : EPSG:9999/);
    rejects(() => crsFromGeojson({ type: 'name', properties: { name: 'mon système' } }), /Projection inconnue : « mon système »/);
  });

  it('reads the WKT of a .prj', () => {
    expect(crsFromPrj(PRJ_LAMBERT93_ESRI).label).toBe('Lambert-93 (EPSG:2154)');
    expect(crsFromPrj(PRJ_WGS84).def).toBeNull();
    rejects(() => crsFromPrj(PRJ_UNKNOWN), /Projection inconnue : « Projection_Maison »/);
    rejects(() => crsFromPrj(''), /\.prj est vide/);
  });
});

describe('readGeojson', () => {
  const fc = (features: unknown[], crs?: unknown) => utf8(JSON.stringify({ type: 'FeatureCollection', ...(crs ? { crs } : {}), features }));
  const poly = (coords: number[][][]) => ({ type: 'Polygon', coordinates: coords });

  it('reprojects a Lambert-93 file and closes open rings', () => {
    const input = readGeojson(
      fc(
        [
          {
            type: 'Feature',
            properties: { code_qp: 'QN04601M', lib_qp: 'Quartier' },
            geometry: poly([
              [
                [700000, 6600000],
                [701000, 6600000],
                [701000, 6601000],
              ],
            ]),
          },
        ],
        { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::2154' } },
      ),
    );
    expect(input.projection).toBe('Lambert-93 (EPSG:2154)');
    expect(input.fields).toEqual({ code: 'code_qp', name: 'lib_qp' });
    const ring = (input.features[0]!.geometry as Polygon).coordinates[0]!;
    expect(ring).toHaveLength(4);
    expect(ring[0]![0]).toBeCloseTo(3, 9);
    expect(ring[0]![1]).toBeCloseTo(46.5, 9);
    expect(ring[3]).toEqual(ring[0]);
    expect(input.warnings.join()).toMatch(/1 anneaux non fermés ont été refermés/);
  });

  it('ignores features without a surface and says why', () => {
    const input = readGeojson(
      fc([
        { type: 'Feature', properties: { nom: 'Point' }, geometry: { type: 'Point', coordinates: [1, 45] } },
        { type: 'Feature', properties: { nom: 'Sans géométrie' }, geometry: null },
        {
          type: 'Feature',
          properties: { nom: 'Secteur Est' },
          geometry: poly([
            [
              [1, 45],
              [2, 45],
              [2, 46],
              [1, 45],
            ],
          ]),
        },
      ]),
    );
    expect(input.ignored).toEqual([
      { line: 1, reason: 'géométrie non surfacique (Point)' },
      { line: 2, reason: 'géométrie absente' },
    ]);
    expect(input.features.map((f) => [f.code, f.name])).toEqual([['SECTEUR-EST', 'Secteur Est']]);
  });

  it('refuses empty, unreadable and unusable files', () => {
    rejects(() => readGeojson(new Uint8Array()), /vide/);
    rejects(() => readGeojson(utf8('{"type": "FeatureCollection", "features": [')), /JSON illisible/);
    rejects(() => readGeojson(utf8('{"type": "Polygon", "coordinates": []}')), /FeatureCollection \(ou une Feature\) est attendue/);
    rejects(() => readGeojson(fc([])), /aucun objet/);
    rejects(
      () =>
        readGeojson(
          fc([
            {
              type: 'Feature',
              properties: {},
              geometry: {
                type: 'LineString',
                coordinates: [
                  [1, 2],
                  [3, 4],
                ],
              },
            },
          ]),
        ),
      /Aucun polygone utilisable/,
    );
    rejects(() => readGeojson(new Uint8Array([0xff, 0xfe, 0x7b, 0])), /UTF-8/);
  });
});

describe('detectFormat', () => {
  it('goes by extension, then by content', () => {
    expect(detectFormat('a.CSV', utf8('x'))).toBe('csv');
    expect(detectFormat('a.geojson', utf8('x'))).toBe('geojson');
    expect(detectFormat('qpv.json.gz', utf8('x'))).toBe('geojson');
    expect(detectFormat('a.zip', utf8('x'))).toBe('shapefile');
    expect(detectFormat('a.dat', utf8('\uFEFF {"type"'))).toBe('geojson');
    expect(detectFormat('a.dat', new Uint8Array([0x50, 0x4b, 3, 4]))).toBe('shapefile');
    expect(detectFormat('a.dat', utf8('code;insee'))).toBe('csv');
    rejects(() => detectFormat('secteurs.shp', utf8('')), /s'importe zippé/);
    rejects(() => detectFormat('liste.xlsx', utf8('')), /format CSV/);
  });
});
