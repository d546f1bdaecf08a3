// The bounds of the upload parsers (core/limits.ts), each refused with a
// French message naming the limit, and the pieces of the server's error handling that
// need no database: the mapping of library errors to French 4xx, the JSON string check,
// the ration of log lines.
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CsvError, parseCsv } from '../../core/csv/read.ts';
import { MAX_FEATURES, MAX_JSON_DEPTH, MAX_VERTICES, MAX_ZIP_ENTRIES } from '../../core/limits.ts';
import { describeImportFailure, PerimeterImportError } from '../../core/perimeters/errors.ts';
import { readGeojson, scanJson } from '../../core/perimeters/read-geojson.ts';
import { readList } from '../../core/perimeters/read-list.ts';
import { checkDbf, readShapefileZip, scanShp } from '../../core/perimeters/read-shapefile.ts';
import { listZip } from '../../core/perimeters/zip.ts';
import { HttpError, problemOf } from '../../server/errors.ts';
import { registryFromCsv } from '../../server/registry/csv.ts';
import { checkJsonStrings } from '../../server/request-guard.ts';
import { LogBudget } from '../../server/request-log.ts';
import { deepGeojson, zipBomb } from '../fixtures/bad-input/corpus.ts';
import { PRJ_WGS84, writeShp, writeZip } from '../support/perimeters-shapefile.ts';

const square = [
  [
    [1.43, 44.44],
    [1.46, 44.44],
    [1.46, 44.46],
    [1.43, 44.44],
  ],
];
const rejects = (f: () => unknown, message: RegExp) => {
  expect(f).toThrow(PerimeterImportError);
  expect(f).toThrow(message);
};

describe('CSV limits', () => {
  const limits = { maxRows: 3, maxColumns: 4, maxFieldChars: 12 };
  it('reads a file within the limits, with the line each row starts on', () => {
    const t = parseCsv('a;b\n1;"deux\nlignes"\n\n3;4\n', limits);
    expect(t.rows).toEqual([
      { a: '1', b: 'deux\nlignes' },
      { a: '3', b: '4' },
    ]);
    expect(t.lines).toEqual([2, 5]);
  });

  it('refuses rows, columns and fields past the limits, with the line', () => {
    const error = (text: string) => {
      try {
        parseCsv(text, limits);
      } catch (err) {
        expect(err).toBeInstanceOf(CsvError);
        return (err as Error).message;
      }
      return null;
    };
    expect(error('a\n1\n2\n3\n4\n')).toBe('ligne 5 : plus de 3 lignes de données (limite du fichier)');
    expect(error('a;b;c;d;e\n')).toBe('ligne 1 : plus de 4 colonnes (limite par ligne)');
    expect(error('a\nabcdefghijklm\n')).toBe('ligne 2 : un champ dépasse 12 caractères (limite par champ)');
    expect(error('a\n"abcdefghijklm\n')).toBe('ligne 2 : un champ dépasse 12 caractères (limite par champ)');
    expect(error('a;b\n1;2\n3;"ouvert\nx\n')).toBe('ligne 3 : guillemet ouvert jamais refermé (jusqu’à la fin du fichier)');
    expect(error('a;b\n1;2\u0000\n')).toBe('ligne 2 : caractère nul (fichier binaire, ou enregistré en UTF-16 ?)');
  });

  it('refuses a perimeter list with an unclosed quote, naming the line', () => {
    rejects(() => readList(Buffer.from('code;nom;insee\nA;A;46042\nB;"B;46102\n')), /CSV illisible : ligne 3 : guillemet/);
  });
});

describe('registry CSV checks', () => {
  const header =
    'code;type;nom;porteur_type;porteur_nom;perimetre_reference;date_signature;generation;statut;date_fin;etp_coordination;thematiques;signataires;source;remarque;communes\n';
  it('applies the bearer-type and theme rules of the API, with physical line numbers', () => {
    const { errors } = registryFromCsv(
      header +
        'cls-a;CLS;CLS A;EPCI;;;2020;1;en_cours;;;;;;"remarque\nsur deux lignes";46042\n' +
        'cls-b;CLS;CLS B;PIRATE;;;2020;1;en_cours;;;astrologie;;;;46042\n',
    );
    expect(errors).toEqual([
      expect.stringMatching(/^ligne 4 : « porteur_type » : type de porteur attendu/),
      'ligne 4 : « thematiques » : thématique inconnue',
    ]);
  });

  it('reports a CSV syntax error instead of throwing', () => {
    expect(registryFromCsv(`${header}cls-a;CLS;"CLS A;EPCI\n`).errors).toEqual([
      'CSV illisible, ligne 2 : guillemet ouvert jamais refermé (jusqu’à la fin du fichier)',
    ]);
  });
});

describe('ZIP limits', () => {
  it('refuses the audit’s bomb from its declared size, and a lying size while inflating', () => {
    const t0 = Date.now();
    rejects(() => readShapefileZip(zipBomb(390)), /bombe\.shp ferait 390 Mo une fois décompressé \(limite : 200 Mo par fichier\)/);
    rejects(() => readShapefileZip(zipBomb(20)), /compressé [\d\s]+ fois \(limite : 200 fois\)/);
    expect(Date.now() - t0).toBeLessThan(5_000);
    const lying = zipBomb(1);
    lying.writeUInt32LE(1000, lying.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])) + 24);
    rejects(() => listZip(lying)[0]!.read(), /plus grand une fois décompressé que ne l’annonce l’archive/);
  });

  it('refuses more entries than MAX_ZIP_ENTRIES', () => {
    const many = writeZip(
      Array.from({ length: MAX_ZIP_ENTRIES + 1 }, (_, i) => ({ name: `${i}.txt`, data: 'x' })),
      true,
    );
    rejects(() => listZip(many), /1\s001 fichiers \(limite : 1\s000\)/);
  });

  it('bounds side files', () => {
    const zip = writeZip([{ name: 'a.prj', data: 'x'.repeat(70_000) }]);
    rejects(() => listZip(zip)[0]!.read(64 * 1024), /limite : 64 ko par fichier/);
  });
});

describe('shapefile limits', () => {
  const { shp } = writeShp([{ geometry: { type: 'Polygon', coordinates: square }, properties: {} }]);

  it('stops at zero padding instead of reading millions of empty records', () => {
    const padded = Buffer.concat([shp, Buffer.alloc(10 * 1024 * 1024)]);
    padded.writeInt32BE(padded.length / 2, 24);
    const t0 = Date.now();
    expect(scanShp(padded, 'a.shp')).toEqual({ records: 1, vertices: 4, end: shp.length });
    expect(Date.now() - t0).toBeLessThan(1_000);
  });

  it('refuses corrupt part indices and vertex counts past the file', () => {
    const parts = Buffer.from(shp);
    parts.writeInt32LE(99, 100 + 8 + 44);
    rejects(() => scanShp(parts, 'a.shp'), /l’objet n° 1 est corrompu/);
    const points = Buffer.from(shp);
    points.writeInt32LE(MAX_VERTICES + 1, 100 + 8 + 40);
    rejects(() => scanShp(points, 'a.shp'), /l’objet n° 1 est corrompu/);
  });

  it('refuses more records than MAX_FEATURES', () => {
    const one = shp.subarray(100);
    const many = Buffer.concat([shp.subarray(0, 100), ...Array.from({ length: MAX_FEATURES + 1 }, () => one)]);
    many.writeInt32BE(many.length / 2, 24);
    rejects(() => scanShp(many, 'a.shp'), /plus de 50\s000 objets/);
  });

  it('refuses a .dbf announcing more records than it holds', () => {
    const dbf = Buffer.alloc(65);
    dbf.writeUInt32LE(4_000_000_000, 4);
    dbf.writeUInt16LE(65, 8);
    dbf.writeUInt16LE(11, 10);
    rejects(() => checkDbf(dbf, 'a.dbf'), /4\s000\s000\s000 enregistrements \(limite : 50\s000/);
    dbf.writeUInt32LE(3, 4);
    rejects(() => checkDbf(dbf, 'a.dbf'), /a\.dbf est tronqué/);
  });

  it('reads a shapefile padded with zeros', () => {
    const padded = Buffer.concat([shp, Buffer.alloc(4096)]);
    padded.writeInt32BE(padded.length / 2, 24);
    const input = readShapefileZip(
      writeZip([
        { name: 'a.shp', data: padded },
        { name: 'a.prj', data: PRJ_WGS84 },
      ]),
    );
    expect(input.features).toHaveLength(1);
  });
});

describe('GeoJSON limits', () => {
  it('refuses nesting past MAX_JSON_DEPTH before parsing, with the line', () => {
    rejects(() => readGeojson(Buffer.from(deepGeojson(1_000_000))), new RegExp(`plus de ${MAX_JSON_DEPTH} niveaux \\(ligne 1\\)`));
    expect(scanJson('{"a":"[[[[[[","b":[[1,2],[3,4]]}')).toEqual({ depth: 3, vertices: 2 });
  });

  it('refuses more vertices than MAX_VERTICES while scanning', () => {
    const text = `{"type":"FeatureCollection","features":[],"x":[${'[0,0],'.repeat(MAX_VERTICES)}[0,0]]}`;
    rejects(() => scanJson(text), /plus de 5\s000\s000 sommets/);
  });

  it('refuses a gzip bomb at the decompressed limit', () => {
    const member = zlib.gzipSync(Buffer.alloc(10 * 1024 * 1024));
    rejects(() => readGeojson(Buffer.concat(Array.from({ length: 21 }, () => member))), /plus de 200 Mo une fois décompressé/);
  });

  it('says where the JSON breaks, in French', () => {
    rejects(() => readGeojson(Buffer.from('{"type":\n"FeatureCollection",\n}')), /JSON illisible : erreur de syntaxe ligne 3/);
    rejects(() => readGeojson(Buffer.from('{"type":"FeatureCollection"')), /tronqué/);
  });

  it('cleans NUL and lone surrogates out of attributes', () => {
    const text = JSON.stringify({
      type: 'FeatureCollection',
      features: [{ type: 'Feature', properties: { nom: 'a\u0000b', note: 'x' }, geometry: { type: 'Polygon', coordinates: square } }],
    }).replace('"x"', '"\\ud800x"');
    const input = readGeojson(Buffer.from(text));
    expect(input.features[0]!.name).toBe('ab');
    expect(input.features[0]!.attrs.note).toBe('\uFFFDx');
  });
});

describe('import failures in French', () => {
  it('never shows the internal English text', () => {
    expect(describeImportFailure(new RangeError('Maximum call stack size exceeded'))).toBe(
      "Échec de l'écriture (géométries trop imbriquées ou trop complexes) : les données précédentes sont intactes.",
    );
    const json = Object.assign(new Error('invalid input syntax for type json'), { code: '22P02' });
    expect(describeImportFailure(json)).toMatch(/caractères que la base refuse/);
    expect(describeImportFailure(json)).not.toMatch(/invalid input/);
  });
});

describe('error mapping', () => {
  const problem = (err: unknown) => {
    const p = problemOf(err);
    return p && { status: p.status, detail: p.detail, headers: p.headers };
  };
  it('turns library errors into French 4xx, and outages into 503 with Retry-After', () => {
    expect(
      problem(Object.assign(new Error('unsupported charset "LATIN1"'), { status: 415, type: 'charset.unsupported', charset: 'latin1' })),
    ).toMatchObject({
      status: 415,
      detail: expect.stringMatching(/« latin1 ».*UTF-8/),
    });
    expect(problem(Object.assign(new Error('incorrect header check'), { status: 400, code: 'Z_DATA_ERROR' }))?.status).toBe(400);
    expect(problem(new URIError('URI malformed'))?.status).toBe(400);
    expect(problem(Object.assign(new Error('value "99999999999" is out of range for type integer'), { code: '22003' }))).toMatchObject({
      status: 422,
      detail: 'Valeur refusée : un nombre est hors des limites acceptées.',
    });
    expect(problem(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toMatchObject({
      status: 503,
      headers: { 'Retry-After': expect.stringMatching(/^\d+$/) },
    });
    expect(problem(new Error('Connection terminated unexpectedly'))?.status).toBe(503);
    expect(problem(new TypeError('x is undefined'))).toBeNull();
  });

  it('speaks French for zod’s own messages', () => {
    const err = z.object({ n: z.number().min(0) }).safeParse({ n: -1 }).error!;
    expect(problemOf(err)?.detail).toMatch(/^Un paramètre : Trop petit/);
  });
});

describe('JSON string check', () => {
  it('finds NUL, lone surrogates and excessive depth at any place', () => {
    expect(checkJsonStrings({ a: [{ b: 'ok' }], c: 'é😀' })).toBeNull();
    const nul = checkJsonStrings({ communes: [{ name: 'x\u0000' }] });
    expect(nul?.detail).toBe('Texte refusé : caractère nul (\\u0000) dans le nom.');
    expect(nul?.extra).toEqual({ invalidParams: [{ name: 'communes.0.name', reason: 'caractère nul' }] });
    expect(checkJsonStrings({ a: 'x\udc00' })?.detail).toMatch(/surrogat isolé/);
    expect(checkJsonStrings({ ['k\u0000']: 1 })).toBeInstanceOf(HttpError);
    expect(checkJsonStrings(JSON.parse('['.repeat(100_000) + ']'.repeat(100_000)))?.detail).toMatch(/niveaux d’imbrication/);
  });
});

describe('log ration', () => {
  it('logs a few lines per client and per window, then counts what it left out', () => {
    let now = 0;
    const budget = new LogBudget(2, 3, 1000, () => now);
    const taken = ['a', 'a', 'a', 'b', 'c', 'c'].map((k) => budget.take(k).allowed);
    expect(taken).toEqual([true, true, false, true, false, false]);
    now = 1000;
    const next = budget.take('a');
    expect(next.allowed).toBe(true);
    expect(new Map(next.ended)).toEqual(
      new Map([
        ['a', 1],
        ['c', 2],
      ]),
    );
  });
});
