// Pure parts of the GIS interfaces: how much a bbox generalises, and HTML and TileJSON
// attribution built from data that could hold markup (a scheme's name is typed by users).
import { describe, expect, it } from 'vitest';
import type { Collection } from '../../server/ogc/catalogue.ts';
import { toleranceFor } from '../../server/ogc/generalise.ts';
import { escapeHtml, itemHtml, itemsHtml } from '../../server/ogc/html.ts';
import { tileJson } from '../../server/routes/tilejson.ts';

const collection: Collection = {
  id: 'cls',
  layer: 'scheme',
  schemeType: 'CLS',
  title: 'Contrats locaux de santé (CLS)',
  description: 'CLS',
  vintage: '2023-2024',
  source: 'Fabrique <b>Territoires</b> Santé & co',
  licence: 'Licence Ouverte 2.0',
  fictif: false,
  count: 1,
  bbox: [1, 44, 2, 45],
  hasType: true,
  hasFictif: false,
  properties: [
    { name: 'code', type: 'string', title: 'Code' },
    { name: 'name', type: 'string', title: 'Nom' },
  ],
  filters: ['type'],
};
const evil = { id: 'cls-x', properties: { code: 'cls-x', name: '<script>alert("x")</script> & l\'autre' } };

describe('OGC HTML pages', () => {
  it('escapes every character that could open markup', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });

  it('escapes feature names in the list and in the feature page', () => {
    for (const html of [
      itemsHtml('http://h/ogc', collection, [evil], { matched: 1, offset: 0 }, [], null),
      itemHtml('http://h/ogc', collection, evil, true),
    ]) {
      expect(html).not.toContain('<script>');
      expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; l&#39;autre');
    }
  });
});

describe('TileJSON', () => {
  it('escapes the attribution, which MapLibre shows as HTML', () => {
    const tj = tileJson('http://h', ['cls'], [collection], undefined);
    expect(tj.attribution).toBe('Fabrique &lt;b&gt;Territoires&lt;/b&gt; Santé &amp; co (Licence Ouverte 2.0)');
  });
});

describe('generalisation by bbox size', () => {
  it('keeps full detail under about one degree, then half a pixel of a 2,048-pixel view', () => {
    expect(toleranceFor(null)).toBe(0);
    expect(toleranceFor([1.4, 44.4, 1.6, 44.6])).toBe(0);
    expect(toleranceFor([1, 44, 2, 44.5])).toBe(0);
    expect(toleranceFor([-5, 41, 10, 51.5])).toBeCloseTo(15 / 2048, 4);
    expect(toleranceFor([0, 40, 4, 41])).toBeCloseTo(4 / 2048, 4);
  });
});
