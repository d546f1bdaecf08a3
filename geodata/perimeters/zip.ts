// A minimal ZIP reader (central directory; stored or deflated entries) for shapefile
// archives: enough for what GIS tools and operating systems write, with French errors
// for what it does not handle (ZIP64, encryption, other compression methods).
import zlib from 'node:zlib';
import { PerimeterImportError } from './errors.ts';

export interface ZipEntry {
  name: string;
  size: number;
  read(): Uint8Array;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

export function listZip(bytes: Uint8Array, maxEntryBytes = 512 * 1024 * 1024): ZipEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new PerimeterImportError('Archive ZIP illisible (répertoire central introuvable : fichier tronqué ?).');
  const count = view.getUint16(eocd + 10, true);
  const cdOffset = view.getUint32(eocd + 16, true);
  if (count === 0xffff || cdOffset === 0xffffffff)
    throw new PerimeterImportError('Archive ZIP64 non prise en charge : recompressez la couche en ZIP classique.');
  const entries: ZipEntry[] = [];
  let p = cdOffset;
  for (let k = 0; k < count; k++) {
    if (p + 46 > bytes.length || view.getUint32(p, true) !== CENTRAL)
      throw new PerimeterImportError('Archive ZIP illisible (répertoire central corrompu).');
    const flags = view.getUint16(p + 8, true);
    const method = view.getUint16(p + 10, true);
    const compressed = view.getUint32(p + 20, true);
    const size = view.getUint32(p + 24, true);
    const nameLen = view.getUint16(p + 28, true);
    const extraLen = view.getUint16(p + 30, true);
    const commentLen = view.getUint16(p + 32, true);
    const local = view.getUint32(p + 42, true);
    const rawName = bytes.subarray(p + 46, p + 46 + nameLen);
    const name = new TextDecoder(flags & 0x800 ? 'utf-8' : 'latin1').decode(rawName);
    p += 46 + nameLen + extraLen + commentLen;
    if (name.endsWith('/')) continue;
    entries.push({
      name,
      size,
      read() {
        if (flags & 1) throw new PerimeterImportError(`Archive chiffrée (${name}) : fournissez une archive sans mot de passe.`);
        if (local + 30 > bytes.length || view.getUint32(local, true) !== LOCAL)
          throw new PerimeterImportError(`Archive ZIP illisible (${name}).`);
        const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
        const data = bytes.subarray(start, start + compressed);
        if (data.length < compressed) throw new PerimeterImportError(`Archive ZIP tronquée (${name}).`);
        if (method === 0) return data;
        if (method !== 8) throw new PerimeterImportError(`Méthode de compression non prise en charge (${method}) pour ${name}.`);
        if (size > maxEntryBytes) throw new PerimeterImportError(`${name} : trop volumineux une fois décompressé (${size} octets).`);
        try {
          return zlib.inflateRawSync(data, { maxOutputLength: maxEntryBytes });
        } catch (err) {
          throw new PerimeterImportError(`Archive ZIP illisible (${name}) : ${(err as Error).message}.`);
        }
      },
    });
  }
  return entries;
}
