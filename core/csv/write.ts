// CSV for spreadsheet users: UTF-8 with a byte-order mark, ';' separator, CRLF, and no
// cell a spreadsheet would execute (formula injection: = + - @ tab CR at the start).

export type Cell = string | number | boolean | null | undefined;

/** A cell starting so would be run as a formula by a spreadsheet. */
export const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: Cell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') {
    // Numbers stay numbers (a negative figure is data, not a formula), in French notation.
    return Number.isFinite(value) ? String(value).replace('.', ',') : '';
  }
  let text = String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[";\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(columns: { key: string; label: string }[], rows: Record<string, Cell>[]): string {
  const lines = [columns.map((c) => csvCell(c.label)).join(';')];
  for (const row of rows) lines.push(columns.map((c) => csvCell(row[c.key])).join(';'));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** The first lines of a CSV answer: what it is, so a file read alone is not misread. */
export function csvPreamble(lines: (string | null | undefined)[]): string {
  return lines
    .filter((l): l is string => !!l)
    .map((l) => `# ${l.replace(/[\r\n]+/g, ' ')}`)
    .join('\r\n');
}

/** Puts the preamble after the byte-order mark of a CSV made by toCsv. */
export function withPreamble(csv: string, lines: (string | null | undefined)[]): string {
  const head = csvPreamble(lines);
  if (!head) return csv;
  return csv.startsWith('\uFEFF') ? `\uFEFF${head}\r\n${csv.slice(1)}` : `${head}\r\n${csv}`;
}

/** What an analysis CSV says of itself before its table. */
export interface AnalysisHeader {
  title: string;
  /** The request that produced it ("GET /api/gaps?layer=cls&within=departement:63&format=csv"). */
  query: string;
  /** "France entière" or "Puy-de-Dôme (departement:63)". */
  zone: string;
  /** The inventory wording; null for a reference layer (nothing to inventory). */
  inventory: string | null;
  fiction: string | null;
  /** "Communes : COG 2025 ; CLS… : 2023-2024". */
  vintage: string;
}

/** An analysis CSV: its header lines (query, zone, inventory status, fiction, vintage), then the table. */
export function analysisCsv(header: AnalysisHeader, columns: { key: string; label: string }[], rows: Record<string, Cell>[]): string {
  return withPreamble(toCsv(columns, rows), [
    header.title,
    `zone : ${header.zone}`,
    `état du registre : ${header.inventory ?? 'sans objet (couche de référence, pas de recensement)'}`,
    header.fiction ? `données fictives : ${header.fiction}` : 'données fictives : aucune comptée',
    `requête : ${header.query}`,
    `millésime des données : ${header.vintage}`,
  ]);
}
