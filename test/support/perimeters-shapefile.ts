// Test fixtures for the perimeter importer: a minimal writer of polygon shapefiles
// (.shp, .shx, .dbf, .prj, optional .cpg) and of ZIP archives, so tests build the files
// they read instead of shipping binaries.
import zlib from 'node:zlib';
import type { MultiPolygon, Polygon, Position } from 'geojson';

export const PRJ_LAMBERT93_ESRI =
  'PROJCS["RGF93_Lambert_93",GEOGCS["GCS_RGF_1993",DATUM["D_RGF_1993",SPHEROID["GRS_1980",6378137.0,298.257222101]],' +
  'PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Lambert_Conformal_Conic"],' +
  'PARAMETER["False_Easting",700000.0],PARAMETER["False_Northing",6600000.0],PARAMETER["Central_Meridian",3.0],' +
  'PARAMETER["Standard_Parallel_1",49.0],PARAMETER["Standard_Parallel_2",44.0],PARAMETER["Latitude_Of_Origin",46.5],UNIT["Meter",1.0]]';

export const PRJ_LAMBERT93_OGC =
  'PROJCS["RGF93 v1 / Lambert-93",GEOGCS["RGF93 v1",DATUM["Reseau_Geodesique_Francais_1993_v1",SPHEROID["GRS 1980",6378137,298.257222101]],' +
  'PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]],PROJECTION["Lambert_Conformal_Conic_2SP"],' +
  'PARAMETER["latitude_of_origin",46.5],PARAMETER["central_meridian",3],PARAMETER["standard_parallel_1",49],' +
  'PARAMETER["standard_parallel_2",44],PARAMETER["false_easting",700000],PARAMETER["false_northing",6600000],' +
  'UNIT["metre",1],AUTHORITY["EPSG","2154"]]';

export const PRJ_WGS84 =
  'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]';

/** A projection no tool knows. */
export const PRJ_UNKNOWN =
  'PROJCS["Projection_Maison",GEOGCS["GCS_Maison",DATUM["D_Maison",SPHEROID["S",6378137.0,298.25]],PRIMEM["Greenwich",0.0],' +
  'UNIT["Degree",0.0174532925199433]],PROJECTION["Projection_Imaginaire"],PARAMETER["False_Easting",0.0],UNIT["Meter",1.0]]';

export interface ShpFeature {
  geometry: Polygon | MultiPolygon;
  properties: Record<string, string>;
}

/** Shoelace sum: > 0 for clockwise rings in a y-up plane. */
function clockwise(ring: Position[]): boolean {
  let sum = 0;
  for (let i = 1; i < ring.length; i++) sum += (ring[i]![0]! - ring[i - 1]![0]!) * (ring[i]![1]! + ring[i - 1]![1]!);
  return sum > 0;
}

/** ESRI order: outer rings clockwise, holes counter-clockwise. */
function shpRings(g: Polygon | MultiPolygon): Position[][] {
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  return polys.flatMap((rings) => rings.map((ring, i) => (clockwise(ring) === (i === 0) ? ring : [...ring].reverse())));
}

function header(view: DataView, fileBytes: number, shapeType: number, box: number[]) {
  view.setInt32(0, 9994, false);
  view.setInt32(24, fileBytes / 2, false);
  view.setInt32(28, 1000, true);
  view.setInt32(32, shapeType, true);
  box.forEach((v, i) => view.setFloat64(36 + 8 * i, v, true));
}

function bounds(points: Position[]): number[] {
  const xs = points.map((p) => p[0]!);
  const ys = points.map((p) => p[1]!);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

export function writeShp(features: ShpFeature[], shapeType = 5): { shp: Buffer; shx: Buffer } {
  const records = features.map((f) => {
    const rings = shpRings(f.geometry);
    const points = rings.flat();
    const content = 44 + 4 * rings.length + 16 * points.length;
    const buf = Buffer.alloc(8 + content);
    const v = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    v.setInt32(4, content / 2, false);
    v.setInt32(8, shapeType, true);
    bounds(points).forEach((x, i) => v.setFloat64(12 + 8 * i, x, true));
    v.setInt32(44, rings.length, true);
    v.setInt32(48, points.length, true);
    let start = 0;
    rings.forEach((r, i) => {
      v.setInt32(52 + 4 * i, start, true);
      start += r.length;
    });
    points.forEach((p, i) => {
      v.setFloat64(52 + 4 * rings.length + 16 * i, p[0]!, true);
      v.setFloat64(60 + 4 * rings.length + 16 * i, p[1]!, true);
    });
    return buf;
  });
  records.forEach((r, i) => new DataView(r.buffer, r.byteOffset).setInt32(0, i + 1, false));
  const all = features.flatMap((f) => shpRings(f.geometry).flat());
  const box = [...(all.length ? bounds(all) : [0, 0, 0, 0]), 0, 0, 0, 0];
  const shpLen = 100 + records.reduce((n, r) => n + r.length, 0);
  const shpHead = Buffer.alloc(100);
  header(new DataView(shpHead.buffer, shpHead.byteOffset, 100), shpLen, shapeType, box);
  const shx = Buffer.alloc(100 + 8 * records.length);
  const sv = new DataView(shx.buffer, shx.byteOffset, shx.byteLength);
  header(sv, shx.length, shapeType, box);
  let offset = 100;
  records.forEach((r, i) => {
    sv.setInt32(100 + 8 * i, offset / 2, false);
    sv.setInt32(104 + 8 * i, (r.length - 8) / 2, false);
    offset += r.length;
  });
  return { shp: Buffer.concat([shpHead, ...records]), shx };
}

/** A dBase III table of character fields, encoded as asked ('utf-8' or 'latin1'). */
export function writeDbf(rows: Record<string, string>[], encoding: 'utf-8' | 'latin1' = 'utf-8', ldid = 0): Buffer {
  const names = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const enc = (s: string) => Buffer.from(s, encoding === 'latin1' ? 'latin1' : 'utf8');
  const widths = names.map((n) => Math.max(1, ...rows.map((r) => enc(r[n] ?? '').length)));
  const headerLen = 32 + 32 * names.length + 1;
  const recordLen = 1 + widths.reduce((a, b) => a + b, 0);
  const buf = Buffer.alloc(headerLen + recordLen * rows.length + 1, 0x20);
  buf.fill(0, 0, headerLen);
  buf[0] = 0x03;
  buf[1] = 125;
  buf[2] = 1;
  buf[3] = 1;
  buf.writeUInt32LE(rows.length, 4);
  buf.writeUInt16LE(headerLen, 8);
  buf.writeUInt16LE(recordLen, 10);
  buf[29] = ldid;
  names.forEach((n, i) => {
    const at = 32 + 32 * i;
    Buffer.from(n.slice(0, 10), 'latin1').copy(buf, at);
    buf[at + 11] = 'C'.charCodeAt(0);
    buf[at + 16] = widths[i]!;
  });
  buf[headerLen - 1] = 0x0d;
  rows.forEach((r, k) => {
    let at = headerLen + recordLen * k;
    buf[at++] = 0x20;
    names.forEach((n, i) => {
      enc(r[n] ?? '').copy(buf, at);
      at += widths[i]!;
    });
  });
  buf[buf.length - 1] = 0x1a;
  return buf;
}

export interface ZipFile {
  name: string;
  data: Buffer | string;
}

/** A ZIP archive; entries deflated unless `store` is set. */
export function writeZip(files: ZipFile[], store = false): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const f of files) {
    const data = typeof f.data === 'string' ? Buffer.from(f.data, 'utf8') : f.data;
    const body = store ? data : zlib.deflateRawSync(data);
    const name = Buffer.from(f.name, 'utf8');
    const crc = zlib.crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x800, 6);
    local.writeUInt16LE(store ? 0 : 8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x800, 8);
    central.writeUInt16LE(store ? 0 : 8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

export interface ShapefileOptions {
  prj?: string | null;
  cpg?: string;
  encoding?: 'utf-8' | 'latin1';
  ldid?: number;
  base?: string;
  store?: boolean;
  shapeType?: number;
}

/** A zipped polygon shapefile of the given features. */
export function zippedShapefile(features: ShpFeature[], options: ShapefileOptions = {}): Buffer {
  const base = options.base ?? 'perimetres';
  const { shp, shx } = writeShp(features, options.shapeType);
  const files: ZipFile[] = [
    { name: `${base}.shp`, data: shp },
    { name: `${base}.shx`, data: shx },
    {
      name: `${base}.dbf`,
      data: writeDbf(
        features.map((f) => f.properties),
        options.encoding,
        options.ldid,
      ),
    },
  ];
  if (options.prj !== null) files.push({ name: `${base}.prj`, data: options.prj ?? PRJ_WGS84 });
  if (options.cpg !== undefined) files.push({ name: `${base}.cpg`, data: options.cpg });
  return writeZip(files, options.store);
}
