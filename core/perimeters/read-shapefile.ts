// Reads a zipped shapefile of perimeter polygons: one .shp with its .dbf (attributes),
// .prj (projection, required) and optional .cpg (attribute encoding). Geometry and
// attributes are parsed by shpjs (pure JavaScript); the archive, the projection and the
// encoding are ours, so every refusal has a French message. The .shp records and the
// .dbf header are checked (count, vertices, sizes) before shpjs reads them: it trusts
// both and would loop over millions of empty records or read past the end.
import type { Geometry } from 'geojson';
import { parseDbf, parseShp } from 'shpjs';
import { formatCount, MAX_ATTRIBUTES, MAX_FEATURES, MAX_SIDECAR_BYTES, MAX_VERTICES } from '../limits.ts';
import { PerimeterImportError } from './errors.ts';
import { collectFeatures, type FieldOptions, type RawFeature } from './polygons.ts';
import { crsFromPrj } from './projection.ts';
import type { PolygonInput } from './types.ts';
import { listZip, type ZipEntry } from './zip.ts';

const SHAPE_TYPES: Record<number, string> = {
  0: 'vide',
  1: 'points',
  3: 'lignes',
  5: 'polygones',
  8: 'multipoints',
  11: 'points',
  13: 'lignes',
  15: 'polygones',
  18: 'multipoints',
  21: 'points',
  23: 'lignes',
  25: 'polygones',
  28: 'multipoints',
  31: 'multipatch',
};

/** TextDecoder label for the .dbf: from the .cpg, else the language driver byte, else UTF-8 if it decodes. */
export function dbfEncoding(dbf: Uint8Array, cpg: string | undefined): { label: string; warning?: string } {
  if (cpg !== undefined) {
    const c = cpg
      .trim()
      .toUpperCase()
      .replace(/^ANSI\s*/, '');
    const label = /^\d{3,4}$/.test(c) ? `windows-${c}` : c === '88591' ? 'iso-8859-1' : c;
    try {
      new TextDecoder(label);
      return { label: label.toLowerCase() };
    } catch {
      return {
        ...dbfEncoding(dbf, undefined),
        warning: `Encodage du .cpg inconnu (« ${cpg.trim()} ») : encodage détecté automatiquement.`,
      };
    }
  }
  const ldid = dbf[29];
  if (ldid === 0x57 || ldid === 0x03) return { label: 'windows-1252' };
  const headerLen = dbf.length >= 10 ? dbf[8]! | (dbf[9]! << 8) : 0;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(dbf.subarray(headerLen));
    return { label: 'utf-8' };
  } catch {
    return { label: 'windows-1252' };
  }
}

/**
 * Walks the .shp records without building them: refuses corrupt polygon records and files
 * past MAX_FEATURES or MAX_VERTICES, and returns the length of the well-formed records
 * (trailing padding or a truncated last record are left out, as shpjs would).
 */
export function scanShp(shp: Uint8Array, name: string): { records: number; vertices: number; end: number } {
  const view = new DataView(shp.buffer, shp.byteOffset, shp.byteLength);
  const declared = view.getInt32(24, false) * 2;
  const end = declared >= 100 && declared <= shp.byteLength ? declared : shp.byteLength;
  let offset = 100;
  let records = 0;
  let vertices = 0;
  while (offset + 8 <= end) {
    const len = view.getInt32(offset + 4, false) * 2;
    // shpjs reads a zero length as an empty record and never stops on a file of zeros
    if (len < 4 || offset + 8 + len > end) break;
    records++;
    if (records > MAX_FEATURES) {
      throw new PerimeterImportError(`${name} : plus de ${formatCount(MAX_FEATURES)} objets (limite par fichier).`);
    }
    const type = view.getInt32(offset + 8, true);
    if (type !== 0) {
      const corrupt = () => new PerimeterImportError(`${name} : l’objet n° ${records} est corrompu (longueurs incohérentes).`);
      if (type !== 5 && type !== 15 && type !== 25) {
        throw new PerimeterImportError(`${name} : l’objet n° ${records} n’est pas un polygone (type ${type}).`);
      }
      if (len < 44) throw corrupt();
      const parts = view.getInt32(offset + 8 + 36, true);
      const points = view.getInt32(offset + 8 + 40, true);
      if (parts < 0 || points < 0 || 44 + 4 * parts + 16 * points > len) throw corrupt();
      let previous = -1;
      for (let k = 0; k < parts; k++) {
        const start = view.getInt32(offset + 8 + 44 + 4 * k, true);
        if (start < 0 || start >= points || start < previous) throw corrupt();
        previous = start;
      }
      vertices += points;
      if (vertices > MAX_VERTICES) {
        throw new PerimeterImportError(`${name} : plus de ${formatCount(MAX_VERTICES)} sommets (limite par fichier).`);
      }
    }
    offset += 8 + len;
  }
  return { records, vertices, end: offset };
}

/** Checks the .dbf header against its size and the limits, before parsedbf loops over the declared records. */
export function checkDbf(dbf: Uint8Array, name: string): void {
  if (dbf.length < 33) throw new PerimeterImportError(`${name} n'est pas un fichier .dbf valide (trop court).`);
  const view = new DataView(dbf.buffer, dbf.byteOffset, dbf.byteLength);
  const records = view.getUint32(4, true);
  const headerLen = view.getUint16(8, true);
  const recordLen = view.getUint16(10, true);
  const fields = Math.floor((headerLen - 33) / 32);
  if (headerLen < 33 || headerLen > dbf.length || recordLen < 1) {
    throw new PerimeterImportError(`${name} n'est pas un fichier .dbf valide (en-tête incorrect).`);
  }
  if (fields > MAX_ATTRIBUTES) {
    throw new PerimeterImportError(`${name} : ${formatCount(fields)} attributs (limite : ${MAX_ATTRIBUTES}).`);
  }
  if (records > MAX_FEATURES) {
    throw new PerimeterImportError(
      `${name} : ${formatCount(records)} enregistrements (limite : ${formatCount(MAX_FEATURES)} par fichier).`,
    );
  }
  if (headerLen + records * recordLen > dbf.length) {
    throw new PerimeterImportError(
      `${name} est tronqué : il annonce ${formatCount(records)} enregistrements, le fichier n'en contient pas autant.`,
    );
  }
}

function pickLayer(entries: ZipEntry[]) {
  const files = entries.filter((e) => !e.name.includes('__MACOSX/') && !/(^|\/)\._/.test(e.name));
  const shps = files.filter((e) => /\.shp$/i.test(e.name));
  if (shps.length === 0) {
    const names = files
      .map((e) => e.name)
      .slice(0, 10)
      .join(', ');
    throw new PerimeterImportError(`Aucun fichier .shp dans l'archive (${names || 'archive vide'}).`);
  }
  if (shps.length > 1) {
    throw new PerimeterImportError(
      `L'archive contient plusieurs couches (${shps.map((e) => e.name).join(', ')}) : une seule est attendue.`,
    );
  }
  const base = shps[0]!.name.slice(0, -4).toLowerCase();
  const sibling = (ext: string) => files.find((e) => e.name.toLowerCase() === `${base}.${ext}`);
  return { shp: shps[0]!, dbf: sibling('dbf'), prj: sibling('prj'), cpg: sibling('cpg') };
}

export function readShapefileZip(bytes: Uint8Array, options: FieldOptions & { maxBytes?: number } = {}): PolygonInput {
  if (bytes.length === 0) throw new PerimeterImportError('Le fichier est vide.');
  if (bytes[0] !== 0x50 || bytes[1] !== 0x4b)
    throw new PerimeterImportError("Ce fichier n'est pas une archive ZIP (un shapefile zippé est attendu).");
  const layer = pickLayer(listZip(bytes, options.maxBytes));
  const name = layer.shp.name;
  if (!layer.prj) {
    throw new PerimeterImportError(
      `Fichier .prj absent à côté de ${name} : la projection est inconnue. Ajoutez le .prj fourni avec la couche.`,
    );
  }
  const crs = crsFromPrj(new TextDecoder('latin1').decode(layer.prj.read(MAX_SIDECAR_BYTES)));
  const shp = layer.shp.read();
  if (shp.length < 100 || new DataView(shp.buffer, shp.byteOffset).getInt32(0) !== 9994) {
    throw new PerimeterImportError(`${name} n'est pas un fichier .shp valide (en-tête incorrect).`);
  }
  const type = new DataView(shp.buffer, shp.byteOffset).getInt32(32, true);
  if (type !== 5 && type !== 15 && type !== 25) {
    throw new PerimeterImportError(`${name} contient des ${SHAPE_TYPES[type] ?? `formes de type ${type}`}, pas des polygones.`);
  }
  const scanned = scanShp(shp, name);
  let geometries: (Geometry | null)[];
  try {
    geometries = parseShp(new DataView(shp.buffer, shp.byteOffset, scanned.end));
  } catch {
    throw new PerimeterImportError(`${name} illisible : géométries corrompues.`);
  }
  const warnings: string[] = [];
  let records: Record<string, unknown>[] = [];
  let encoding: string | undefined;
  if (layer.dbf) {
    const dbf = layer.dbf.read();
    checkDbf(dbf, layer.dbf.name);
    const enc = dbfEncoding(dbf, layer.cpg ? new TextDecoder('latin1').decode(layer.cpg.read(MAX_SIDECAR_BYTES)) : undefined);
    encoding = enc.label;
    if (enc.warning) warnings.push(enc.warning);
    try {
      records = parseDbf(new DataView(dbf.buffer, dbf.byteOffset, dbf.byteLength), enc.label);
    } catch {
      throw new PerimeterImportError(`${layer.dbf.name} illisible : attributs corrompus.`);
    }
    if (records.length !== geometries.length) {
      warnings.push(`${geometries.length} formes mais ${records.length} enregistrements attributaires : associés dans l'ordre.`);
    }
  } else {
    warnings.push(`Fichier .dbf absent : pas d'attributs, objets numérotés.`);
  }
  const raw: RawFeature[] = geometries.map((geometry, i) => ({ geometry, properties: records[i] ?? {} }));
  const input = collectFeatures('shapefile', raw, crs, options);
  return { ...input, encoding, warnings: [...warnings, ...input.warnings] };
}
