// A minimal ZIP reader (central directory; stored or deflated entries) for shapefile
// archives: enough for what GIS tools and operating systems write, with French errors
// for what it does not handle (ZIP64, encryption, other compression methods). Bounded
// against ZIP bombs (core/limits.ts): number of entries, declared and actual
// decompressed size of each entry read and of all of them, compression ratio.
import zlib from 'node:zlib';
import {
  formatBytes,
  formatCount,
  MAX_UNCOMPRESSED_BYTES,
  MAX_ZIP_ENTRIES,
  MAX_ZIP_RATIO,
  MAX_ZIP_TOTAL_BYTES,
  ZIP_RATIO_MIN_BYTES,
} from '../limits.ts';
import { PerimeterImportError } from './errors.ts';

export interface ZipEntry {
  name: string;
  /** Declared decompressed size. */
  size: number;
  /** The decompressed bytes; refused past `maxBytes` (and the limits of every entry). */
  read(maxBytes?: number): Uint8Array;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

export function listZip(bytes: Uint8Array, maxEntryBytes = MAX_UNCOMPRESSED_BYTES): ZipEntry[] {
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
  if (count > MAX_ZIP_ENTRIES) {
    throw new PerimeterImportError(
      `Archive refusée : ${formatCount(count)} fichiers (limite : ${formatCount(MAX_ZIP_ENTRIES)}). Une archive de shapefile n’en contient que quelques-uns.`,
    );
  }
  const entryLimit = Math.min(maxEntryBytes, MAX_UNCOMPRESSED_BYTES);
  let totalRead = 0;
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
    const name = new TextDecoder(flags & 0x800 ? 'utf-8' : 'latin1').decode(rawName).replace(/\0/g, '');
    p += 46 + nameLen + extraLen + commentLen;
    if (name.endsWith('/')) continue;
    entries.push({
      name,
      size,
      read(maxBytes = entryLimit) {
        const limit = Math.min(maxBytes, entryLimit);
        if (flags & 1) throw new PerimeterImportError(`Archive chiffrée (${name}) : fournissez une archive sans mot de passe.`);
        if (size > limit) {
          throw new PerimeterImportError(
            `Archive refusée : ${name} ferait ${formatBytes(size)} une fois décompressé (limite : ${formatBytes(limit)} par fichier).`,
          );
        }
        if (totalRead + size > MAX_ZIP_TOTAL_BYTES) {
          throw new PerimeterImportError(
            `Archive refusée : plus de ${formatBytes(MAX_ZIP_TOTAL_BYTES)} une fois décompressée (limite de l’archive).`,
          );
        }
        if (size > ZIP_RATIO_MIN_BYTES && size / Math.max(compressed, 1) > MAX_ZIP_RATIO) {
          throw new PerimeterImportError(
            `Archive refusée : ${name} est compressé ${formatCount(Math.round(size / Math.max(compressed, 1)))} fois (limite : ${MAX_ZIP_RATIO} fois) ; un shapefile réel se compresse bien moins.`,
          );
        }
        if (local + 30 > bytes.length || view.getUint32(local, true) !== LOCAL)
          throw new PerimeterImportError(`Archive ZIP illisible (${name}).`);
        const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
        const data = bytes.subarray(start, start + compressed);
        if (data.length < compressed) throw new PerimeterImportError(`Archive ZIP tronquée (${name}).`);
        let out: Uint8Array;
        if (method === 0) out = data;
        else if (method !== 8) throw new PerimeterImportError(`Méthode de compression non prise en charge (${method}) pour ${name}.`);
        else {
          try {
            // the declared size bounds the work: a lying header stops here, not at the end of the bomb
            out = zlib.inflateRawSync(data, { maxOutputLength: Math.max(size, 1) });
          } catch (err) {
            if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
              throw new PerimeterImportError(
                `Archive refusée : ${name} est plus grand une fois décompressé que ne l’annonce l’archive (${formatBytes(size)}).`,
              );
            }
            throw new PerimeterImportError(`Archive ZIP illisible (${name} : données compressées corrompues).`);
          }
        }
        if (out.length !== size) throw new PerimeterImportError(`Archive ZIP illisible (${name} : taille incohérente).`);
        totalRead += size;
        return out;
      },
    });
  }
  return entries;
}
