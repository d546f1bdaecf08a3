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
