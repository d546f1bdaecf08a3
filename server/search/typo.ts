// Typo tolerance for search words: the optimal string alignment distance (Damerau–
// Levenshtein with adjacent transpositions), bounded so a hopeless pair stops early.
// The three rows are kept between calls: a fuzzy search compares a word with thousands
// of vocabulary words, and allocating rows for each showed in its time.

let rows = [new Int32Array(32), new Int32Array(32), new Int32Array(32)];

/** Distance between a and b, or max + 1 as soon as it is known to exceed max. */
export function boundedDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const n = b.length;
  if (rows[0]!.length <= n) rows = [new Int32Array(n + 1), new Int32Array(n + 1), new Int32Array(n + 1)];
  let [prev2, prev, cur] = rows as [Int32Array, Int32Array, Int32Array];
  for (let j = 0; j <= n; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    const ai = a.charCodeAt(i - 1);
    for (let j = 1; j <= n; j++) {
      const bj = b.charCodeAt(j - 1);
      const cost = ai === bj ? 0 : 1;
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === bj) d = Math.min(d, prev2[j - 2]! + 1);
      cur[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[n]!;
}

/** How many typos a typed word of this length may carry. */
export function typoBudget(word: string): number {
  if (word.length >= 8) return 2;
  if (word.length >= 4) return 1;
  return 0;
}

/**
 * Whether word, typed, is a typo of the start of name word w (or of w whole). A typo
 * rarely hits both first letters: one of them must be right, which also lets the
 * vocabulary look only at the words sharing the first or the second letter.
 */
export function typoOf(word: string, w: string, max = typoBudget(word)): boolean {
  if (max === 0 || (w[0] !== word[0] && w[1] !== word[1])) return false;
  return boundedDistance(word, w.length > word.length ? w.slice(0, word.length) : w, max) <= max;
}
