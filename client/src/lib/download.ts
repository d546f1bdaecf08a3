// Exports the server does not offer (entanglement, QPV without ASV or CLS) made in the
// browser from the figures shown, with the server's own CSV writer (same separator,
// BOM and formula guard as every other export).
import { toCsv, type Cell } from '../../../server/export/csv.ts';

export function downloadCsv(filename: string, columns: { key: string; label: string }[], rows: Record<string, Cell>[]): void {
  const url = URL.createObjectURL(new Blob([toCsv(columns, rows)], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
