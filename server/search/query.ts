// How planners type a search, turned into something to match: the words of a name (each
// a prefix of a word, in any order), the words that name a layer ("cls", "communauté de
// communes", "parc"…) as hints that restrict or boost that layer, and French stop words
// that may be left out ("CC du Grand Figeac" finds "CC Grand-Figeac").
import { asCode, searchKey } from '../../core/search-key.ts';

export interface LayerHint {
  layer: string;
  /** Subtype within the layer (scheme type, EPCI kind). */
  type?: string;
}

export interface ParsedQuery {
  /** The text as a code (INSEE, SIREN, QPV…), or null. */
  code: string | null;
  /** Words every result must match (prefix of a word of its name, typos tolerated). */
  words: string[];
  /** Words of a layer phrase: matched as name words by results outside the hinted layers. */
  hintWords: string[];
  hints: LayerHint[];
}

export const STOP_WORDS = new Set([
  'de',
  'du',
  'des',
  'la',
  'le',
  'les',
  'l',
  'd',
  'en',
  'et',
  'a',
  'au',
  'aux',
  'sur',
  'sous',
  'lez',
  'les',
]);

const CLS = { layer: 'scheme', type: 'CLS' };
const ASV = { layer: 'scheme', type: 'ASV' };
const CLSM = { layer: 'scheme', type: 'CLSM' };
const PTSM = { layer: 'scheme', type: 'PTSM' };
const CC = { layer: 'epci', type: 'CC' };
const CA = { layer: 'epci', type: 'CA' };
const CU = { layer: 'epci', type: 'CU' };
const EPCI = { layer: 'epci' };
const SECTORS = [{ layer: 'secteur-psy-adulte' }, { layer: 'secteur-psy-enfant' }];

/** Layer phrases, as search keys; longer phrases are tried first. */
const PHRASES: [string, LayerHint[]][] = [
  ['contrat local de sante', [CLS]],
  ['contrats locaux de sante', [CLS]],
  ['conseil local de sante mentale', [CLSM]],
  ['conseils locaux de sante mentale', [CLSM]],
  ['atelier sante ville', [ASV]],
  ['ateliers sante ville', [ASV]],
  ['projet territorial de sante mentale', [PTSM]],
  ['communaute professionnelle territoriale de sante', [{ layer: 'cpts' }]],
  ['communaute de communes', [CC]],
  ['communaute d agglomeration', [CA]],
  ['communaute urbaine', [CU]],
  ['parc naturel regional', [{ layer: 'pnr' }]],
  ['pole d equilibre territorial et rural', [{ layer: 'petr' }]],
  ['quartier prioritaire', [{ layer: 'qpv' }]],
  ['secteur psychiatrique', SECTORS],
  ['secteur de psychiatrie', SECTORS],
  ['cls', [CLS]],
  ['clsi', [CLS]],
  ['asv', [ASV]],
  ['clsm', [CLSM]],
  ['ptsm', [PTSM]],
  ['cpts', [{ layer: 'cpts' }]],
  ['secteur', SECTORS],
  ['secteurs', SECTORS],
  ['psy', SECTORS],
  ['epci', [EPCI]],
  ['interco', [EPCI]],
  ['intercommunalite', [EPCI]],
  ['cc', [CC]],
  ['ca', [CA]],
  ['cu', [CU]],
  ['agglo', [CA]],
  ['agglomeration', [CA]],
  [
    'metropole',
    [
      { layer: 'epci', type: 'METRO' },
      { layer: 'epci', type: 'MET69' },
    ],
  ],
  ['pnr', [{ layer: 'pnr' }]],
  ['parc', [{ layer: 'pnr' }]],
  ['petr', [{ layer: 'petr' }]],
  ['pays', [{ layer: 'petr' }]],
  ['qpv', [{ layer: 'qpv' }]],
  ['quartier', [{ layer: 'qpv' }]],
  ['commune', [{ layer: 'commune' }]],
  ['ville', [{ layer: 'commune' }]],
  ['departement', [{ layer: 'departement' }]],
  ['dept', [{ layer: 'departement' }]],
  ['region', [{ layer: 'region' }]],
  ['arrondissement', [{ layer: 'arrondissement' }]],
];
const PHRASE_WORDS = PHRASES.map(([p, hints]) => [p.split(' '), hints] as const).sort((a, b) => b[0].length - a[0].length);

export function parseQuery(text: string): ParsedQuery {
  const code = asCode(text);
  const all = searchKey(text).split(' ').filter(Boolean);
  const hints: LayerHint[] = [];
  const hintWords: string[] = [];
  const words: string[] = [];
  for (let i = 0; i < all.length;) {
    const found = PHRASE_WORDS.find(([p]) => p.every((w, k) => all[i + k] === w));
    if (found) {
      for (const h of found[1]) if (!hints.some((x) => x.layer === h.layer && x.type === h.type)) hints.push(h);
      hintWords.push(...found[0]);
      i += found[0].length;
    } else {
      words.push(all[i]!);
      i++;
    }
  }
  return { code, words, hintWords, hints };
}
