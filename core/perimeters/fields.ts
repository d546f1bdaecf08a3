// Finding the perimeter code, perimeter name and commune code among the columns of a
// CSV or the attributes of a polygon file, whatever their exact spelling, and turning
// perimeter codes into codes the API accepts (letters, digits, '.', '_', '-').
import { searchKey } from '../search-key.ts';
import { normaliseCommuneCode } from '../cog.ts';
import { PerimeterImportError } from './errors.ts';

/** Header names, most specific first, compared after folding ("Code INSEE" = code_insee). */
export const COMMUNE_FIELDS = [
  'code_commune',
  'code_insee_commune',
  'insee_commune',
  'commune_insee',
  'code_insee',
  'insee_com',
  'code_insee_com',
  'insee',
  'codgeo',
  'code_geo',
  'depcom',
  'code_com',
  'codecommune',
  'codecom',
  'inseecom',
  'num_insee',
  'cog',
  'com',
];
export const CODE_FIELDS = [
  'code_perimetre',
  'code_cpts',
  'code_secteur',
  'code_qp',
  'code_qpv',
  'code_quartier',
  'code_zone',
  'code_zonage',
  'id_perimetre',
  'id_cpts',
  'id_secteur',
  'num_secteur',
  'numero_secteur',
  'numero',
  'code',
  'identifiant',
  'id',
  'ident',
  'cpts',
  'secteur',
];
export const NAME_FIELDS = [
  'nom_perimetre',
  'nom_cpts',
  'nom_secteur',
  'libelle_secteur',
  'lib_secteur',
  'nom_qp',
  'lib_qp',
  'nom_qpv',
  'nom_quartier',
  'nom_zone',
  'libelle_perimetre',
  'libelle',
  'lib',
  'nom',
  'name',
  'intitule',
  'denomination',
];

export const foldHeader = (h: string) => searchKey(h).replace(/ /g, '_');

function pick(headers: string[], candidates: string[], taken: Set<string>): string | null {
  const folded = new Map<string, string>();
  for (const h of headers) if (!taken.has(h) && !folded.has(foldHeader(h))) folded.set(foldHeader(h), h);
  for (const c of candidates) {
    // dBase field names stop at 10 characters: code_secteur is stored as code_secte
    const h = folded.get(c) ?? (c.length > 10 ? folded.get(c.slice(0, 10)) : undefined);
    if (h !== undefined) return h;
  }
  return null;
}

function override(headers: string[], wanted: string | undefined, what: string): string | null {
  if (!wanted) return null;
  const h = headers.find((x) => x === wanted) ?? headers.find((x) => foldHeader(x) === foldHeader(wanted));
  if (!h) throw new PerimeterImportError(`Colonne « ${wanted} » (${what}) absente. Colonnes du fichier : ${headers.join(', ')}.`);
  return h;
}

const looksLikeCommune = (v: string) => normaliseCommuneCode(v) !== null;

export interface ListColumns {
  code: string | null;
  name: string | null;
  commune: string;
}

/**
 * Columns of a list of (perimeter, commune): by name first; the commune column, if no
 * header names it, is the first column whose values are nearly all commune codes
 * (`isCommune`: known to the COG when the caller has it, else merely shaped like one).
 */
export function detectListColumns(
  headers: string[],
  sample: Record<string, string>[],
  wanted: { code?: string | undefined; name?: string | undefined; commune?: string | undefined } = {},
  isCommune: (value: string) => boolean = looksLikeCommune,
): ListColumns {
  const taken = new Set<string>();
  let commune = override(headers, wanted.commune, 'commune') ?? pick(headers, COMMUNE_FIELDS, taken);
  if (!commune) {
    const specific = new Set([...CODE_FIELDS, ...NAME_FIELDS].filter((c) => c !== 'code' && c !== 'id'));
    commune =
      headers.find((h) => {
        if (specific.has(foldHeader(h))) return false;
        const values = sample.map((r) => r[h] ?? '').filter((v) => v !== '');
        return values.length > 0 && values.filter(isCommune).length >= 0.9 * values.length;
      }) ?? null;
  }
  if (!commune) {
    throw new PerimeterImportError(
      `Colonne des communes introuvable. Colonnes du fichier : ${headers.join(', ')}. ` +
        `Noms reconnus : ${COMMUNE_FIELDS.slice(0, 8).join(', ')}…`,
    );
  }
  taken.add(commune);
  const code = override(headers, wanted.code, 'code du périmètre') ?? pick(headers, CODE_FIELDS, taken);
  if (code) taken.add(code);
  const name = override(headers, wanted.name, 'nom du périmètre') ?? pick(headers, NAME_FIELDS, taken);
  if (!code && !name) {
    throw new PerimeterImportError(
      `Colonne du code ou du nom du périmètre introuvable. Colonnes du fichier : ${headers.join(', ')}. ` +
        `Noms reconnus : code, code_perimetre, code_cpts… ; nom, nom_perimetre, libelle…`,
    );
  }
  return { code, name, commune };
}

/** Code and name attributes of a polygon file (either may be missing). */
export function detectFeatureFields(
  keys: string[],
  wanted: { code?: string | undefined; name?: string | undefined } = {},
): { code: string | null; name: string | null } {
  const taken = new Set<string>();
  const code = override(keys, wanted.code, 'code du périmètre') ?? pick(keys, CODE_FIELDS, taken);
  if (code) taken.add(code);
  const name = override(keys, wanted.name, 'nom du périmètre') ?? pick(keys, NAME_FIELDS, taken);
  return { code, name };
}

/** A perimeter code as the API accepts it (server/layers.ts codeSchema), or null if nothing is left. */
export function normalisePerimeterCode(raw: string): string | null {
  const code = raw
    .normalize('NFD')
    .replace(/\p{Mn}/gu, '')
    .trim()
    .replace(/[^0-9A-Za-z._-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[^0-9A-Za-z]+/, '')
    .slice(0, 64)
    .replace(/-+$/, '');
  return code || null;
}

/** A code made from a name when the file gives none: "CPTS du Grand Cahors" -> "CPTS-DU-GRAND-CAHORS". */
export function codeFromName(name: string): string | null {
  return normalisePerimeterCode(searchKey(name).toUpperCase().replace(/ /g, '-'));
}

/** Text the database accepts: NUL characters dropped, lone UTF-16 surrogates replaced by U+FFFD. */
export function cleanText(s: string): string {
  return s.replace(/\0/g, '').replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/** Text of an attribute value; numbers as written (a numeric code keeps its digits). */
export function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? '' : v.toISOString().slice(0, 10);
  return cleanText(String(v)).trim();
}
