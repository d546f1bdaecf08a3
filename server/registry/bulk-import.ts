// Bulk scheme import from an ARS spreadsheet (CSV, ';' or ',', UTF-8 or Latin-1): one row
// per scheme with its perimeter as a list of commune or EPCI codes or names, or one row
// per (scheme, commune). Names are resolved within the file's scope (a département or a
// région) and an ambiguous name is reported, never guessed. Schemes merge by identifier;
// every row ends created, updated, unchanged or rejected, with the reason.
// The pure parts (reading, grouping, resolving names, comparing) come first and are
// unit-tested; `planBulkImport` / `applyBulkImport` talk to the database.
// Length: the pure steps of one import kept in reading order (parse, group, resolve, compare, plan).
import { parseCsv } from '../../core/csv/read.ts';
import type { SessionUser } from '../../contract/permissions.ts';
import type { Queryable } from '../../core/db/db.ts';
import { HttpError } from '../errors.ts';
import {
  addHistory,
  getScheme,
  insertScheme,
  replaceCommunes,
  resolvePerimeter,
  setProvenance,
  updateScheme,
  type SchemeFields,
  type SchemeRecord,
} from '../../core/queries/registry.ts';
import { majorityRegions, scopeCandidates, type NameCandidate } from '../queries/scheme-import.ts';
import { searchKey } from '../../core/search-key.ts';
import { materializeSchemes } from '../../core/registry/materialize.ts';
import { SCHEME_TYPES, STATUSES } from '../../contract/domain.ts';
import { actsInRegion } from './scope.ts';

export type Field =
  'id' | 'type' | 'name' | 'bearerName' | 'bearerType' | 'signatureDate' | 'endDate' | 'fte' | 'status' | 'perimeter' | 'commune';

/** Column names accepted for each field, compared folded ("Date de signature" = "date_signature"). */
const ALIASES: Record<Field, string[]> = {
  id: ['identifiant', 'id', 'code', 'code demarche', 'identifiant demarche', 'numero'],
  type: ['type', 'type demarche', 'dispositif'],
  name: ['nom', 'nom demarche', 'intitule', 'libelle'],
  bearerName: ['porteur', 'porteur nom', 'nom porteur', 'structure porteuse'],
  bearerType: ['porteur type', 'type porteur', 'type de porteur'],
  signatureDate: ['date signature', 'date de signature', 'date debut', 'debut'],
  endDate: ['date fin', 'date de fin', 'fin'],
  fte: ['etp coordination', 'etp de coordination', 'etp'],
  status: ['statut'],
  perimeter: ['perimetre', 'communes', 'liste communes', 'perimetre communes', 'codes', 'territoire'],
  commune: ['commune', 'code commune', 'code insee', 'insee', 'nom commune'],
};

export interface SheetRow {
  line: number;
  values: Partial<Record<Field, string>>;
}

export interface Sheet {
  layout: 'scheme' | 'commune';
  rows: SheetRow[];
  encoding: string;
  separator: string;
}

const fold = (s: string) => searchKey(s.replace(/_/g, ' '));

/** Reads the spreadsheet and maps its columns; throws a French 422 when it cannot be read. */
export function readSheet(input: Uint8Array | string): Sheet {
  let table;
  try {
    table = parseCsv(input);
  } catch (err) {
    throw new HttpError(422, `Fichier CSV illisible : ${(err as Error).message}.`);
  }
  const columns = new Map<Field, string>();
  for (const header of table.header) {
    const key = fold(header);
    for (const [field, names] of Object.entries(ALIASES) as [Field, string[]][]) {
      if (!columns.has(field) && names.includes(key)) columns.set(field, header);
    }
  }
  const missing = (['id', 'type', 'name'] as Field[]).filter((f) => !columns.has(f)).map((f) => ALIASES[f][0]);
  if (!columns.has('perimeter') && !columns.has('commune')) missing.push('perimetre (ou commune)');
  if (missing.length) {
    throw new HttpError(422, `Colonnes manquantes : ${missing.join(', ')}. Colonnes lues : ${table.header.join(', ')}.`, { missing });
  }
  const rows = table.rows.map((raw, i) => ({
    line: i + 2,
    values: Object.fromEntries([...columns].map(([field, header]) => [field, (raw[header] ?? '').trim()])) as SheetRow['values'],
  }));
  return { layout: columns.has('perimeter') ? 'scheme' : 'commune', rows, encoding: table.encoding, separator: table.separator };
}

/** The items of a perimeter cell: "46042 | Figeac, 200023737". */
export function splitPerimeter(cell: string): string[] {
  return cell
    .split(/[|;,\n]+/)
    .map((t) => t.trim())
    .filter(Boolean);
}

export type Token = { kind: 'commune'; code: string } | { kind: 'epci'; code: string } | { kind: 'name'; name: string };

export function classifyToken(token: string): Token {
  const t = token.trim();
  if (/^(\d{5}|2[AB]\d{3})$/i.test(t)) return { kind: 'commune', code: t.toUpperCase() };
  if (/^\d{9}$/.test(t)) return { kind: 'epci', code: t };
  return { kind: 'name', name: t };
}

export interface ResolvedName {
  name: string;
  match: NameCandidate | null;
  /** Several communes or EPCI of the scope carry this name. */
  ambiguous: NameCandidate[];
}

/** A name to one commune or EPCI of the scope, or none, or the homonyms — never a guess. */
export function resolveName(name: string, candidates: NameCandidate[]): ResolvedName {
  const key = searchKey(name);
  const found = candidates.filter((c) => c.key === key);
  if (found.length === 1) return { name, match: found[0]!, ambiguous: [] };
  return { name, match: null, ambiguous: found.length > 1 ? found : [] };
}

export interface IncomingScheme {
  code: string;
  lines: number[];
  fields: Pick<SchemeFields, 'type' | 'name' | 'bearerName' | 'bearerType' | 'signatureDate' | 'endDate' | 'coordinationFte' | 'status'>;
  tokens: string[];
  errors: string[];
}

const DATE = /^\d{4}(-\d{2}(-\d{2})?)?$/;

/** "12/03/2019" → "2019-03-12"; ISO kept; anything else null with an error. */
export function normaliseDate(v: string): string | null | undefined {
  if (!v) return null;
  const fr = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(v);
  if (fr) return `${fr[3]}-${fr[2]!.padStart(2, '0')}-${fr[1]!.padStart(2, '0')}`;
  return DATE.test(v) ? v : undefined;
}

/** Rows grouped by scheme identifier, each field checked; a conflicting repetition is an error. */
export function groupSchemes(sheet: Sheet): IncomingScheme[] {
  const byCode = new Map<string, IncomingScheme>();
  const orphans: IncomingScheme[] = [];
  for (const row of sheet.rows) {
    const v = row.values;
    const code = (v.id ?? '').trim();
    const errors: string[] = [];
    if (!/^[0-9A-Za-z][0-9A-Za-z._-]{0,63}$/.test(code)) errors.push(`identifiant invalide « ${code} »`);
    const type = (v.type ?? '').toUpperCase();
    if (!(SCHEME_TYPES as readonly string[]).includes(type)) errors.push(`type « ${v.type ?? ''} » (attendu : ${SCHEME_TYPES.join(', ')})`);
    const name = v.name ?? '';
    if (name.length < 3 || name.length > 200) errors.push('nom manquant ou trop long');
    const dates = { signatureDate: normaliseDate(v.signatureDate ?? ''), endDate: normaliseDate(v.endDate ?? '') };
    for (const [k, d] of Object.entries(dates))
      if (d === undefined) errors.push(`date invalide « ${v[k as Field]} » (AAAA-MM-JJ ou JJ/MM/AAAA)`);
    const fteText = (v.fte ?? '').replace(',', '.');
    const fte = fteText ? Number(fteText) : null;
    if (fte !== null && !(Number.isFinite(fte) && fte >= 0 && fte <= 50)) errors.push(`ETP de coordination invalide « ${v.fte} »`);
    const status = v.status
      ? v.status
          .toLowerCase()
          .replace(/[ -]/g, '_')
          .normalize('NFD')
          .replace(/\p{Mn}/gu, '')
      : 'en_cours';
    if (!(STATUSES as readonly string[]).includes(status)) errors.push(`statut « ${v.status} » (attendu : ${STATUSES.join(', ')})`);
    const fields: IncomingScheme['fields'] = {
      type,
      name,
      bearerName: v.bearerName || null,
      bearerType: v.bearerType ? v.bearerType.toUpperCase() : null,
      signatureDate: dates.signatureDate ?? null,
      endDate: dates.endDate ?? null,
      coordinationFte: fte,
      status,
    };
    const tokens = sheet.layout === 'scheme' ? splitPerimeter(v.perimeter ?? '') : v.commune ? [v.commune] : [];
    if (!tokens.length) errors.push('périmètre vide');
    const existing = code ? byCode.get(code) : undefined;
    if (!existing) {
      const item = { code, lines: [row.line], fields, tokens, errors };
      if (code) byCode.set(code, item);
      else orphans.push(item);
      continue;
    }
    existing.lines.push(row.line);
    existing.errors.push(...errors.map((e) => `ligne ${row.line} : ${e}`));
    if (sheet.layout === 'scheme') existing.errors.push(`identifiant « ${code} » en double (ligne ${row.line})`);
    else {
      const differs = (Object.keys(fields) as (keyof typeof fields)[]).filter(
        (k) => fields[k] !== null && fields[k] !== existing.fields[k],
      );
      if (differs.length) existing.errors.push(`ligne ${row.line} : ${differs.join(', ')} diffère(nt) des lignes précédentes`);
      existing.tokens.push(...tokens);
    }
  }
  return [...byCode.values(), ...orphans];
}

type Comparable = Pick<SchemeRecord, keyof IncomingScheme['fields'] | 'communes'>;

/** Whether an incoming scheme changes anything of the stored one. */
export function schemeChanged(stored: Comparable, incoming: Comparable): boolean {
  const keys: (keyof IncomingScheme['fields'])[] = [
    'type',
    'name',
    'bearerName',
    'bearerType',
    'signatureDate',
    'endDate',
    'coordinationFte',
    'status',
  ];
  if (keys.some((k) => (stored[k] ?? null) !== (incoming[k] ?? null))) return true;
  const a = stored.communes.map((c) => `${c.code}:${c.share}`).sort();
  const b = incoming.communes.map((c) => `${c.code}:${c.share}`).sort();
  return a.join(' ') !== b.join(' ');
}

// ---------------------------------------------------------------- database side

export interface ImportScope {
  kind: 'region' | 'departement';
  code: string;
}

export type Outcome = 'created' | 'updated' | 'unchanged' | 'rejected';

export interface PlannedScheme {
  code: string;
  name: string;
  lines: number[];
  outcome: Outcome;
  reasons: string[];
  communeCount: number;
  rekeyed: { from: string; to: string }[];
  names: { name: string; code: string; kind: 'commune' | 'epci' }[];
  ambiguous: { name: string; candidates: { code: string; name: string; kind: 'commune' | 'epci' }[] }[];
  unknown: string[];
  region: string | null;
  /** Internal: what will be written. */
  members: { code: string; share: number }[];
  fields: IncomingScheme['fields'];
}

export interface ImportReport {
  scope: ImportScope;
  layout: Sheet['layout'];
  encoding: string;
  counts: Record<Outcome, number>;
  schemes: Omit<PlannedScheme, 'members' | 'fields'>[];
}

/** The import a user asks for, every row decided; nothing written. */
export async function planBulkImport(
  tx: Queryable,
  user: SessionUser,
  scope: ImportScope,
  sheet: Sheet,
  scopeRegion: string,
): Promise<PlannedScheme[]> {
  const candidates = await scopeCandidates(tx, scope.kind, scope.code);
  const planned: PlannedScheme[] = [];
  for (const item of groupSchemes(sheet)) {
    const p: PlannedScheme = {
      code: item.code,
      name: item.fields.name,
      lines: item.lines,
      outcome: 'rejected',
      reasons: [...item.errors],
      communeCount: 0,
      rekeyed: [],
      names: [],
      ambiguous: [],
      unknown: [],
      region: null,
      members: [],
      fields: item.fields,
    };
    planned.push(p);
    const communes: string[] = [];
    const epci: string[] = [];
    for (const token of item.tokens.map(classifyToken)) {
      if (token.kind === 'commune') communes.push(token.code);
      else if (token.kind === 'epci') epci.push(token.code);
      else {
        const r = resolveName(token.name, candidates);
        if (r.match) {
          (r.match.kind === 'commune' ? communes : epci).push(r.match.code);
          p.names.push({ name: token.name, code: r.match.code, kind: r.match.kind });
        } else if (r.ambiguous.length) {
          p.ambiguous.push({ name: token.name, candidates: r.ambiguous.map(({ code, name, kind }) => ({ code, name, kind })) });
        } else p.unknown.push(token.name);
      }
    }
    const resolved = await resolvePerimeter(tx, { communes, groups: epci.map((code) => ({ layer: 'epci', code })) });
    p.unknown.push(...resolved.unknown.map((u) => u.replace(/^epci:/, '')));
    p.rekeyed = resolved.rekeyed;
    p.members = resolved.members;
    p.communeCount = resolved.members.length;
    if (p.ambiguous.length)
      p.reasons.push(
        `nom(s) ambigu(s) dans la zone : ${p.ambiguous.map((a) => `« ${a.name} » (${a.candidates.map((c) => c.code).join(', ')})`).join(' ; ')}`,
      );
    if (p.unknown.length) p.reasons.push(`code(s) ou nom(s) inconnu(s) dans la zone : ${p.unknown.join(', ')}`);
  }
  const regions = await majorityRegions(
    tx,
    planned.filter((p) => p.members.length).map((p) => ({ code: p.code, members: p.members })),
  );
  for (const p of planned) {
    p.region = regions.get(p.code) ?? null;
    if (p.members.length && p.region !== scopeRegion)
      p.reasons.push(`périmètre situé surtout hors de la zone du fichier (région ${p.region})`);
    if (p.reasons.length) continue;
    const stored = await getScheme(tx, p.code);
    if (stored && !actsInRegion(user, stored.region)) {
      p.reasons.push(`la démarche existante « ${p.code} » relève de la région ${stored.region ?? 'inconnue'}, hors de votre périmètre`);
      continue;
    }
    if (!actsInRegion(user, p.region)) {
      p.reasons.push(`périmètre situé surtout dans la région ${p.region}, hors de votre périmètre`);
      continue;
    }
    p.outcome = !stored ? 'created' : schemeChanged(stored, { ...p.fields, communes: p.members }) ? 'updated' : 'unchanged';
  }
  return planned;
}

export function reportOf(scope: ImportScope, sheet: Sheet, planned: PlannedScheme[]): ImportReport {
  const counts: Record<Outcome, number> = { created: 0, updated: 0, unchanged: 0, rejected: 0 };
  for (const p of planned) counts[p.outcome]++;
  return {
    scope,
    layout: sheet.layout,
    encoding: sheet.encoding,
    counts,
    schemes: planned.map(({ members: _m, fields: _f, ...rest }) => rest),
  };
}

/** Writes the created and updated schemes of a plan, with history and provenance. */
export async function applyBulkImport(tx: Queryable, user: SessionUser, planned: PlannedScheme[], fileName: string): Promise<string[]> {
  const source = `Import du fichier « ${fileName} » par ${user.name}`;
  const written: string[] = [];
  for (const p of planned) {
    if (p.outcome !== 'created' && p.outcome !== 'updated') continue;
    const before = await getScheme(tx, p.code, true);
    const base = { themes: [], signatories: [], remark: null, perimeterRef: null, generation: null, ...(before ?? {}) };
    const fields: SchemeFields = {
      code: p.code,
      type: p.fields.type,
      name: p.fields.name,
      bearerType: p.fields.bearerType,
      bearerName: p.fields.bearerName,
      perimeterRef: null,
      signatureDate: p.fields.signatureDate,
      generation: base.generation,
      status: p.fields.status,
      endDate: p.fields.endDate,
      coordinationFte: p.fields.coordinationFte,
      themes: base.themes,
      signatories: base.signatories,
      source,
      remark: base.remark,
    };
    if (before) {
      if (!(await updateScheme(tx, fields, before.version)))
        throw new HttpError(409, `La démarche « ${p.code} » a changé pendant l’import : recommencez.`);
    } else await insertScheme(tx, fields, { kind: 'import' });
    await replaceCommunes(tx, p.code, p.members);
    await setProvenance(tx, p.code, source, { kind: 'import' });
    const after = await getScheme(tx, p.code);
    await addHistory(tx, {
      scheme: p.code,
      version: after!.version,
      userId: user.id,
      userEmail: user.email,
      action: `import « ${fileName} »`,
      before,
      after,
    });
    written.push(p.code);
  }
  if (written.length) await materializeSchemes(tx, 'atlas', written);
  return written;
}

/**
 * The registry CSV import's scope rule: an admin imports for the country; a planner only
 * schemes lying mostly in their région, and never replaces one of another région.
 */
export async function assertSchemesInRegion(
  tx: Queryable,
  user: SessionUser,
  items: { code: string; communes: { code: string; share: number }[] }[],
): Promise<void> {
  if (user.role === 'admin') return;
  const regions = await majorityRegions(
    tx,
    items.map((i) => ({ code: i.code, members: i.communes })),
  );
  const outside: string[] = [];
  for (const i of items) {
    const stored = await getScheme(tx, i.code);
    if (!actsInRegion(user, regions.get(i.code) ?? null) || (stored && !actsInRegion(user, stored.region))) outside.push(i.code);
  }
  if (outside.length) {
    throw new HttpError(
      403,
      `Vous ne pouvez importer que des démarches de votre région (${user.region ?? 'aucune'}) : ${outside.join(', ')} hors de votre périmètre. Rien n’a été modifié.`,
      { outside },
    );
  }
}
