// The compare view's two tables, legible for up to 8 perimeters, from the API's answer:
// the parts as a pattern matrix (one row per membership pattern — who covers which
// communes — with a mark per perimeter, grouped by pattern and sorted by population)
// and the pairwise alignments as a small lower triangle. Pure.
import type { ComparePart, Comparison } from './api.ts';

export interface PatternRow {
  /** Position of the part in the answer: its colour on the map is `colors[index]`. */
  index: number;
  part: ComparePart;
  /** One mark per perimeter, in the order of the comparison. */
  marks: { key: string; inside: boolean }[];
}

/** The parts, grouped by identical pattern (a pattern's part of unknown share right after
 *  its known part), the groups sorted by known population, largest first; groups with no
 *  known figure last, by number of communes. */
export function patternRows(c: Pick<Comparison, 'perimeters' | 'parts'>): PatternRow[] {
  const keys = c.perimeters.map((p) => p.key);
  const groups = new Map<string, PatternRow[]>();
  c.parts.forEach((part, index) => {
    const id = keys.map((k) => (part.members.includes(k) ? k : '-')).join('');
    const row = { index, part, marks: keys.map((key) => ({ key, inside: part.members.includes(key) })) };
    groups.set(id, [...(groups.get(id) ?? []), row]);
  });
  const known = (rows: PatternRow[]) => rows.some((r) => !r.part.unknownShare);
  const population = (rows: PatternRow[]) => rows.reduce((s, r) => s + (r.part.population ?? 0), 0);
  const communes = (rows: PatternRow[]) => rows.reduce((s, r) => s + r.part.communeCount, 0);
  return [...groups.values()]
    .map((rows) => rows.sort((a, b) => Number(a.part.unknownShare) - Number(b.part.unknownShare)))
    .sort(
      (a, b) =>
        Number(known(b)) - Number(known(a)) || population(b) - population(a) || communes(b) - communes(a) || a[0]!.index - b[0]!.index,
    )
    .flat();
}

export interface AlignmentCell {
  a: string;
  b: string;
  alignment: number | null;
  reason: string | null;
}

/** The alignments as a lower triangle: rows B..H, columns A..G, cell (row, col) for the
 *  pair (col, row); null above the diagonal. */
export function alignmentTriangle(c: Pick<Comparison, 'perimeters' | 'alignments'>): {
  columns: string[];
  rows: { key: string; cells: (AlignmentCell | null)[] }[];
} {
  const keys = c.perimeters.map((p) => p.key);
  const find = (x: string, y: string) => c.alignments.find((p) => (p.a === x && p.b === y) || (p.a === y && p.b === x));
  const columns = keys.slice(0, -1);
  const rows = keys.slice(1).map((key, r) => ({
    key,
    cells: columns.map((col, j) => {
      if (j > r) return null;
      const pair = find(col, key);
      return pair ? { a: col, b: key, alignment: pair.alignment, reason: pair.reason } : null;
    }),
  }));
  return { columns, rows };
}
