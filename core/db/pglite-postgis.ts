// PostGIS for the embedded database, without the parts Millefeuille never loads. The
// bundle of @electric-sql/pglite-postgis (95 MB once unpacked) holds three WebAssembly
// libraries — PostGIS, raster and topology, 15–17 MB each — that PGlite copies into its
// in-memory file system and compiles at start whether or not they are used, beside upgrade
// and tiger-geocoder scripts. A bundle of PostGIS's library, its install script and PROJ's
// data (proj.db, for ST_Transform) is written once beside the temporary files, and PGlite
// reads that one instead: measured on the national data (one PGlite thread, after open and
// two heavy queries), 890 MB of resident memory → 600 MB. The package itself is not
// touched; if the smaller bundle cannot be written, the full one is used.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import zlib from 'node:zlib';
import type { Extension } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';

/** The files of the bundle the database needs: `CREATE EXTENSION postgis` and the functions it declares. */
export function neededByPostgis(name: string): boolean {
  return (
    name === 'lib/postgresql/postgis-3.so' ||
    name.startsWith('share/proj/') ||
    /^share\/postgresql\/extension\/postgis(\.control|--\d+(\.\d+)*\.sql)$/.test(name)
  );
}

const BLOCK = 512;

function field(header: Uint8Array, start: number, length: number): string {
  const bytes = header.subarray(start, start + length);
  const end = bytes.indexOf(0);
  return Buffer.from(end < 0 ? bytes : bytes.subarray(0, end)).toString('utf8');
}

/** The path a pax extended header ('x') gives the next entry, if any. */
function paxPath(data: Uint8Array): string | undefined {
  for (const record of Buffer.from(data).toString('utf8').split('\n')) {
    const m = /^\d+ path=(.*)$/.exec(record);
    if (m) return m[1];
  }
  return undefined;
}

/**
 * The entries of a tar archive (ustar, GNU or pax) whose path `keep` accepts, as a new
 * archive; kept entries are copied byte for byte, with their long-name headers.
 */
export function filterTar(tar: Uint8Array, keep: (name: string) => boolean): Buffer {
  const out: Uint8Array[] = [];
  /** Long-name or pax headers, which belong to the entry after them. */
  let pending: Uint8Array[] = [];
  let longName: string | undefined;
  let offset = 0;
  while (offset + BLOCK <= tar.length) {
    const header = tar.subarray(offset, offset + BLOCK);
    if (header.every((b) => b === 0)) break;
    const size = parseInt(field(header, 124, 12).trim() || '0', 8);
    if (!Number.isFinite(size)) throw new Error(`tar: bad size at byte ${offset}`);
    const end = offset + BLOCK + Math.ceil(size / BLOCK) * BLOCK;
    if (end > tar.length) throw new Error(`tar: entry past the end at byte ${offset}`);
    const entry = tar.subarray(offset, end);
    const data = tar.subarray(offset + BLOCK, offset + BLOCK + size);
    const type = String.fromCharCode(header[156]!);
    offset = end;
    if (type === 'L' || type === 'x') {
      longName = type === 'L' ? field(data, 0, data.length) : (paxPath(data) ?? longName);
      pending.push(entry);
      continue;
    }
    if (type === 'g') {
      out.push(entry);
      continue;
    }
    const prefix = field(header, 345, 155);
    const name = longName ?? (prefix && field(header, 257, 6) === 'ustar' ? `${prefix}/` : '') + field(header, 0, 100);
    if (keep(name)) out.push(...pending, entry);
    pending = [];
    longName = undefined;
  }
  out.push(new Uint8Array(2 * BLOCK));
  return Buffer.concat(out);
}

/** The smaller bundle for this source bundle, written into `dir` unless it is there already. */
export function slimBundle(source: string, dir: string): string {
  const stat = fs.statSync(source);
  // a new package version, or a new list of needed files, gives a new bundle
  const id = crypto
    .createHash('sha1')
    .update(`${source}\0${stat.size}\0${stat.mtimeMs}\0${neededByPostgis.toString()}\0${filterTar.toString()}`)
    .digest('hex')
    .slice(0, 16);
  const target = path.join(dir, `postgis-${id}.tar.gz`);
  if (fs.existsSync(target)) return target;
  fs.mkdirSync(dir, { recursive: true });
  const slim = filterTar(zlib.gunzipSync(fs.readFileSync(source)), neededByPostgis);
  // written aside then renamed: another process starting at the same time never reads half a file
  const partial = `${target}.${process.pid}.${crypto.randomUUID()}.partial`;
  fs.writeFileSync(partial, zlib.gzipSync(slim, { level: 1 }));
  fs.renameSync(partial, target);
  return target;
}

/** Where the smaller bundle is written: rebuilt in about a second if the folder was emptied. */
const CACHE_DIR = path.join(os.tmpdir(), 'millefeuille-pglite');

/** PGlite's PostGIS extension, reading the smaller bundle. */
export function slimPostgis(cacheDir = CACHE_DIR, onFallback: (err: unknown) => void = () => {}): Extension {
  return {
    name: postgis.name,
    async setup(pg, emscriptenOpts) {
      const full = await postgis.setup(pg, emscriptenOpts);
      try {
        return { ...full, bundlePath: pathToFileURL(slimBundle(fileURLToPath(full.bundlePath), cacheDir)) };
      } catch (err) {
        onFallback(err);
        return full;
      }
    },
  };
}
