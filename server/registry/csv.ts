// The registry as CSV (one row per scheme, its communes in one cell) and back, so an
// export re-imported gives the same registry. Pure functions over SchemeRecord. A file
// read back is bounded (REGISTRY_CSV_LIMITS) and each row checked with the rules of the
// API (importedSchemeSchema); every problem is reported with its line, in French.
import { CsvError, parseCsv, type CsvTable } from '../../core/csv/read.ts';
import { REGISTRY_CSV_LIMITS } from '../../core/limits.ts';
import { toCsv } from '../../core/csv/write.ts';
import type { SchemeRecord } from '../../core/queries/registry.ts';
import { importedSchemeSchema } from './schema.ts';

const COLUMNS = [
  { key: 'code', label: 'code' },
  { key: 'type', label: 'type' },
  { key: 'name', label: 'nom' },
  { key: 'bearerType', label: 'porteur_type' },
  { key: 'bearerName', label: 'porteur_nom' },
  { key: 'perimeterRef', label: 'perimetre_reference' },
  { key: 'signatureDate', label: 'date_signature' },
  { key: 'generation', label: 'generation' },
  { key: 'status', label: 'statut' },
  { key: 'endDate', label: 'date_fin' },
  { key: 'coordinationFte', label: 'etp_coordination' },
  { key: 'themes', label: 'thematiques' },
  { key: 'signatories', label: 'signataires' },
  { key: 'source', label: 'source' },
  { key: 'remark', label: 'remarque' },
  { key: 'communes', label: 'communes' },
] as const;

const LIST_SEPARATOR = ' | ';

/** Communes as "46042 46102:0.4" (share after a colon when not whole). */
function communesCell(communes: SchemeRecord['communes']): string {
  return communes.map((c) => (c.share === 1 ? c.code : `${c.code}:${c.share}`)).join(' ');
}

export function registryToCsv(schemes: SchemeRecord[]): string {
  return toCsv(
    // the date of the source is exported for readers; an import takes its own date
    [...COLUMNS.map((c) => ({ key: c.key, label: c.label })), { key: 'sourceDate', label: 'date_source' }],
    schemes.map((s) => ({
      ...s,
      themes: s.themes.join(LIST_SEPARATOR),
      signatories: s.signatories.join(LIST_SEPARATOR),
      communes: communesCell(s.communes),
      coordinationFte: s.coordinationFte,
      generation: s.generation,
    })),
  );
}

/** A cell neutralised against formula injection on export ("'=…") comes back as typed. */
function unescape(cell: string): string {
  return /^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell;
}

export interface RegistryCsvRow {
  line: number;
  record: Omit<SchemeRecord, 'version' | 'region' | 'sourceKind' | 'sourceDate'>;
}

/** At most this many problems are listed: a file wrong on every line needs no ten thousand messages. */
const MAX_ERRORS = 50;

const labelOf = (key: PropertyKey | undefined) => COLUMNS.find((c) => c.key === key)?.label ?? String(key);

export function registryFromCsv(input: string | Uint8Array): { rows: RegistryCsvRow[]; errors: string[] } {
  let table: CsvTable;
  try {
    table = parseCsv(input, REGISTRY_CSV_LIMITS);
  } catch (err) {
    if (err instanceof CsvError) return { rows: [], errors: [`CSV illisible, ${err.message}`] };
    throw err;
  }
  const errors: string[] = [];
  const missing = COLUMNS.filter((c) => !table.header.includes(c.label)).map((c) => c.label);
  if (missing.length) return { rows: [], errors: [`colonnes manquantes : ${missing.join(', ')}`] };
  const rows: RegistryCsvRow[] = [];
  table.rows.forEach((raw, i) => {
    const line = table.lines[i]!;
    const get = (label: string) => unescape(raw[label] ?? '');
    const opt = (label: string) => get(label) || null;
    const num = (label: string) => {
      const v = get(label).replace(',', '.');
      if (!v) return null;
      const n = Number(v);
      if (!Number.isFinite(n)) errors.push(`ligne ${line} : « ${label} » n’est pas un nombre (${get(label)})`);
      return n;
    };
    const list = (label: string) =>
      get(label)
        ? get(label)
            .split(LIST_SEPARATOR)
            .map((s) => s.trim())
        : [];
    const communes = get('communes')
      .split(/\s+/)
      .filter(Boolean)
      .map((token) => {
        const [code, share] = token.split(':');
        return { code: code!, share: share === undefined ? 1 : Number(share) };
      });
    const record = {
      code: get('code'),
      type: get('type'),
      name: get('nom'),
      bearerType: opt('porteur_type'),
      bearerName: opt('porteur_nom'),
      perimeterRef: opt('perimetre_reference'),
      signatureDate: opt('date_signature'),
      generation: num('generation'),
      status: get('statut') || 'en_cours',
      endDate: opt('date_fin'),
      coordinationFte: num('etp_coordination'),
      themes: list('thematiques'),
      signatories: list('signataires'),
      source: opt('source'),
      remark: opt('remarque'),
      communes,
    };
    const checked = importedSchemeSchema.safeParse(record);
    if (!checked.success) {
      for (const issue of checked.error.issues) {
        if (issue.path[0] === 'generation' || issue.path[0] === 'coordinationFte') {
          if (Number.isNaN(record[issue.path[0]])) continue; // already reported as not a number
        }
        errors.push(`ligne ${line} : « ${labelOf(issue.path[0])} » : ${issue.message}`);
      }
    }
    rows.push({ line, record });
  });
  if (errors.length > MAX_ERRORS) {
    const more = errors.length - MAX_ERRORS;
    errors.splice(MAX_ERRORS, more, `… et ${more} autres problèmes`);
  }
  return { rows, errors };
}
