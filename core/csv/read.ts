// A small RFC 4180 CSV reader: quoted fields with embedded separators, quotes and
// newlines; ';' or ',' detected from the header line; byte-order mark dropped;
// Latin-1 files detected when the bytes are not valid UTF-8. Rows, columns and field
// length are bounded while reading (core/limits.ts), and every refusal is a
// CsvError carrying the line where the problem starts.
import { CSV_LIMITS, formatCount, type CsvLimits } from '../limits.ts';

export interface CsvTable {
  header: string[];
  rows: Record<string, string>[];
  /** Line of the file where each row starts (a quoted field may span several lines). */
  lines: number[];
  separator: ';' | ',';
  encoding: 'utf-8' | 'latin1';
}

/** A CSV that cannot be read as it is: French message, 1-based line of the problem. */
export class CsvError extends Error {
  override name = 'CsvError';
  constructor(
    readonly reason: string,
    readonly line: number,
  ) {
    super(`ligne ${line} : ${reason}`);
  }
}

export function decodeText(bytes: Uint8Array): { text: string; encoding: 'utf-8' | 'latin1' } {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return { text: text.replace(/^\uFEFF/, ''), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('latin1').decode(bytes), encoding: 'latin1' };
  }
}

function detectSeparator(text: string): ';' | ',' {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const count = (c: string) => firstLine.split(c).length - 1;
  return count(';') > count(',') ? ';' : ',';
}

/** Records with the line each starts on; blank lines are skipped. */
export function parseCsvLines(text: string, separator: string, limits: CsvLimits = CSV_LIMITS): { records: string[][]; lines: number[] } {
  const records: string[][] = [];
  const lines: number[] = [];
  let field = '';
  let record: string[] = [];
  let inQuotes = false;
  let line = 1;
  let recordLine = 1;
  let quoteLine = 1;
  const pushField = () => {
    if (field.length > limits.maxFieldChars) {
      throw new CsvError(`un champ dépasse ${formatCount(limits.maxFieldChars)} caractères (limite par champ)`, recordLine);
    }
    record.push(field);
    if (record.length > limits.maxColumns) {
      throw new CsvError(`plus de ${formatCount(limits.maxColumns)} colonnes (limite par ligne)`, recordLine);
    }
    field = '';
  };
  const pushRecord = () => {
    if (!(record.length === 1 && record[0] === '')) {
      // the header is one more record than the data rows
      if (records.length > limits.maxRows) {
        throw new CsvError(`plus de ${formatCount(limits.maxRows)} lignes de données (limite du fichier)`, recordLine);
      }
      records.push(record);
      lines.push(recordLine);
    }
    record = [];
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\0') throw new CsvError('caractère nul (fichier binaire, ou enregistré en UTF-16 ?)', line);
    if (inQuotes) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        inQuotes = false;
      } else {
        if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) line++;
        field += c;
        if (field.length > limits.maxFieldChars) {
          throw new CsvError(`un champ dépasse ${formatCount(limits.maxFieldChars)} caractères (limite par champ)`, recordLine);
        }
      }
      i++;
      continue;
    }
    if (c === '"' && field === '') {
      inQuotes = true;
      quoteLine = line;
    } else if (c === separator) {
      pushField();
    } else if (c === '\n' || c === '\r') {
      pushField();
      pushRecord();
      if (c === '\r' && text[i + 1] === '\n') i++;
      line++;
      recordLine = line;
    } else {
      field += c;
      if (field.length > limits.maxFieldChars) {
        throw new CsvError(`un champ dépasse ${formatCount(limits.maxFieldChars)} caractères (limite par champ)`, recordLine);
      }
    }
    i++;
  }
  if (inQuotes) throw new CsvError('guillemet ouvert jamais refermé (jusqu’à la fin du fichier)', quoteLine);
  if (field !== '' || record.length > 0) {
    pushField();
    pushRecord();
  }
  return { records, lines };
}

export function parseCsvRecords(text: string, separator: string, limits: CsvLimits = CSV_LIMITS): string[][] {
  return parseCsvLines(text, separator, limits).records;
}

export function parseCsv(input: string | Uint8Array, limits: CsvLimits = CSV_LIMITS): CsvTable {
  const { text, encoding } =
    typeof input === 'string' ? { text: input.replace(/^\uFEFF/, ''), encoding: 'utf-8' as const } : decodeText(input);
  const separator = detectSeparator(text);
  const { records, lines } = parseCsvLines(text, separator, limits);
  const [header = [], ...data] = records;
  const names = header.map((h) => h.trim());
  const rows = data.map((values) => Object.fromEntries(names.map((name, k) => [name, (values[k] ?? '').trim()])));
  return { header: names, rows, lines: lines.slice(1), separator, encoding };
}
