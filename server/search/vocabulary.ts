// The words of every indexed name, sorted, each with the documents holding it. A typed
// word is looked up by binary search: the words it starts are one contiguous range, whose
// size is read from running totals (a search starts from its rarest word). The documents
// of a large range are merged once, in document order, and kept: documents are numbered
// from the most to the least populous, so a search can stop reading once no remaining
// document can enter its results. Near-misses are found by walking the sorted words as a
// trie, one distance row per letter, leaving a whole branch as soon as it is out of reach:
// the same answers as comparing every word with boundedDistance, for a few hundred rows.
import { typoBudget } from './typo.ts';

/** Ranges larger than this are merged and kept rather than read word by word. */
const MERGE_FROM = 256;

export class Vocabulary {
  /** Every distinct word, sorted. */
  readonly words: string[];
  /** Documents holding each word (ascending ids). */
  readonly postings: Int32Array[];
  /** Documents held by words[0..i): the size of a range without walking it. */
  private readonly before: Float64Array;
  private readonly merged = new Map<string, Int32Array>();

  constructor(docWords: readonly (readonly string[])[]) {
    const lists = new Map<string, number[]>();
    docWords.forEach((words, doc) => {
      for (const w of new Set(words)) {
        const list = lists.get(w);
        if (list) list.push(doc);
        else lists.set(w, [doc]);
      }
    });
    this.words = [...lists.keys()].sort();
    this.postings = this.words.map((w) => Int32Array.from(lists.get(w)!));
    this.before = new Float64Array(this.words.length + 1);
    this.words.forEach((_, i) => (this.before[i + 1] = this.before[i]! + this.postings[i]!.length));
  }

  private firstAtLeast(p: string, lo = 0): number {
    let hi = this.words.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.words[mid]! < p) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The range [from, to) of the words starting with prefix (not empty). */
  prefixRange(prefix: string): [number, number] {
    const from = this.firstAtLeast(prefix);
    // past every word starting with prefix: prefix with its last letter raised
    const next = prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
    return [from, this.firstAtLeast(next, from)];
  }

  /** The first word after k not starting with the first len letters of words[k] (galloping: branches are mostly small). */
  private branchEnd(k: number, len: number): number {
    const prefix = this.words[k]!.slice(0, len);
    const n = this.words.length;
    let lo = k; // starts with prefix
    let step = 1;
    while (lo + step < n && this.words[lo + step]!.startsWith(prefix)) {
      lo += step;
      step *= 2;
    }
    let hi = Math.min(n, lo + step); // does not start with prefix (or the end)
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (this.words[mid]!.startsWith(prefix)) lo = mid;
      else hi = mid;
    }
    return hi;
  }

  has(word: string): boolean {
    return this.words[this.firstAtLeast(word)] === word;
  }

  /** How many (word, document) pairs a range holds: an upper bound of its documents. */
  rangeSize([from, to]: [number, number]): number {
    return this.before[to]! - this.before[from]!;
  }

  /** The documents of the words starting with prefix, each once, ascending; null for a small range (read it directly). */
  mergedDocs(prefix: string, range: [number, number]): Int32Array | null {
    if (this.rangeSize(range) <= MERGE_FROM) return null;
    let docs = this.merged.get(prefix);
    if (!docs) {
      const all = new Int32Array(this.rangeSize(range));
      let n = 0;
      for (let i = range[0]; i < range[1]; i++) for (const d of this.postings[i]!) all[n++] = d;
      all.sort();
      let m = 0;
      for (let i = 0; i < n; i++) if (i === 0 || all[i] !== all[i - 1]) all[m++] = all[i]!;
      docs = all.slice(0, m);
      this.merged.set(prefix, docs);
    }
    return docs;
  }

  /**
   * Ranges of the words a typo away from word or from their start, outside the range word
   * starts (see typoOf: one of the first two letters right, distance to the word's length).
   */
  near(word: string, max = typoBudget(word)): [number, number][] {
    const out: [number, number][] = [];
    if (max === 0) return out;
    const n = word.length;
    const a = Array.from(word, (c) => c.charCodeAt(0));
    // rows[i][j]: distance between the first i letters of the vocabulary word and the first j of word
    // only the band |i - j| <= max is computed: cells outside it are out of reach (max + 1)
    const far = max + 1;
    const rows = Array.from({ length: n + 1 }, () => new Int32Array(n + 2).fill(far));
    for (let j = 0; j <= Math.min(n, max); j++) rows[0]![j] = j;
    let k = 0;
    let prev = '';
    let valid = 0; // rows[1..valid] hold the letters prev shares with the current word
    while (k < this.words.length) {
      const v = this.words[k]!;
      let common = 0;
      const limit = Math.min(valid, v.length, prev.length);
      while (common < limit && v.charCodeAt(common) === prev.charCodeAt(common)) common++;
      const depth = Math.min(v.length, n);
      let cut = -1; // a prefix length no word can extend into a match
      for (let i = common + 1; i <= depth; i++) {
        const r = rows[i]!;
        const p = rows[i - 1]!;
        const vi = v.charCodeAt(i - 1);
        const lo = Math.max(1, i - max);
        const hi = Math.min(n, i + max);
        r[0] = i <= max ? i : far;
        r[lo - 1] = lo === 1 ? r[0] : far;
        let rowMin = lo === 1 ? r[0] : far;
        for (let j = lo; j <= hi; j++) {
          let d = Math.min(p[j]! + 1, r[j - 1]! + 1, p[j - 1]! + (vi === a[j - 1] ? 0 : 1));
          if (i > 1 && j > 1 && vi === a[j - 2] && v.charCodeAt(i - 2) === a[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
          r[j] = d > far ? far : d;
          if (d < rowMin) rowMin = d;
        }
        r[hi + 1] = far;
        valid = i;
        if (rowMin > max || (i === 2 && v.charCodeAt(0) !== a[0] && v.charCodeAt(1) !== a[1])) {
          cut = i;
          break;
        }
      }
      valid = Math.min(valid, cut === -1 ? depth : cut);
      prev = v;
      if (cut !== -1) {
        k = this.branchEnd(k, cut);
        continue;
      }
      if (v.length >= n) {
        // every word sharing these n letters is the same head: all of them, or none
        const end = this.branchEnd(k, n);
        if (rows[n]![n]! <= max && !v.startsWith(word)) out.push([k, end]);
        k = end;
        continue;
      }
      // a word shorter than the one typed: compared whole (one letter long: its second is missing)
      if (n - v.length <= max && rows[v.length]![n]! <= max && (v.length > 1 || v.charCodeAt(0) === a[0])) out.push([k, k + 1]);
      k++;
    }
    return out;
  }
}
