// The smaller PostGIS bundle of the embedded database (core/db/pglite-postgis.ts): the tar
// filter keeps exactly the entries asked for, byte for byte, and the bundle built from the
// real package holds PostGIS and PROJ's data but not raster, topology or the geocoder.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import zlib from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { filterTar, neededByPostgis, slimBundle } from '../../core/db/pglite-postgis.ts';

/** One tar entry: a 512-byte header (name, size, type, ustar prefix) and its padded data. */
function entry(name: string, data: string, type = '0', prefix = ''): Buffer {
  const header = Buffer.alloc(512);
  header.write(name, 0, 100, 'utf8');
  header.write('0000644\0', 100);
  header.write(`${Buffer.byteLength(data).toString(8).padStart(11, '0')}\0`, 124);
  header.write(type, 156);
  header.write('ustar\0', 257);
  header.write(prefix, 345, 155, 'utf8');
  const body = Buffer.alloc(Math.ceil(Buffer.byteLength(data) / 512) * 512);
  body.write(data);
  return Buffer.concat([header, body]);
}

/** Paths and contents of an archive's regular files, in order. */
function files(tar: Uint8Array): [string, string][] {
  const out: [string, string][] = [];
  filterTar(tar, (name) => {
    out.push([name, '']);
    return false;
  });
  return out;
}

const END = Buffer.alloc(1024);

describe('filterTar', () => {
  const a = entry('lib/a.so', 'A'.repeat(700));
  const longName = `share/${'x'.repeat(120)}.sql`;
  const long = Buffer.concat([entry('././@LongLink', longName, 'L'), entry(longName.slice(0, 99), 'long body')]);
  const prefixed = entry('c.sql', 'C', '0', 'share/extension');
  const tar = Buffer.concat([a, long, prefixed, END]);

  it('reads ustar prefixes and GNU long names', () => {
    expect(files(tar).map(([n]) => n)).toEqual(['lib/a.so', longName, 'share/extension/c.sql']);
  });

  it('keeps the accepted entries byte for byte, with their long-name headers', () => {
    expect(filterTar(tar, (n) => n === longName || n.endsWith('c.sql'))).toEqual(Buffer.concat([long, prefixed, END]));
    expect(filterTar(tar, (n) => n === 'lib/a.so')).toEqual(Buffer.concat([a, END]));
    expect(filterTar(tar, () => false)).toEqual(END);
  });

  it('refuses an entry running past the end', () => {
    expect(() => filterTar(a.subarray(0, 600), () => true)).toThrow(/past the end/);
  });
});

describe('the PostGIS bundle of the embedded database', () => {
  const source = createRequire(import.meta.url)
    .resolve('@electric-sql/pglite-postgis')
    .replace(/index\.c?js$/, 'postgis.tar.gz');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mf-postgis-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('holds PostGIS, its install script and PROJ data, not raster, topology or the geocoder', () => {
    const full = zlib.gunzipSync(fs.readFileSync(source));
    const bundle = slimBundle(source, dir);
    const slim = zlib.gunzipSync(fs.readFileSync(bundle));
    const names = files(slim).map(([n]) => n);
    expect(names).toContain('lib/postgresql/postgis-3.so');
    expect(names).toContain('share/postgresql/extension/postgis.control');
    expect(names.some((n) => /^share\/postgresql\/extension\/postgis--\d+\.\d+\.\d+\.sql$/.test(n))).toBe(true);
    expect(names).toContain('share/proj/proj.db');
    expect(names.filter((n) => /raster|topology|tiger|--ANY|unpackaged|contrib/.test(n))).toEqual([]);
    // the same bytes as the package's bundle, for the entries kept
    expect(slim.equals(filterTar(full, neededByPostgis))).toBe(true);
    expect(slim.length).toBeLessThan(full.length / 2);
    // written once, then reused
    const { mtimeMs } = fs.statSync(bundle);
    expect(slimBundle(source, dir)).toBe(bundle);
    expect(fs.statSync(bundle).mtimeMs).toBe(mtimeMs);
    expect(fs.readdirSync(dir)).toEqual([path.basename(bundle)]);
  });
});
