// A search over several indexes as if they were one: the reference territories (35,000
// communes and the perimeters, rebuilt only when those layers change) and the registry's
// schemes (a few, rebuilt after every edit in milliseconds). Building one index of
// everything took 250–320 ms of the main thread after each registry edit. The answers
// are the one index's: typos are tried when the words match too little across all the
// parts, and the parts' best hits are merged in the same order (checked in
// test/unit/search-index.test.ts).
import type { ParsedQuery } from './query.ts';
import { ranksBefore, withoutScore, type ScoredHit, type SearchHit, type SearchIndex, type SearchOptions, type TypoRule } from './index.ts';
import { TopK } from './top.ts';

export class SearchParts {
  readonly regions = new Set<string>();
  readonly departements = new Set<string>();

  constructor(private readonly parts: readonly SearchIndex[]) {
    for (const p of parts) {
      for (const r of p.regions) this.regions.add(r);
      for (const d of p.departements) this.departements.add(d);
    }
  }

  search(q: ParsedQuery, options: SearchOptions): SearchHit[] {
    const run = (typos: TypoRule) => this.parts.map((p) => p.scored(q, options, typos));
    let answers = run('never');
    if (answers.reduce((n, a) => n + a.matched, 0) < options.limit) answers = run('always');
    const top = new TopK<ScoredHit>(options.limit, (a, b) => ranksBefore(a.score, a, b.score, b));
    for (const a of answers) for (const hit of a.hits) top.offer(hit);
    return top.items.map(withoutScore);
  }
}
