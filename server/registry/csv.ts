// The registry as CSV (one row per scheme, its communes in one cell) and back, so an
// export re-imported gives the same registry. Pure functions over SchemeRecord.
import { parseCsv } from '../../geodata/readers/csv.ts';
import { toCsv } from '../export/csv.ts';
import type { SchemeRecord } from '../queries/registry.ts';

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

export function registryFromCsv(input: string | Uint8Array): { rows: RegistryCsvRow[]; errors: string[] } {
  const table = parseCsv(input);
  const errors: string[] = [];
  const missing = COLUMNS.filter((c) => !table.header.includes(c.label)).map((c) => c.label);
  if (missing.length) return { rows: [], errors: [`colonnes manquantes : ${missing.join(', ')}`] };
  const rows: RegistryCsvRow[] = [];
  table.rows.forEach((raw, i) => {
    const line = i + 2;
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
    rows.push({
      line,
      record: {
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
      },
    });
  });
  return { rows, errors };
}
