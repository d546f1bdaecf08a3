// CSV for machines, as French open-data portals and Table Schema validators expect it:
// UTF-8 without byte-order mark, ',' separator, '.' decimals, CRLF, RFC 4180 quoting,
// an empty cell for a missing value. Cells are published as they are in the registry
// (no spreadsheet escaping: that would change the data the schema describes).

export type OpenCell = string | number | null;

export function openCsvCell(value: OpenCell): string {
  if (value === null) return '';
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A CSV whose header is `columns`, in that order. */
export function toOpenCsv(columns: readonly string[], rows: Record<string, OpenCell>[]): string {
  const lines = [columns.map(openCsvCell).join(',')];
  for (const row of rows) lines.push(columns.map((c) => openCsvCell(row[c] ?? null)).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
