// Everything of a perimeter import that works on the file alone: detecting its format,
// reading it (with every limit checked while reading), and planning it. It runs in the
// parse worker (server/parse/), off the thread that answers requests: a 50 MB GeoJSON is
// seconds of JSON.parse, reprojection and checks. What it hands back crosses threads
// cheaply: every geometry as GeoJSON text in one byte array, moved (not copied) to the
// main thread, which decodes a few at a time as it sends them to the database — never
// millions of small arrays, nor tens of megabytes of strings at once on its heap.
import fs from 'node:fs';
import { buildCogIndex, rekey, type CogIndex, type Passage } from '../cog.ts';
import { PerimeterImportError } from './errors.ts';
import { planList, planPolygons, type Plan, type PlannedPerimeter } from './plan.ts';
import { readGeojson } from './read-geojson.ts';
import { listFromTable, readListTable } from './read-list.ts';
import { readShapefileZip } from './read-shapefile.ts';
import type { CommuneInfo } from './types.ts';

export type FileFormat = 'csv' | 'geojson' | 'shapefile';

export function detectFormat(file: string, head: Uint8Array): FileFormat {
  const lower = file.toLowerCase();
  if (lower.endsWith('.zip')) return 'shapefile';
  if (/\.(geo)?json(\.gz)?$/.test(lower)) return 'geojson';
  if (/\.(csv|txt)$/.test(lower)) return 'csv';
  if (lower.endsWith('.shp') || lower.endsWith('.dbf')) {
    throw new PerimeterImportError("Un shapefile s'importe zippé : mettez le .shp, le .shx, le .dbf et le .prj dans une archive .zip.");
  }
  if (/\.(xlsx?|ods)$/.test(lower))
    throw new PerimeterImportError('Classeur tableur : enregistrez la feuille au format CSV (séparateur ; ou ,).');
  if (head[0] === 0x50 && head[1] === 0x4b) return 'shapefile';
  const text = new TextDecoder('latin1')
    .decode(head)
    .replace(/^\uFEFF|^ï»¿/, '')
    .trimStart();
  if (text.startsWith('{') || (head[0] === 0x1f && head[1] === 0x8b)) return 'geojson';
  return 'csv';
}

/** The COG as rows (what the database holds), to cross threads; `cogContext` builds the index from them. */
export interface CogRows {
  communes: { code: string; name: string; region: string; departement: string }[];
  aliases: { old_code: string; code: string }[];
}

export interface CogContext {
  cog: CogIndex;
  communes: Map<string, CommuneInfo>;
}

export function cogContext({ communes, aliases }: CogRows): CogContext {
  // A commune nouvelle keeps the code of one of its former communes: it counts among them.
  const passages: Passage[] = [
    ...communes.map((c) => ({ from: c.code, to: c.code })),
    ...aliases.map((a) => ({ from: a.old_code, to: a.code })),
  ];
  return {
    cog: buildCogIndex(
      communes.map((c) => c.code),
      passages,
    ),
    communes: new Map(communes.map((c) => [c.code, { name: c.name, region: c.region, departement: c.departement }])),
  };
}

export interface ReadFileOptions {
  file: string;
  /** Byte limit of decompressed content (GeoJSON gzip, ZIP entries). */
  maxBytes: number;
  codeField?: string | undefined;
  nameField?: string | undefined;
  communeField?: string | undefined;
  /** Région of the import's scope: list members elsewhere are reported. */
  region?: string | undefined;
}

/** Where one geometry's GeoJSON text lies in ReadFileResult.geometries (UTF-8 bytes). */
export interface TextRef {
  start: number;
  end: number;
}

/** A plan whose geometries are references into a byte array of GeoJSON text. */
export interface WirePlan extends Omit<Plan, 'perimeters' | 'features'> {
  perimeters: (Omit<PlannedPerimeter, 'geometry'> & { geometry?: TextRef })[];
  features: { index: number; code: string; geometry: TextRef }[];
}

export interface ReadFileResult {
  format: FileFormat;
  /** How the file was read, for the report (French labels). */
  source: Record<string, string | null>;
  plan: WirePlan;
  /** Every geometry of the plan as GeoJSON text, once (a perimeter of one feature shares its text). */
  geometries: Uint8Array;
}

const decoder = new TextDecoder();

/** The GeoJSON text of one geometry of a plan. */
export const geometryText = (geometries: Uint8Array, ref: TextRef): string => decoder.decode(geometries.subarray(ref.start, ref.end));

/** The plan's geometries as GeoJSON text in one byte array, each written once. */
function packGeometries(plan: Plan): Pick<ReadFileResult, 'plan' | 'geometries'> {
  const encoder = new TextEncoder();
  const parts: Uint8Array[] = [];
  const refs = new Map<object, TextRef>();
  let length = 0;
  const ref = (geometry: object): TextRef => {
    let r = refs.get(geometry);
    if (!r) {
      const bytes = encoder.encode(JSON.stringify(geometry));
      r = { start: length, end: length + bytes.length };
      length += bytes.length;
      parts.push(bytes);
      refs.set(geometry, r);
    }
    return r;
  };
  const features = plan.features.map((f) => ({ index: f.index, code: f.code, geometry: ref(f.geometry) }));
  const perimeters = plan.perimeters.map(({ geometry, ...p }) => (geometry ? { ...p, geometry: ref(geometry) } : p));
  const geometries = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    geometries.set(part, at);
    at += part.length;
  }
  return { plan: { ...plan, features, perimeters }, geometries };
}

/**
 * Reads and plans the file. The COG is asked for (`loadCog`, slow on the embedded
 * database) only by a commune list once its table passed its checks, so a bad file is
 * refused at once; polygon plans do not need it (their région is checked by the caller).
 */
export async function readPerimeterFile(options: ReadFileOptions, loadCog: () => Promise<CogRows>): Promise<ReadFileResult> {
  const bytes = fs.readFileSync(options.file);
  const format = detectFormat(options.file, bytes.subarray(0, 64));
  const fields = { codeField: options.codeField, nameField: options.nameField };
  if (format === 'csv') {
    const table = readListTable(bytes);
    const ctx = cogContext(await loadCog());
    const isCommuneCode = (v: string) => rekey(ctx.cog, v).status !== 'unknown';
    const input = listFromTable(table, { ...fields, communeField: options.communeField, isCommuneCode });
    const plan = planList(input, { ...ctx, region: options.region });
    return {
      format,
      source: {
        encodage: input.encoding === 'latin1' ? 'Latin-1' : 'UTF-8',
        séparateur: `« ${input.separator} »`,
        'colonne code': input.columns.code,
        'colonne nom': input.columns.name,
        'colonne commune': input.columns.commune,
      },
      // a list's perimeters have no geometry of their own
      ...packGeometries(plan),
    };
  }
  const readOptions = { ...fields, maxBytes: options.maxBytes * 8 };
  const input = format === 'geojson' ? readGeojson(bytes, readOptions) : readShapefileZip(bytes, readOptions);
  const plan = planPolygons(input, { communes: new Map() });
  return {
    format,
    source: {
      projection: input.projection,
      ...(input.encoding ? { 'encodage attributs': input.encoding } : {}),
      'attribut code': input.fields.code,
      'attribut nom': input.fields.name,
    },
    ...packGeometries(plan),
  };
}
