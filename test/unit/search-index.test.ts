// The search index's shortcuts (a sorted vocabulary, the rarest word first, documents
// read heaviest first with an early stop, near-misses by a trie walk, a bounded top-k)
// against a naive scan that scores every name of a generated corpus by the documented
// rules: the same hits in the same order, with accents, hyphens, "saint"/"st", other
// names, former codes, typos, layer words and région / département filters.
import { describe, expect, it } from 'vitest';
import { searchKey } from '../../core/search-key.ts';
import { SearchIndex, type SearchEntry, type SearchHit, type SearchOptions } from '../../server/search/index.ts';
import { parseQuery, STOP_WORDS, type ParsedQuery } from '../../server/search/query.ts';
import { SearchParts } from '../../server/search/parts.ts';
import { TopK } from '../../server/search/top.ts';
import { boundedDistance, typoBudget, typoOf } from '../../server/search/typo.ts';
import { Vocabulary } from '../../server/search/vocabulary.ts';

let seed = 20251205;
const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;

const SYLLABLES = [
  'mont',
  'bé',
  'lia',
  'rd',
  'é',
  'vry',
  'cour',
  'cou',
  'ronnes',
  'is',
  'soi',
  're',
  'fi',
  'geac',
  'lil',
  'le',
  'sa',
  'ône',
];
const word = () => {
  let w = '';
  for (let i = 0, n = 1 + Math.floor(rnd() * 3); i < n; i++) w += pick(SYLLABLES);
  return w[0]!.toUpperCase() + w.slice(1);
};
const PREFIXES = ['Saint-', 'Sainte-', 'St-', 'La ', 'Le ', 'Val de ', '', '', '', ''];
const LINKS = ['-sur-', '-lès-', '-en-', ' ', '-', "-d'"];
const name = () => {
  let n = pick(PREFIXES) + word();
  if (rnd() < 0.5) n += pick(LINKS) + word();
  return n;
};
const LAYERS: [string, string | null][] = [
  ['commune', null],
  ['commune', null],
  ['commune', null],
  ['epci', 'CC'],
  ['epci', 'CA'],
  ['scheme', 'CLS'],
  ['scheme', 'ASV'],
  ['cpts', null],
  ['arrondissement', null],
  ['departement', null],
];
const PLACES = [
  [['01'], ['84']],
  [['63'], ['84']],
  [['46'], ['76']],
  [['12', '46'], ['76']],
  [['91'], ['11']],
  [
    ['01', '71'],
    ['27', '84'],
  ],
] as const;

const entries: SearchEntry[] = Array.from({ length: 1500 }, (_, i) => {
  const [layer, type] = pick(LAYERS);
  const [departements, regions] = pick(PLACES);
  const label = layer === 'scheme' ? `${type === 'CLS' ? 'Contrat local de santé' : 'Atelier santé ville'} ${name()}` : name();
  return {
    layer,
    code: `${layer.slice(0, 2).toUpperCase()}${String(i).padStart(5, '0')}`,
    name: label,
    type,
    // ties on purpose: the same weight for many names
    population: rnd() < 0.1 ? null : pick([0, 120, 120, 2_500, 40_000, 180_000, Math.floor(rnd() * 100_000)]),
    detail: null,
    aliases: rnd() < 0.1 ? [{ name: name(), kind: pick(['commune-deleguee', 'commune-associee']) }] : [],
    formerCodes: rnd() < 0.05 ? [`X${i}`] : [],
    departements: [...departements],
    regions: [...regions],
  };
});

const docs = entries.flatMap((e, entry) => [
  { entry, words: searchKey(e.name).split(' ').filter(Boolean), alias: null as string | null },
  ...e.aliases
    .filter((a) => searchKey(a.name) !== searchKey(e.name))
    .map((a) => ({
      entry,
      words: searchKey(a.name).split(' ').filter(Boolean),
      alias: `${a.kind === 'commune-deleguee' ? 'commune déléguée' : 'commune associée'} ${a.name}`,
    })),
]);

/** The rules of server/search/index.ts, applied to every name. */
function naiveSearch(q: ParsedQuery, { layers = null, region = null, departement = null, limit }: SearchOptions): SearchHit[] {
  const inLayers = (e: SearchEntry) => !layers || layers.some((l) => l.layer === e.layer && (!l.type || l.type === e.type));
  const inPlace = (e: SearchEntry) => (!region || e.regions.includes(region)) && (!departement || e.departements.includes(departement));
  const hinted = (e: SearchEntry) => q.hints.some((h) => h.layer === e.layer && (!h.type || h.type === e.type));
  const weight = (e: SearchEntry) =>
    10 * Math.log10((e.population ?? 0) + 1) + (e.layer === 'arrondissement' ? -40 : e.layer === 'commune' ? 2 : 0);
  const best = new Map<number, { score: number; via: string | null }>();
  const matched = new Set<number>();
  const keep = (entry: number, score: number, via: string | null) => {
    const e = entries[entry]!;
    if (!inLayers(e)) return;
    matched.add(entry);
    if (!inPlace(e)) return;
    const prev = best.get(entry);
    if (!prev || prev.score < score || (prev.score === score && prev.via !== null && (via === null || via < prev.via)))
      best.set(entry, { score, via });
  };
  if (q.code)
    entries.forEach((e, i) => {
      if (e.code.toUpperCase() === q.code) keep(i, 1000, null);
      else if (e.formerCodes.some((c) => c.toUpperCase() === q.code)) keep(i, 990, `ancien code ${q.code}`);
    });
  const significant = q.words.filter((w) => !STOP_WORDS.has(w));
  const required = significant.length ? significant : q.words;
  const quality = (words: string[], w: string, fuzzy: boolean) =>
    words.includes(w) ? 20 : words.some((x) => x.startsWith(w)) ? 10 : fuzzy && words.some((x) => typoOf(w, x)) ? -10 : null;
  if (required.length === 0) {
    entries.forEach((e, i) => q.hints.length && hinted(e) && keep(i, 30 + weight(e), null));
  } else {
    const run = (fuzzy: boolean) => {
      for (const d of docs) {
        const words = d.words;
        const qs = required.map((w) => quality(words, w, fuzzy));
        if (qs.includes(null)) continue;
        const e = entries[d.entry]!;
        const inHinted = q.hints.length > 0 && hinted(e);
        if (q.hints.length && !inHinted && !q.hintWords.every((w) => quality(words, w, false) !== null)) continue;
        const hintsInName = q.hintWords.filter((w) => words.includes(w)).length;
        const complete = !qs.includes(10) && words.filter((w) => !STOP_WORDS.has(w)).length <= required.length + hintsInName;
        const head = words[0] ?? '';
        const startsWell = [...required, ...q.hintWords].some(
          (w) => head.startsWith(w) || (fuzzy && boundedDistance(w, head.slice(0, w.length), typoBudget(w)) <= typoBudget(w)),
        );
        const avg = qs.reduce((s: number, x) => s + x!, 0) / qs.length;
        keep(d.entry, avg + (complete ? 15 : 0) + (startsWell ? 10 : 0) + (inHinted ? 30 : 0) + (d.alias ? -5 : 0) + weight(e), d.alias);
      }
    };
    run(false);
    if (matched.size < limit) run(true);
  }
  const collator = new Intl.Collator('fr');
  return [...best.entries()]
    .sort(([a, x], [b, y]) => {
      const ea = entries[a]!;
      const eb = entries[b]!;
      return (
        y.score - x.score ||
        collator.compare(ea.name, eb.name) ||
        (ea.layer < eb.layer ? -1 : ea.layer > eb.layer ? 1 : ea.code < eb.code ? -1 : 1)
      );
    })
    .slice(0, limit)
    .map(([i, { via }]) => {
      const e = entries[i]!;
      return {
        layer: e.layer,
        code: e.code,
        name: e.name,
        type: e.type,
        population: e.population === null ? null : Math.round(e.population),
        detail: null,
        via,
      };
    });
}

/** What planners type: whole names, prefixes, words out of order, typos, abbreviations, layer words, codes. */
function queries(): string[] {
  const out = ['s', 'sa', 'st', 'la', 'le', 'cls', 'cc', 'asv', 'cc saint', 'contrat local de sante', 'zzzz', 'e', 'val de'];
  for (let i = 0; i < 150; i++) {
    const e = pick(entries);
    const words = searchKey(e.name).split(' ');
    const w = pick(words);
    const k = Math.floor(rnd() * w.length);
    out.push(
      pick([
        e.name,
        e.name.toUpperCase(),
        e.name.replace(/Saint-/g, 'St '),
        words.map((x) => x.slice(0, 1 + Math.floor(rnd() * x.length))).join(' '),
        [...words].reverse().join(' '),
        w.slice(0, k) + pick(['', 'x', w[k + 1] ?? '']) + w.slice(k + 1),
        w.slice(0, k) + (w[k + 1] ?? '') + w[k] + w.slice(k + 2),
        `${pick(['cls', 'cc', 'agglo', 'commune', 'cpts'])} ${w}`,
        e.code,
        e.formerCodes[0] ?? e.code.toLowerCase(),
        e.aliases[0]?.name ?? w.slice(0, 2),
      ]),
    );
  }
  return out;
}

describe('SearchIndex against a naive scan', () => {
  const index = new SearchIndex(entries);
  const filters: Partial<SearchOptions>[] = [
    {},
    { region: '84' },
    { region: '76' },
    { departement: '46' },
    { layers: [{ layer: 'commune' }] },
    { layers: [{ layer: 'scheme', type: 'CLS' }, { layer: 'epci' }], region: '84' },
  ];

  it('finds the same hits in the same order, with each filter and limit', () => {
    let compared = 0;
    let nonEmpty = 0;
    for (const text of queries()) {
      const q = parseQuery(text);
      if (!q.code && !q.words.length && !q.hints.length) continue;
      for (const f of filters)
        for (const limit of [3, 10]) {
          const options = { limit, ...f };
          const got = index.search(q, options);
          expect(got, `${text} ${JSON.stringify(options)}`).toEqual(naiveSearch(q, options));
          compared++;
          if (got.length) nonEmpty++;
        }
    }
    // the corpus exercises the index: most searches find something
    expect(compared).toBeGreaterThan(1500);
    expect(nonEmpty / compared).toBeGreaterThan(0.5);
  });

  it('gives the same answers whatever the order the entries came in', () => {
    const shuffled = new SearchIndex([...entries].reverse());
    for (const text of ['sa', 'st', 'saint', 'le', 'cls', 'mont', 'lile', 'val de']) {
      for (const f of filters)
        expect(shuffled.search(parseQuery(text), { limit: 10, ...f })).toEqual(index.search(parseQuery(text), { limit: 10, ...f }));
    }
  });
});

describe('SearchParts: schemes and reference territories in two indexes', () => {
  it('answers every search as one index of everything does, typos included', () => {
    const isRegistry = (e: SearchEntry) => e.layer === 'scheme';
    const whole = new SearchIndex(entries);
    const parts = new SearchParts([new SearchIndex(entries.filter((e) => !isRegistry(e))), new SearchIndex(entries.filter(isRegistry))]);
    let compared = 0;
    let withSchemes = 0;
    for (const text of queries()) {
      const q = parseQuery(text);
      if (!q.code && !q.words.length && !q.hints.length) continue;
      for (const limit of [3, 10]) {
        for (const f of [{}, { region: '84' }, { layers: [{ layer: 'scheme', type: 'CLS' }, { layer: 'epci' }] }]) {
          const options = { limit, ...f };
          const expected = whole.search(q, options);
          expect(parts.search(q, options), `${text} ${JSON.stringify(options)}`).toEqual(expected);
          compared++;
          if (expected.some((h) => h.layer === 'scheme') && expected.some((h) => h.layer !== 'scheme')) withSchemes++;
        }
      }
    }
    // the corpus mixes schemes and territories in the same answers, not only apart
    expect(compared).toBeGreaterThan(900);
    expect(withSchemes).toBeGreaterThan(20);
    expect([...parts.regions].sort()).toEqual([...whole.regions].sort());
  });
});

describe('Vocabulary', () => {
  const docWords = entries.map((e) => searchKey(e.name).split(' '));
  const vocab = new Vocabulary(docWords);

  it('finds the words a prefix starts as a filter would', () => {
    for (const p of ['s', 'sa', 'saint', 'mont', 'lil', 'z', 'sainte', 'saintes', 'e']) {
      const [from, to] = vocab.prefixRange(p);
      expect(vocab.words.slice(from, to)).toEqual(vocab.words.filter((w) => w.startsWith(p)));
    }
  });

  it('finds the near-misses a comparison with every word finds', () => {
    const typed = [
      'montbeliard',
      'montbelliard',
      'issorie',
      'figaec',
      'courcouronne',
      'lile',
      'evyr',
      'saitn',
      'ronnes',
      'xontbe',
      'oisre',
    ];
    for (const w of typed) {
      const [from, to] = vocab.prefixRange(w);
      const expected = vocab.words.filter((v, i) => (i < from || i >= to) && v.length >= w.length - typoBudget(w) && typoOf(w, v));
      const got = vocab.near(w).flatMap(([a, b]) => vocab.words.slice(a, b));
      expect(got.sort(), w).toEqual(expected.sort());
    }
  });
});

describe('TopK', () => {
  it('keeps the best items in order, as a full sort would', () => {
    const values = Array.from({ length: 500 }, () => Math.floor(rnd() * 100));
    for (const k of [1, 3, 10, 600]) {
      const top = new TopK<number>(k, (a, b) => a > b);
      for (const v of values) top.offer(v);
      expect(top.items).toEqual([...values].sort((a, b) => b - a).slice(0, k));
    }
  });
});
