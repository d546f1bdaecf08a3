// The search index: every territory, perimeter and scheme with its name words, its
// other names (communes déléguées and associées) and former codes, held in memory and
// rebuilt when the data changes. Matching is pure and the same on both databases:
// every word of the query is a prefix of a word of the name (any order, typos tolerated
// when nothing matches exactly), layer words restrict or boost their layer, and the
// ranking weighs how well the name matches against how many people live there, so
// "evry" finds Évry-Courcouronnes (66,919 inhabitants) before Évry (Yonne, 402).
// Every entry knows the départements and régions it lies in, so a search can be kept to
// a planner's région without a query to the database.
import type { ParsedQuery } from './query.ts';
import { STOP_WORDS } from './query.ts';
import { searchKey } from '../../core/search-key.ts';
import { boundedDistance, typoBudget } from './typo.ts';

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

export class SearchIndex {
  private readonly docs: Doc[] = [];
  private readonly vocab: string[];
  private readonly postings = new Map<string, number[]>();
  private readonly byCode = new Map<string, { entry: number; former: boolean }[]>();
  /** Every région and département some entry lies in: what a filter may name. */
  readonly regions = new Set<string>();
  readonly departements = new Set<string>();

  constructor(readonly entries: SearchEntry[]) {
    entries.forEach((e, i) => {
      for (const r of e.regions) this.regions.add(r);
      for (const d of e.departements) this.departements.add(d);
      this.addDoc(i, e.name, null);
      for (const a of e.aliases)
        if (searchKey(a.name) !== searchKey(e.name)) this.addDoc(i, a.name, `${ALIAS_KINDS[a.kind] ?? a.kind} ${a.name}`);
      this.addCode(e.code.toUpperCase(), i, false);
      for (const c of e.formerCodes) if (c !== e.code) this.addCode(c.toUpperCase(), i, true);
    });
    this.vocab = [...this.postings.keys()].sort();
  }

  private addDoc(entry: number, name: string, alias: string | null) {
    const words = searchKey(name).split(' ').filter(Boolean);
    const id = this.docs.length;
    this.docs.push({ entry, words, significant: words.filter((w) => !STOP_WORDS.has(w)), alias });
    for (const w of new Set(words)) {
      const list = this.postings.get(w);
      if (list) list.push(id);
      else this.postings.set(w, [id]);
    }
  }

  private addCode(code: string, entry: number, former: boolean) {
    const list = this.byCode.get(code);
    if (list) list.push({ entry, former });
    else this.byCode.set(code, [{ entry, former }]);
  }

  /** Vocabulary words starting with prefix (binary search in the sorted vocabulary). */
  private withPrefix(prefix: string): string[] {
    let lo = 0;
    let hi = this.vocab.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.vocab[mid]! < prefix) lo = mid + 1;
      else hi = mid;
    }
    const out: string[] = [];
    for (let i = lo; i < this.vocab.length && this.vocab[i]!.startsWith(prefix); i++) out.push(this.vocab[i]!);
    return out;
  }

  /** Vocabulary words within the typo budget of word (whole word, or a prefix of the same length). */
  private nearWords(word: string): string[] {
    const max = typoBudget(word);
    if (max === 0) return [];
    const out: string[] = [];
    for (const v of this.vocab) {
      if (v.length < word.length - max) continue;
      if (v[0] !== word[0] && v[1] !== word[1]) continue; // a typo rarely hits both first letters
      const head = v.length > word.length ? v.slice(0, word.length) : v;
      if (boundedDistance(word, head, max) <= max) out.push(v);
    }
    return out;
  }

  /** Documents holding a word that word starts (or, fuzzy, nearly starts). */
  private candidates(word: string, fuzzy: boolean): Set<number> {
    const found = new Set<number>();
    const words = fuzzy ? [...this.withPrefix(word), ...this.nearWords(word)] : this.withPrefix(word);
    for (const w of words) for (const d of this.postings.get(w) ?? []) found.add(d);
    return found;
  }

  /** How well one typed word matches a document: its best word, or undefined. */
  private quality(doc: Doc, word: string, fuzzy: boolean): number | undefined {
    let best: number | undefined;
    for (const w of doc.words) {
      if (w === word) return EXACT;
      if (w.startsWith(word)) best = PREFIX;
      else if (fuzzy && best === undefined) {
        const max = typoBudget(word);
        if (max && boundedDistance(word, w.length > word.length ? w.slice(0, word.length) : w, max) <= max) best = TYPO;
      }
    }
    return best;
  }

  search(q: ParsedQuery, { layers = null, region = null, departement = null, limit }: SearchOptions): SearchHit[] {
    const inLayers = (e: SearchEntry) => !layers || layers.some((l) => l.layer === e.layer && (!l.type || l.type === e.type));
    const inPlace = (e: SearchEntry) => (!region || e.regions.includes(region)) && (!departement || e.departements.includes(departement));
    const hinted = (e: SearchEntry) => q.hints.some((h) => h.layer === e.layer && (!h.type || h.type === e.type));
    const best = new Map<number, { score: number; via: string | null }>();
    // matches in the layers asked, wherever they lie: typos are tried when the words match
    // too little in the whole country, not merely in the région (else "lille" from Lyon
    // would bring every "ville" and "lisle" instead of saying nothing matches there)
    const matched = new Set<number>();
    const keep = (entry: number, score: number, via: string | null) => {
      const e = this.entries[entry]!;
      if (!inLayers(e)) return;
      matched.add(entry);
      if (!inPlace(e)) return;
      const prev = best.get(entry);
      if (!prev || prev.score < score) best.set(entry, { score, via });
    };
    // an arrondissement is named after its chef-lieu and outweighs it: rarely what is sought;
    // a commune goes before a scheme drawn on exactly that commune
    const prior = (e: SearchEntry) => (e.layer === 'arrondissement' ? -40 : e.layer === 'commune' ? 2 : 0);
    const popWeight = (e: SearchEntry) => 10 * Math.log10((e.population ?? 0) + 1) + prior(e);

    if (q.code) {
      for (const { entry, former } of this.byCode.get(q.code) ?? [])
        keep(entry, former ? 990 : 1000, former ? `ancien code ${q.code}` : null);
    }

    const significant = q.words.filter((w) => !STOP_WORDS.has(w));
    const required = significant.length ? significant : q.words;
    if (required.length === 0) {
      // only layer words ("cls"): the units of that layer, largest first
      if (q.hints.length) this.entries.forEach((e, i) => hinted(e) && keep(i, 30 + popWeight(e), null));
      return this.ranked(best, limit);
    }
    // the longest word narrows the most: start from its documents, check the others in each
    const [lead, ...others] = [...required].sort((a, b) => b.length - a.length);

    const run = (fuzzy: boolean) => {
      for (const doc of this.candidates(lead!, fuzzy)) {
        const d = this.docs[doc]!;
        const qualities: number[] = [];
        for (const w of [lead!, ...others]) {
          const qq = this.quality(d, w, fuzzy);
          if (qq === undefined) break;
          qualities.push(qq);
        }
        if (qualities.length !== required.length) continue;
        const e = this.entries[d.entry]!;
        const inHinted = q.hints.length > 0 && hinted(e);
        // outside the layers a layer word names, that word must be part of the name
        if (q.hints.length && !inHinted && !q.hintWords.every((w) => this.quality(d, w, false) !== undefined)) continue;
        // the whole name typed: every query word a whole word (or a typo of one), as many as the name has
        const hintsInName = q.hintWords.filter((w) => d.words.includes(w)).length;
        const complete = !qualities.includes(PREFIX) && d.significant.length <= required.length + hintsInName;
        const head = d.words[0] ?? '';
        const startsWell = [...required, ...q.hintWords].some(
          (w) => head.startsWith(w) || (fuzzy && boundedDistance(w, head.slice(0, w.length), typoBudget(w)) <= typoBudget(w)),
        );
        const quality = qualities.reduce((s, x) => s + (x === EXACT ? 20 : x === PREFIX ? 10 : -10), 0) / qualities.length;
        const score = quality + (complete ? 15 : 0) + (startsWell ? 10 : 0) + (inHinted ? 30 : 0) + (d.alias ? -5 : 0) + popWeight(e);
        keep(d.entry, score, d.alias);
      }
    };
    run(false);
    if (matched.size < limit) run(true);
    return this.ranked(best, limit);
  }

  private ranked(best: Map<number, { score: number; via: string | null }>, limit: number): SearchHit[] {
    return [...best.entries()]
      .sort((a, b) => b[1].score - a[1].score || this.entries[a[0]]!.name.localeCompare(this.entries[b[0]]!.name, 'fr'))
      .slice(0, limit)
      .map(([i, { via }]) => {
        const e = this.entries[i]!;
        return {
          layer: e.layer,
          code: e.code,
          name: e.name,
          type: e.type,
          population: e.population === null ? null : Math.round(e.population),
          detail: e.detail,
          via,
        };
      });
  }
}
