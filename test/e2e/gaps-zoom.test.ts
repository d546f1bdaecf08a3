// End to end: the gaps view readable at every zoom in headless Chromium — at France zoom
// a choropleth of the départements by share of the population without a known CLS, with
// its table; at région zoom the EPCI, then the communes, the QPV without ASV nor CLS drawn
// above the commune fill with their own outline and listed with their communes by name;
// export links named after the layer, the zone and the date, as the server names them;
// a signed-in planner opens the gaps and the panorama on their région in one click.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { type MapWindow, SHOTS, signInThroughUi, useE2eServer, waitForMap } from '../support/browser.ts';
import { exportDate } from '../../contract/export-name.ts';

const PLANNER = 'planificatrice.gaps@ars.example';
const PASSWORD = 'mot-de-passe-de-test-gaps';

const e2e = useE2eServer([{ email: PLANNER, password: PASSWORD, name: 'Paula Planificatrice', role: 'planner', region: '84' }]);
const pageErrors: string[] = [];

async function api(p: string): Promise<any> {
  const res = await fetch(`${e2e.server.url}${p}`);
  expect(res.ok, `${p} → ${res.status}`).toBe(true);
  return res.json();
}

interface DrawnLayer {
  id: string;
  index: number;
  sourceLayer: string | null;
  rendered: string[];
}

/** The analysis layers on the map, in drawing order, with the codes they draw on screen. */
async function drawn(page: Page): Promise<DrawnLayer[]> {
  return page.evaluate(() => {
    const { map } = (window as unknown as MapWindow).__millefeuille;
    const layers = map.getStyle().layers;
    return layers
      .map((l, index) => ({ l, index }))
      .filter(({ l }) => l.id.startsWith('hl:'))
      .map(({ l, index }) => ({
        id: l.id,
        index,
        sourceLayer: 'source-layer' in l ? (l['source-layer'] ?? null) : null,
        rendered: [...new Set(map.queryRenderedFeatures({ layers: [l.id] }).map((f) => String(f.properties?.code)))],
      }));
  });
}

async function jump(page: Page, zoom: number, lat: number, lon: number) {
  await page.evaluate(
    ([z, la, lo]) => (window as unknown as MapWindow).__millefeuille.map.jumpTo({ zoom: z!, center: [lo!, la!] }),
    [zoom, lat, lon],
  );
  await waitForMap(page);
}

const legendTitle = (page: Page) => page.locator('.hl-title').innerText();
const layerOf = (layers: DrawnLayer[], kind: string, sourceLayer: string) =>
  layers.find((l) => l.id.startsWith(`hl:${kind}`) && l.sourceLayer === sourceLayer);

async function newPage(hash: string): Promise<Page> {
  const page = await e2e.browser.newPage({ viewport: { width: 1280, height: 800 }, reducedMotion: 'reduce' });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(`${e2e.server.url}/${hash}`);
  await waitForMap(page);
  return page;
}

describe('gaps at every zoom', () => {
  it('colours the départements of France at zoom 5, with their table and named exports', async () => {
    const expected = await api('/api/gaps?layer=cls');
    const page = await newPage('#view=gaps&layer=cls&within=france');
    await page.locator('[data-field="uncovered-count"]').waitFor();
    await jump(page, 5, 46.6, 2.4);
    await expect.poll(() => legendTitle(page), { timeout: 15_000 }).toMatch(/^Population sans CLS connu — par département$/);
    await expect
      .poll(async () => layerOf(await drawn(page), 'area-0-fill', 'departement')?.rendered.length ?? 0, { timeout: 15_000 })
      .toBeGreaterThan(50);
    const fill = layerOf(await drawn(page), 'area-0-fill', 'departement')!;
    const codes = new Set(expected.areas.departement.map((d: any) => d.code));
    expect(fill.rendered.filter((c) => !codes.has(c))).toEqual([]);
    // no commune class fill at this zoom: the choropleth stands for them
    expect((await drawn(page)).some((l) => l.id.startsWith('hl:commune-fill'))).toBe(false);
    // the table of the same figures, most uncovered share first, "connus" where the registry is partial
    const rows = page.locator('table[data-table="areas-departement"] tbody tr');
    await expect.poll(() => rows.count()).toBe(expected.areas.departement.length);
    const first = expected.areas.departement[0];
    expect(await rows.first().locator('th').innerText()).toBe(`${first.name} (${first.code})`);
    expect(await rows.first().locator('td').nth(1).innerText()).toBe(new Intl.NumberFormat('fr-FR').format(first.uncoveredPopulation));
    expect(await rows.first().locator('td').nth(2).innerText()).toMatch(/\(connus\)$/);
    // exports named after the layer, the zone and the date
    const today = exportDate();
    expect(await page.locator('a[data-export="communes-csv"]').getAttribute('download')).toBe(`communes-sans-cls-france-${today}.csv`);
    expect(await page.locator('a[data-export="areas-csv"]').getAttribute('download')).toBe(
      `lacunes-cls-par-departement-france-${today}.csv`,
    );
    await page.screenshot({ path: path.join(SHOTS, 'e2e-gaps-france.png') });
    await page.close();
  });

  it('switches to EPCI then communes in a région, QPV outlined above the commune fill and named', async () => {
    const qpv = await api('/api/gaps/qpv?within=region:76');
    const page = await newPage('#view=gaps&layer=cls&within=region:76');
    await expect.poll(() => page.locator('[data-field="zone"]').innerText()).toBe('Occitanie');
    // région zoom: the EPCI
    await jump(page, 6.5, 43.7, 2.2);
    await expect.poll(() => legendTitle(page), { timeout: 15_000 }).toMatch(/— par EPCI$/);
    await expect
      .poll(async () => layerOf(await drawn(page), 'area-0-fill', 'epci')?.rendered.length ?? 0, { timeout: 15_000 })
      .toBeGreaterThan(20);
    // closer: the communes, and the QPV without ASV nor CLS above them
    await jump(page, 8, 43.6, 1.44);
    await expect.poll(() => legendTitle(page), { timeout: 15_000 }).toMatch(/— par commune$/);
    let layers: DrawnLayer[] = [];
    await expect
      .poll(
        async () => {
          layers = await drawn(page);
          return Math.min(
            layerOf(layers, 'commune-fill', 'commune')?.rendered.length ?? 0,
            layerOf(layers, 'area-', 'qpv')?.rendered.length ?? 0,
          );
        },
        { timeout: 15_000 },
      )
      .toBeGreaterThan(0);
    const communeFill = layerOf(layers, 'commune-fill', 'commune')!;
    const qpvLayers = layers.filter((l) => l.sourceLayer === 'qpv');
    expect(communeFill.rendered.length).toBeGreaterThan(50);
    expect(qpvLayers.map((l) => l.id.replace(/^hl:area-\d+-/, '').replace(/@\d+$/, ''))).toEqual(['fill', 'casing', 'line']);
    for (const l of qpvLayers) {
      expect(l.index, `${l.id} above the commune fill`).toBeGreaterThan(communeFill.index);
      expect(l.rendered.length, `${l.id} rendered`).toBeGreaterThan(0);
    }
    // what is drawn is what the list says: QPV without ASV nor CLS, Toulouse's among them
    const listed = new Set(qpv.uncovered.qpv.map((q: any) => q.code));
    const onScreen = qpvLayers[0]!.rendered;
    expect(onScreen.filter((c) => !listed.has(c))).toEqual([]);
    // the QPV table names their communes, code beside
    const toulouse = qpv.uncovered.qpv.find((q: any) => q.communes.includes('31555'));
    const row = page.locator('table[data-table="qpv"] tbody tr', { hasText: toulouse.code });
    await expect.poll(() => row.first().locator('td').last().innerText()).toBe('Toulouse (31555)');
    // exports carry the zone, as the server names them
    const link = page.locator('a[data-export="communes-csv"]');
    const download = await link.getAttribute('download');
    expect(download).toBe(`communes-sans-cls-occitanie-76-${exportDate()}.csv`);
    const res = await fetch(`${e2e.server.url}${await link.getAttribute('href')}`);
    expect(res.headers.get('content-disposition')).toContain(download!);
    expect(await page.locator('a[data-export="qpv-csv"]').getAttribute('download')).toBe(
      `qpv-sans-asv-ni-cls-occitanie-76-${exportDate()}.csv`,
    );
    await page.screenshot({ path: path.join(SHOTS, 'e2e-gaps-region.png') });
    await page.close();
    // switching levels re-draws the analysis layers without a MapLibre error
    expect(pageErrors).toEqual([]);
  });

  it('opens the gaps and the panorama on the planner’s région', async () => {
    const page = await newPage('#view=gaps&layer=cls&within=france');
    expect(await page.locator('[data-action="my-region"]').count()).toBe(0); // a visitor has no région
    await signInThroughUi(page, PLANNER, PASSWORD, 'Paula Planificatrice');
    await page.locator('[data-action="my-region"]').click();
    await expect.poll(() => page.url()).toContain('within=region:84');
    await expect.poll(() => page.locator('[data-field="zone"]').innerText()).toBe('Auvergne-Rhône-Alpes');
    expect(await page.locator('[data-action="my-region"]').getAttribute('aria-pressed')).toBe('true');
    await page.locator('[data-view="panorama"]').click();
    await page.locator('[data-action="my-region"]').click();
    await expect.poll(() => page.url()).toContain('view=panorama&within=region:84');
    await page.waitForFunction(() => document.querySelector('#panel-title')?.textContent?.includes('Auvergne-Rhône-Alpes'));
    await page.close();
    expect(pageErrors).toEqual([]);
  });
});
