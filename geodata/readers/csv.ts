// A small RFC 4180 CSV reader: quoted fields with embedded separators, quotes and
// newlines; ';' or ',' detected from the header line; byte-order mark dropped;
// Latin-1 files detected when the bytes are not valid UTF-8.

export interface CsvTable {
  header: string[];
  rows: Record<string, string>[];
  separator: ';' | ',';
  encoding: 'utf-8' | 'latin1';
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

export function parseCsvRecords(text: string, separator: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let inQuotes = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (inQuotes) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        inQuotes = false;
      } else {
        field += c;
      }
      i++;
      continue;
    }
    if (c === '"' && field === '') {
      inQuotes = true;
    } else if (c === separator) {
      record.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      if (c === '\r' && text[i + 1] === '\n') i++;
    } else {
      field += c;
    }
    i++;
  }
  if (inQuotes) throw new Error('guillemet non fermé en fin de fichier');
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records.filter((r) => !(r.length === 1 && r[0] === ''));
}

export function parseCsv(input: string | Uint8Array): CsvTable {
  const { text, encoding } =
    typeof input === 'string' ? { text: input.replace(/^\uFEFF/, ''), encoding: 'utf-8' as const } : decodeText(input);
  const separator = detectSeparator(text);
  const [header = [], ...records] = parseCsvRecords(text, separator);
  const names = header.map((h) => h.trim());
  const rows = records.map((values) => Object.fromEntries(names.map((name, k) => [name, (values[k] ?? '').trim()])));
  return { header: names, rows, separator, encoding };
}
