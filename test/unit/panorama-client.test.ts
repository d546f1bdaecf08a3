// The client side of the panorama: URLs of the view and of each CSV block, the
// choropleth classes and the highlight drawn on the sub-area tiles, drill-down targets
// and inventory status texts.
import { describe, expect, it } from 'vitest';
import {
  choroplethColor,
  CHOROPLETH,
  drillZone,
  panoramaHighlight,
  panoramaUrl,
  shareText,
  statusText,
  type Panorama,
} from '../../client/src/lib/panorama.ts';

describe('panorama client helpers', () => {
  it('builds the JSON and CSV URLs', () => {
    expect(panoramaUrl('france', false)).toBe('/api/panorama?within=france');
    expect(panoramaUrl('region:76', true, 'bands')).toBe('/api/panorama?within=region:76&includeFictif=true&format=csv&block=bands');
  });

  it('classes shares, zero apart', () => {
    expect(choroplethColor(0)).toBe(CHOROPLETH[0].color);
    expect(choroplethColor(0.05)).toBe(CHOROPLETH[1].color);
    expect(choroplethColor(0.1)).toBe(CHOROPLETH[2].color);
    expect(choroplethColor(0.5)).toBe(CHOROPLETH[4].color);
    expect(choroplethColor(1)).toBe(CHOROPLETH[4].color);
  });

  it('colours each sub-area on its own layer', () => {
    const p = {
      areaLevel: 'departement',
      fiction: { included: false, count: 0, wording: null },
      areas: [
        { code: '46', types: [{ type: 'CLS', populationShare: 0.6 }] },
        { code: '82', types: [{ type: 'CLS', populationShare: 0 }] },
      ],
    } as unknown as Panorama;
    const h = panoramaHighlight(p, 'CLS');
    expect(h.areas).toEqual([{ layer: 'departement', colors: { '46': '#08306b', '82': '#f7fbff' }, fillOpacity: 0.75, width: 1 }]);
    expect(h.legend.title).toBe('Population couverte par un CLS connu');
    expect(h.legend.items).toHaveLength(CHOROPLETH.length);
  });

  it('drills from France to a région, from a région to a département, not further', () => {
    expect(drillZone({ areaLevel: 'region', within: { kind: 'france', code: null, name: 'France', parent: null } }, '76')).toBe(
      'region:76',
    );
    expect(drillZone({ areaLevel: 'departement', within: { kind: 'region', code: '76', name: 'O', parent: null } }, '46')).toBe(
      'departement:46',
    );
    expect(
      drillZone({ areaLevel: 'departement', within: { kind: 'departement', code: '46', name: 'Lot', parent: null } }, '46'),
    ).toBeNull();
  });

  it('says the status and qualifies shares of a partial registry', () => {
    expect(statusText({ status: 'complet', completeAt: '2026-11-30' })).toBe('complet au 30/11/2026');
    expect(statusText({ status: 'partiel', completeAt: null })).toBe('partiel');
    expect(statusText(undefined)).toBe('inconnu');
    expect(shareText(0.25, true)).toMatch(/^25\s%$/);
    expect(shareText(0.25, false)).toMatch(/^25\s% \(connus\)$/);
  });
});
