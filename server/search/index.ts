// The search index: every territory, perimeter and scheme with its name words, its
// other names (communes déléguées and associées) and former codes, held in memory and
// rebuilt when the data changes. Matching is pure and the same on both databases:
// every word of the query is a prefix of a word of the name (any order, typos tolerated
// when nothing matches exactly), layer words restrict or boost their layer, and the
// ranking weighs how well the name matches against how many people live there, so
// "evry" finds Évry-Courcouronnes (66,919 inhabitants) before Évry (Yonne, 402).
// Every entry knows the départements and régions it lies in, so a search can be kept to
// a planner's région without a query to the database.
// Length: one class, because every step of a search shares its per-search scratch arrays.
//
// Lookups go through a sorted vocabulary (vocabulary.ts): a search starts from the
// documents of its rarest word, scores them without allocating, and keeps the best
// `limit` (top.ts). Ties are broken by name (French collation), then by layer and code,
// and an entry reached with the same score by its name and by another name says it was
// reached by its name: the answer never depends on the order rows came from the database.
// Timed by scripts/bench/search-gaps.ts.
import type { ParsedQuery } from './query.ts';
import { STOP_WORDS } from './query.ts';
import { searchKey } from '../../core/search-key.ts';
import { TopK } from './top.ts';
import { boundedDistance, typoBudget, typoOf } from './typo.ts';
import { Vocabulary } from './vocabulary.ts';

export interface SearchEntry {
  layer: string;
  code: string;
  name: string;
  /** Subtype: scheme type, EPCI kind, QPV generation. */
  type: string | null;
  population: number | null;
  /** Where it is, for the reader: "Lot (46)". */
  detail: string | null;
  /** Other names that lead here, e.g. a commune déléguée. */
  aliases: { name: string; kind: string }[];
  /** Former codes that lead here (mergers, communes déléguées, arrondissements). */
  formerCodes: string[];
  /** Départements it lies in, wholly or partly (a région: all of its own). */
  departements: string[];
  /** Régions it lies in, wholly or partly (a région: itself). */
  regions: string[];
}

export interface SearchHit {
  layer: string;
  code: string;
  name: string;
  type: string | null;
  population: number | null;
  detail: string | null;
  /** The other name or former code that matched, when not the name itself. */
  via: string | null;
}

export interface SearchOptions {
  /** Only these layers (scheme types are given as { layer: 'scheme', type }). */
  layers?: { layer: string; type?: string }[] | null;
  /** Only what lies (even partly) in this région (INSEE code). */
  region?: string | null;
  /** Only what lies (even partly) in this département (INSEE code). */
  departement?: string | null;
  limit: number;
}

/**
 * When to try typos: `auto` when the words match fewer entries than asked for; a search
 * over several indexes (parts.ts) decides from all of them, then says `always` or
 * `never`.
 */
export type TypoRule = 'auto' | 'always' | 'never';

export type ScoredHit = SearchHit & { score: number };

/** A hit with its score, and how many entries the words matched before typos were tried. */
export interface ScoredSearch {
  hits: ScoredHit[];
  matched: number;
}

/** The hit as answered (its score only orders it). */
export const withoutScore = ({ score: _score, ...hit }: ScoredHit): SearchHit => hit;

interface Lead {
  word: string;
  /** The vocabulary words it starts. */
  range: [number, number];
  /** Its near-misses (fuzzy runs only). */
  near: [number, number][];
  /** How many documents, at most. */
  size: number;
}

interface Doc {
  entry: number;
  words: string[];
  /** Name words without stop words: all matched exactly = the whole name was typed. */
  significant: string[];
  alias: string | null;
}

const ALIAS_KINDS: Record<string, string> = {
  'commune-deleguee': 'commune déléguée',
  'commune-associee': 'commune associée',
  'arrondissement-municipal': 'arrondissement municipal',
};

/** How well a typed word matched a name word. */
const EXACT = 2;
const PREFIX = 1;
const TYPO = 0;
const NONE = -1;

const collator = new Intl.Collator('fr');

/** The order of results: score, then name (French collation), layer and code. */
export function ranksBefore(
  sa: number,
  a: { name: string; layer: string; code: string },
  sb: number,
  b: { name: string; layer: string; code: string },
): boolean {
  if (sa !== sb) return sa > sb;
  const byName = collator.compare(a.name, b.name);
  if (byName !== 0) return byName < 0;
  return a.layer < b.layer || (a.layer === b.layer && a.code < b.code);
}

/** Whether via a (null: the name itself) is preferred to via b for the same score. */
const viaFirst = (a: string | null, b: string | null) => b !== null && (a === null || a < b);

export class SearchIndex {
  private readonly docs: Doc[] = [];
  private readonly vocab: Vocabulary;
  private readonly byCode = new Map<string, { entry: number; former: boolean }[]>();
  private readonly byLayer = new Map<string, number[]>();
  /** Ranking weight of each entry's population (and layer). */
  private readonly popWeight: Float64Array;
  /** Per-search scratch, stamped with the search (or run) number instead of cleared. */
  private searchNo = 0;
  private runNo = 0;
  private readonly docSeen: Int32Array;
  private readonly entryKept: Int32Array;
  private readonly entryMatched: Int32Array;
  private readonly bestScore: Float64Array;
  private readonly bestVia: (string | null)[];
  /** Every région and département some entry lies in: what a filter may name. */
  readonly regions = new Set<string>();
  readonly departements = new Set<string>();

  constructor(readonly entries: SearchEntry[]) {
    // an arrondissement is named after its chef-lieu and outweighs it: rarely what is sought;
    // a commune goes before a scheme drawn on exactly that commune
    const prior = (e: SearchEntry) => (e.layer === 'arrondissement' ? -40 : e.layer === 'commune' ? 2 : 0);
    this.popWeight = Float64Array.from(entries, (e) => 10 * Math.log10((e.population ?? 0) + 1) + prior(e));
    entries.forEach((e, i) => {
      for (const r of e.regions) this.regions.add(r);
      for (const d of e.departements) this.departements.add(d);
      this.addDoc(i, e.name, null);
      for (const a of e.aliases)
        if (searchKey(a.name) !== searchKey(e.name)) this.addDoc(i, a.name, `${ALIAS_KINDS[a.kind] ?? a.kind} ${a.name}`);
      this.addCode(e.code.toUpperCase(), i, false);
      const layer = this.byLayer.get(e.layer);
      if (layer) layer.push(i);
      else this.byLayer.set(e.layer, [i]);
      for (const c of e.formerCodes) if (c !== e.code) this.addCode(c.toUpperCase(), i, true);
    });
    // documents numbered by weight, heaviest first: reading a word's documents in order,
    // a search can stop when the next one could not outscore its last result
    this.docs.sort((a, b) => this.popWeight[b.entry]! - this.popWeight[a.entry]!);
    this.vocab = new Vocabulary(this.docs.map((d) => d.words));
    this.docSeen = new Int32Array(this.docs.length);
    this.entryKept = new Int32Array(entries.length);
    this.entryMatched = new Int32Array(entries.length);
    this.bestScore = new Float64Array(entries.length);
    this.bestVia = new Array<string | null>(entries.length).fill(null);
  }

  private addDoc(entry: number, name: string, alias: string | null) {
    const words = searchKey(name).split(' ').filter(Boolean);
    this.docs.push({ entry, words, significant: words.filter((w) => !STOP_WORDS.has(w)), alias });
  }

  private addCode(code: string, entry: number, former: boolean) {
    const list = this.byCode.get(code);
    if (list) list.push({ entry, former });
    else this.byCode.set(code, [{ entry, former }]);
  }

  /** How well one typed word matches a document: its best word, or NONE. */
  private quality(doc: Doc, word: string, fuzzy: boolean): number {
    let best = NONE;
    for (const w of doc.words) {
      if (w === word) return EXACT;
      if (w.startsWith(word)) best = PREFIX;
      else if (fuzzy && best === NONE && typoOf(word, w)) best = TYPO;
    }
    return best;
  }

  /** The documents a typed word leads to: the words it starts and, fuzzy, its near-misses. */
  private leadOf(word: string, fuzzy: boolean, within = Infinity): Lead | null {
    const range = this.vocab.prefixRange(word);
    let size = this.vocab.rangeSize(range);
    if (size >= within) return null;
    const near = fuzzy ? this.vocab.near(word) : [];
    for (const r of near) size += this.vocab.rangeSize(r);
    return { word, range, near, size };
  }

  /** The typed word with the fewest documents (an upper bound of them), the others after it. */
  private rarest(required: string[], fuzzy: boolean): { lead: Lead; words: string[] } {
    // near-misses are sought only for a word whose own range is smaller than the best so far
    const order = required
      .map((w, i) => ({ w, i, size: this.vocab.rangeSize(this.vocab.prefixRange(w)) }))
      .sort((a, b) => a.size - b.size || a.i - b.i);
    let lead = this.leadOf(order[0]!.w, fuzzy)!;
    for (const { w } of order.slice(1)) lead = this.leadOf(w, fuzzy, lead.size) ?? lead;
    const words = [lead.word];
    let skipped = false;
    for (const w of required) {
      if (w === lead.word && !skipped) skipped = true;
      else words.push(w);
    }
    return { lead, words };
  }

  search(q: ParsedQuery, options: SearchOptions): SearchHit[] {
    return this.scored(q, options).hits.map(withoutScore);
  }

  /** The best `limit` hits with their scores (the order of search()). */
  scored(
    q: ParsedQuery,
    { layers = null, region = null, departement = null, limit }: SearchOptions,
    typos: TypoRule = 'auto',
  ): ScoredSearch {
    const stamp = ++this.searchNo;
    const inLayers = (e: SearchEntry) => !layers || layers.some((l) => l.layer === e.layer && (!l.type || l.type === e.type));
    const inPlace = (e: SearchEntry) => (!region || e.regions.includes(region)) && (!departement || e.departements.includes(departement));
    const hinted = (e: SearchEntry) => q.hints.some((h) => h.layer === e.layer && (!h.type || h.type === e.type));
    const kept: number[] = [];
    // a lower bound of the score a result must beat: the first score of each entry kept
    const top = new TopK<number>(limit, (a, b) => a > b);
    // matches in the layers asked, wherever they lie: typos are tried when the words match
    // too little in the whole country, not merely in the région (else "lille" from Lyon
    // would bring every "ville" and "lisle" instead of saying nothing matches there)
    let matched = 0;
    const keep = (entry: number, score: number, via: string | null) => {
      const e = this.entries[entry]!;
      if (!inLayers(e)) return;
      if (this.entryMatched[entry] !== stamp) {
        this.entryMatched[entry] = stamp;
        matched++;
      }
      if (!inPlace(e)) return;
      if (this.entryKept[entry] !== stamp) {
        this.entryKept[entry] = stamp;
        kept.push(entry);
        top.offer(score);
      } else if (this.bestScore[entry]! > score || (this.bestScore[entry] === score && !viaFirst(via, this.bestVia[entry]!))) return;
      this.bestScore[entry] = score;
      this.bestVia[entry] = via;
    };

    if (q.code) {
      for (const { entry, former } of this.byCode.get(q.code) ?? [])
        keep(entry, former ? 990 : 1000, former ? `ancien code ${q.code}` : null);
    }

    const significant = q.words.filter((w) => !STOP_WORDS.has(w));
    const required = significant.length ? significant : q.words;
    if (required.length === 0) {
      // only layer words ("cls"): the units of that layer, largest first
      for (const h of q.hints)
        for (const i of this.byLayer.get(h.layer) ?? [])
          if (!h.type || h.type === this.entries[i]!.type) keep(i, 30 + this.popWeight[i]!, null);
      return { hits: this.ranked(kept, limit), matched };
    }
    const startWords = [...required, ...q.hintWords];
    const budgets = startWords.map(typoBudget);

    const run = (fuzzy: boolean) => {
      // every document matching all the words holds one the rarest word leads to: start there
      const { lead, words } = this.rarest(required, fuzzy);
      // the most a document could score besides its weight: exact words where the vocabulary
      // has them (typos: anything), the whole name, a good start, the layer named
      let most = 0;
      for (const w of required) most += fuzzy || this.vocab.has(w) ? 20 : 10;
      const completable = fuzzy || required.every((w) => this.vocab.has(w));
      const bound = most / required.length + (completable ? 15 : 0) + 10 + (q.hints.length ? 30 : 0);
      const runNo = ++this.runNo;
      const visit = (doc: number) => {
        if (this.docSeen[doc] === runNo) return;
        this.docSeen[doc] = runNo;
        const d = this.docs[doc]!;
        let sum = 0;
        let anyPrefix = false;
        for (const w of words) {
          const qq = this.quality(d, w, fuzzy);
          if (qq === NONE) return;
          if (qq === PREFIX) anyPrefix = true;
          sum += qq === EXACT ? 20 : qq === PREFIX ? 10 : -10;
        }
        const e = this.entries[d.entry]!;
        const inHinted = q.hints.length > 0 && hinted(e);
        // outside the layers a layer word names, that word must be part of the name
        if (q.hints.length && !inHinted && !q.hintWords.every((w) => this.quality(d, w, false) !== NONE)) return;
        // the whole name typed: every query word a whole word (or a typo of one), as many as the name has
        let hintsInName = 0;
        for (const w of q.hintWords) if (d.words.includes(w)) hintsInName++;
        const complete = !anyPrefix && d.significant.length <= required.length + hintsInName;
        const head = d.words[0] ?? '';
        let startsWell = false;
        for (let i = 0; i < startWords.length && !startsWell; i++) {
          const w = startWords[i]!;
          startsWell = head.startsWith(w) || (fuzzy && boundedDistance(w, head.slice(0, w.length), budgets[i]!) <= budgets[i]!);
        }
        const score =
          sum / required.length +
          (complete ? 15 : 0) +
          (startsWell ? 10 : 0) +
          (inHinted ? 30 : 0) +
          (d.alias ? -5 : 0) +
          this.popWeight[d.entry]!;
        keep(d.entry, score, d.alias);
      };
      const { postings } = this.vocab;
      const merged = lead.near.length ? null : this.vocab.mergedDocs(lead.word, lead.range);
      if (merged) {
        for (const doc of merged) {
          // documents come heaviest first: past this one, none can enter the results
          if (top.full && bound + this.popWeight[this.docs[doc]!.entry]! < top.last!) break;
          visit(doc);
        }
        return;
      }
      for (const [from, to] of [lead.range, ...lead.near]) for (let i = from; i < to; i++) for (const doc of postings[i]!) visit(doc);
    };
    run(false);
    const exactMatches = matched;
    if (typos === 'always' || (typos === 'auto' && matched < limit)) run(true);
    return { hits: this.ranked(kept, limit), matched: exactMatches };
  }

  private ranked(kept: number[], limit: number): ScoredHit[] {
    const top = new TopK<number>(limit, (a, b) => ranksBefore(this.bestScore[a]!, this.entries[a]!, this.bestScore[b]!, this.entries[b]!));
    for (const entry of kept) top.offer(entry);
    return top.items.map((i) => {
      const e = this.entries[i]!;
      return {
        layer: e.layer,
        code: e.code,
        name: e.name,
        type: e.type,
        population: e.population === null ? null : Math.round(e.population),
        detail: e.detail,
        via: this.bestVia[i]!,
        score: this.bestScore[i]!,
      };
    });
  }
}
