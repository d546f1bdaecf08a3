// The search's pure parts: reading a query (layer words, stop words, codes), the typo
// distance, the ranking of a small hand-made index and its région / département filters.
import { describe, expect, it } from 'vitest';
import { SearchIndex, type SearchEntry } from '../../server/search/index.ts';
import { parseQuery } from '../../server/search/query.ts';
import { boundedDistance } from '../../server/search/typo.ts';

const entry = (layer: string, code: string, name: string, population: number, extra: Partial<SearchEntry> = {}): SearchEntry => ({
  layer,
  code,
  name,
  type: null,
  population,
  detail: null,
  aliases: [],
  formerCodes: [],
  departements: [],
  regions: [],
  ...extra,
});
/** Where an entry lies: its départements and their régions. */
const at = (departements: string[], regions: string[]) => ({ departements, regions });

const index = new SearchIndex([
  entry('commune', '89162', 'Évry', 402, at(['89'], ['27'])),
  entry('commune', '91228', 'Évry-Courcouronnes', 66_919, { formerCodes: ['91182'], ...at(['91'], ['11']) }),
  entry('commune', '63178', 'Issoire', 15_000, at(['63'], ['84'])),
  entry('commune', '01015', 'Arboys en Bugey', 700, { aliases: [{ name: 'Arbignieu', kind: 'commune-deleguee' }], ...at(['01'], ['84']) }),
  entry('epci', '200070407', "CA Agglo Pays d'Issoire", 56_000, { type: 'CA', ...at(['63'], ['84']) }),
  entry('scheme', 'cls-agglo-pays-issoire', "Contrat local de santé Agglo Pays d'Issoire", 56_000, { type: 'CLS', ...at(['63'], ['84']) }),
  entry('scheme', 'cls-cergy', 'Contrat local de santé de Cergy', 66_000, { type: 'CLS', ...at(['95'], ['11']) }),
  entry('scheme', 'asv-cergy', 'Atelier santé ville de Cergy', 20_000, { type: 'ASV', ...at(['95'], ['11']) }),
  entry('commune', '01999', 'Cergé', 100, at(['01'], ['84'])),
  entry('epci', '200067361', 'CC Grand-Figeac', 43_000, { type: 'CC', ...at(['12', '46'], ['76']) }),
  entry('departement', '974', 'La Réunion', 885_000, at(['974'], ['04'])),
  entry('commune', '47999', 'La Réunion', 900, at(['47'], ['75'])),
  entry('commune', '25388', 'Montbéliard', 25_000, at(['25'], ['27'])),
  // astride two régions: found from either
  entry('cpts', 'CPTS-SAONE', 'CPTS du Val de Saône', 30_000, at(['01', '71'], ['27', '84'])),
]);
const top = (q: string, limit = 5, filter: { region?: string; departement?: string } = {}) =>
  index.search(parseQuery(q), { limit, ...filter }).map((h) => `${h.layer}:${h.code}`);

describe('parseQuery', () => {
  it('separates layer words, long forms included, from name words', () => {
    expect(parseQuery('cls issoire')).toMatchObject({ words: ['issoire'], hints: [{ layer: 'scheme', type: 'CLS' }] });
    expect(parseQuery('Contrat local de santé Issoire')).toMatchObject({
      words: ['issoire'],
      hintWords: ['contrat', 'local', 'de', 'sante'],
    });
    expect(parseQuery('communauté de communes du Grand-Figeac')).toMatchObject({
      words: ['du', 'grand', 'figeac'],
      hints: [{ layer: 'epci', type: 'CC' }],
    });
    expect(parseQuery('secteur lille').hints.map((h) => h.layer)).toEqual(['secteur-psy-adulte', 'secteur-psy-enfant']);
    expect(parseQuery('issoire')).toMatchObject({ words: ['issoire'], hints: [], code: null });
  });

  it('reads codes as typed', () => {
    expect(parseQuery('2a004').code).toBe('2A004');
    expect(parseQuery('qn05971m').code).toBe('QN05971M');
    expect(parseQuery('paris').code).toBeNull();
  });
});

describe('boundedDistance', () => {
  it('counts edits and transpositions and stops past the bound', () => {
    expect(boundedDistance('montbelliard', 'montbeliard', 2)).toBe(1);
    expect(boundedDistance('etiene', 'etienne', 1)).toBe(1);
    expect(boundedDistance('issorie', 'issoire', 1)).toBe(1);
    expect(boundedDistance('paris', 'lyon', 2)).toBe(3);
    expect(boundedDistance('abc', 'abc', 0)).toBe(0);
  });
});

describe('SearchIndex', () => {
  it('restricts or boosts the layer a layer word names', () => {
    expect(top('cls issoire')[0]).toBe('scheme:cls-agglo-pays-issoire');
    expect(top('agglo issoire')[0]).toBe('epci:200070407');
    // a commune without "agglo" in its name does not match "agglo issoire"
    expect(top('agglo issoire')).not.toContain('commune:63178');
    expect(top('cc du grand figeac')[0]).toBe('epci:200067361');
    expect(top('asv cergy')).toEqual(['scheme:asv-cergy']);
    expect(top('cls')).toEqual(['scheme:cls-cergy', 'scheme:cls-agglo-pays-issoire']);
  });

  it('weighs population against an exact name', () => {
    expect(top('evry').slice(0, 2)).toEqual(['commune:91228', 'commune:89162']);
    expect(top('la reunion')[0]).toBe('departement:974');
    expect(top('issoire')[0]).toBe('commune:63178');
  });

  it('leads other names and former codes to the current unit, saying how', () => {
    const [hit] = index.search(parseQuery('arbignieu'), { limit: 3 });
    expect(hit).toMatchObject({ code: '01015', via: 'commune déléguée Arbignieu' });
    const [former] = index.search(parseQuery('91182'), { limit: 3 });
    expect(former).toMatchObject({ code: '91228', via: 'ancien code 91182' });
  });

  it('tolerates typos only when nothing matches exactly', () => {
    expect(top('montbelliard')[0]).toBe('commune:25388');
    expect(top('issorie').slice(0, 2)).toContain('commune:63178');
    expect(top('zzzz')).toEqual([]);
  });

  it('keeps to the layers asked', () => {
    const only = index.search(parseQuery('issoire'), { limit: 5, layers: [{ layer: 'epci' }] });
    expect(only.map((h) => h.code)).toEqual(['200070407']);
  });
});

describe('SearchIndex filters by place', () => {
  it('keeps to a région what lies in it, by name, by code and by layer word', () => {
    expect(top('evry', 5, { region: '11' })).toEqual(['commune:91228']);
    expect(top('evry', 5, { region: '27' })).toEqual(['commune:89162']);
    expect(top('issoire', 5, { region: '84' })[0]).toBe('commune:63178');
    expect(top('issoire', 5, { region: '11' })).toEqual([]);
    expect(top('91182', 5, { region: '27' })).toEqual([]);
    expect(top('cls', 5, { region: '84' })).toEqual(['scheme:cls-agglo-pays-issoire']);
    expect(top('la reunion', 5, { region: '75' })).toEqual(['commune:47999']);
  });

  it('tries typos when the words match too little in the whole country, not merely in the région', () => {
    expect(top('issorie', 5, { region: '84' })[0]).toBe('commune:63178');
    // "cergy" is a real name elsewhere: from Auvergne-Rhône-Alpes it finds nothing, not its near-miss Cergé
    expect(top('cergy', 2, { region: '84' })).toEqual([]);
    expect(top('cerge', 2, { region: '84' })).toEqual(['commune:01999']);
  });

  it('finds a unit astride two régions from either, not from a third', () => {
    expect(top('val de saone', 5, { region: '84' })).toEqual(['cpts:CPTS-SAONE']);
    expect(top('val de saone', 5, { region: '27' })).toEqual(['cpts:CPTS-SAONE']);
    expect(top('val de saone', 5, { region: '11' })).toEqual([]);
  });

  it('keeps to a département, alone or with layers', () => {
    expect(top('issoire', 5, { departement: '63' }).sort()).toEqual(
      ['commune:63178', 'epci:200070407', 'scheme:cls-agglo-pays-issoire'].sort(),
    );
    expect(top('issoire', 5, { departement: '01' })).toEqual([]);
    expect(top('figeac', 5, { departement: '46' })).toEqual(['epci:200067361']);
    const only = index.search(parseQuery('issoire'), { limit: 5, layers: [{ layer: 'epci' }], departement: '63' });
    expect(only.map((h) => h.code)).toEqual(['200070407']);
  });

  it('knows the régions and départements it holds, for the route to refuse others', () => {
    expect(index.regions.has('84')).toBe(true);
    expect(index.regions.has('93')).toBe(false);
    expect(index.departements.has('2A')).toBe(false);
    expect(index.departements.has('71')).toBe(true);
  });
});
