// The view state (client/src/state/view.svelte.ts) without a browser: what opening a
// sheet, an analysis or a permalink does to the state, the URL it describes, the map
// (through the map context) and the focus — the shell's rules, tested on their own.
import { flushSync } from 'svelte';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Territory } from '../../client/src/lib/api.ts';
import type { Bbox } from '../../client/src/lib/bbox.ts';
import { decodePermalink, encodePermalink, MAX_COMPARED } from '../../client/src/lib/permalink.ts';
import { compareBasket } from '../../client/src/state/compareBasket.svelte.ts';
import { mapContext } from '../../client/src/state/map.svelte.ts';
import { ViewState } from '../../client/src/state/view.svelte.ts';

let fitted: Bbox[];
beforeEach(() => {
  fitted = [];
  compareBasket.set([]);
  mapContext.attach({
    fitBbox: (b) => fitted.push(b),
    jumpTo: () => {},
    reloadSchemeTiles: () => {},
    refreshSchemes: async () => 0,
  });
});
afterEach(() => mapContext.attach(null));

const ISSOIRE_BBOX: Bbox = [3.1, 45.4, 3.4, 45.7];
function territory(layer: string, code: string, name: string): Territory {
  return { layer, code, name, bbox: ISSOIRE_BBOX } as unknown as Territory;
}

describe('ViewState', () => {
  it('opens a shared link to a sheet framed on the territory, once its sheet has loaded', () => {
    const v = new ViewState(decodePermalink('#sel=epci:200070407'));
    expect(v.selection).toEqual({ layer: 'epci', code: '200070407' });
    expect(fitted).toEqual([]);
    v.sheetLoaded(territory('epci', '200070407', 'Agglo Pays d’Issoire'));
    expect(fitted).toEqual([ISSOIRE_BBOX]);
    expect(v.title).toBe('Agglo Pays d’Issoire');
    expect(v.focusRequest).toBeNull();
  });

  it('takes the current code the server answers for a former commune, replacing the history entry', () => {
    const v = new ViewState(decodePermalink(''));
    v.select({ layer: 'commune', code: '63178' });
    v.sheetLoaded(territory('commune', '63999', 'Issoire'));
    expect(v.selection).toEqual({ layer: 'commune', code: '63999' });
    expect(v.replaceNext).toBe(true);
    expect(fitted).toEqual([ISSOIRE_BBOX]);
    expect(v.focusRequest).toBe('sheet');
  });

  it('an analysis hides the sheet, a map view from the URL is not moved until the user acts', async () => {
    const v = new ViewState(decodePermalink('#map=9/45.5/3.2&view=gaps&layer=cls&within=departement:63'));
    expect(v.mode).toBe('gaps');
    expect(v.viewFromUrl).toBe(true);
    v.showExtent(ISSOIRE_BBOX);
    expect(fitted).toEqual([]);
    expect(v.printBbox).toEqual(ISSOIRE_BBOX);
    v.touched();
    v.showExtent(ISSOIRE_BBOX);
    expect(fitted).toEqual([ISSOIRE_BBOX]);
    v.select({ layer: 'commune', code: '63178' }, { fly: false, focus: false });
    expect(v.mode).toBeNull();
    expect(v.shownSelection).toEqual({ layer: 'commune', code: '63178' });
    // the print frame belonged to the analysis, not to this sheet
    expect(v.printBbox).toBeNull();
  });

  it('writes the permalink the URL mirrors, and reads it back', () => {
    const hash = '#map=6.2/46.5/2.4&layers=epci,cls&opacity=epci:0.5&view=load&s=cls-grand-quercy';
    const v = new ViewState(decodePermalink(hash));
    expect('#' + encodePermalink(v.permalink)).toBe(hash);
    v.toggle('cls', false);
    v.setOpacity('epci', 1);
    expect(encodePermalink(v.permalink)).toBe('map=6.2/46.5/2.4&layers=epci&view=load&s=cls-grand-quercy');
  });

  it('clicks on the map fill the comparison while picking, and picking stops when it is full', () => {
    const v = new ViewState(decodePermalink('#view=compare'));
    v.picking = true;
    for (let i = 0; i < MAX_COMPARED; i++) v.mapSelect({ layer: 'commune', code: `4600${i}` });
    expect(compareBasket.count).toBe(MAX_COMPARED);
    expect(v.picking).toBe(false);
    expect(v.selection).toBeNull();
    v.mapSelect({ layer: 'commune', code: '46100' });
    expect(v.selection).toEqual({ layer: 'commune', code: '46100' });
    expect(v.mode).toBeNull();
  });

  it('going back in history restores the analysis and its parameters', () => {
    const v = new ViewState(decodePermalink(''));
    v.restore(decodePermalink('#view=compare&p=scheme:cls-grand-quercy,petr:PETR-GRAND-QUERCY'));
    expect(v.mode).toBe('compare');
    expect(compareBasket.perimeters).toEqual([
      { layer: 'scheme', code: 'cls-grand-quercy' },
      { layer: 'petr', code: 'PETR-GRAND-QUERCY' },
    ]);
    v.restore(decodePermalink('#view=panorama&within=region:76&fictif=1'));
    expect(v.panorama).toEqual({ kind: 'panorama', within: 'region:76', fictif: true });
    expect(v.analysis).toEqual(v.panorama);
    flushSync();
  });
});
