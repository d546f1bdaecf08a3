// End to end: the panorama of France in headless Chromium — the choropleth of the régions
// drawn on the map, its table matching the API, a région clicked drills down to its
// départements (map and URL follow), a figure opens the list behind it, and the whole
// prints on at most two A4 pages.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { TestServer } from '../support/backends.ts';
import { launchChromium, SHOTS, startE2eServer, waitForMap, type MapWindow } from '../support/browser.ts';

let server: TestServer;
let browser: Browser;
const pageErrors: string[] = [];

beforeAll(async () => {
  server = await startE2eServer();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function api(p: string): Promise<any> {
  const res = await fetch(`${server.url}${p}`);
  expect(res.ok, `${p} → ${res.status}`).toBe(true);
  return res.json();
}

/** The choropleth layer on the map: its source and the codes it colours. */
async function choropleth(page: Page): Promise<{ source: string; codes: string[] } | null> {
  return page.evaluate(() => {
    const { map } = (window as unknown as MapWindow).__millefeuille;
    const layer = map.getStyle().layers.find((l) => l.id.startsWith('hl:area-0-fill@'));
    if (!layer || !('source-layer' in layer)) return null;
    const codes = ((layer.filter as unknown[])[2] as unknown[])[1] as string[];
    return { source: layer['source-layer']!, codes: [...codes].sort() };
  });
}

describe('panorama view', () => {
  let page: Page;

  it('draws the France choropleth and its table, figures as the API says', async () => {
    const expected = await api('/api/panorama?within=france');
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${server.url}/#view=panorama`);
    await waitForMap(page);
    const rows = page.locator('table[data-table="areas"] tbody tr');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(expected.areas.length);
    const occitanie = expected.areas.find((a: any) => a.code === '76');
    const cls = occitanie.types.find((t: any) => t.type === 'CLS');
    const row = page.locator('tr[data-area="76"]');
    expect(await row.locator('th').innerText()).toBe(occitanie.name);
    expect(Number(await row.locator('td').first().innerText())).toBe(cls.count);
    // French figures: the population with a narrow no-break space as thousands separator
    expect(await row.locator('td').nth(2).innerText()).toBe(new Intl.NumberFormat('fr-FR').format(cls.coveredPopulation));
    await expect
      .poll(() => choropleth(page), { timeout: 15_000 })
      .toEqual({ source: 'region', codes: expected.areas.map((a: any) => a.code).sort() });
    // the counts table says "connus" and gives the inventory status
    expect(await page.locator('table[data-table="types"] tr[data-type="CLS"] th').innerText()).toMatch(/CLS connus?/);
    expect(page.url()).toContain('view=panorama&within=france');
    await page.screenshot({ path: path.join(SHOTS, 'e2e-panorama-france.png') });
  });

  it('drills down to the départements of a région', async () => {
    const expected = await api('/api/panorama?within=region:76');
    await page.locator('[data-drill="76"]').click();
    await page.waitForFunction(() => document.querySelector('#panel-title')?.textContent?.includes('Occitanie'));
    await expect.poll(() => page.url()).toContain('within=region:76');
    const rows = page.locator('table[data-table="areas"] tbody tr');
    await expect.poll(() => rows.count()).toBe(expected.areas.length);
    expect(await rows.first().getAttribute('data-area')).toBe(expected.areas[0].code);
    await expect
      .poll(() => choropleth(page), { timeout: 15_000 })
      .toEqual({ source: 'departement', codes: expected.areas.map((a: any) => a.code).sort() });
    // a figure opens the list behind it
    const clsCount = expected.types.find((t: any) => t.type === 'CLS').count;
    await page.locator('[data-count="CLS"]').click();
    const items = page.locator('[data-list] li');
    await expect.poll(() => items.count()).toBe(clsCount);
    const names = expected.units.filter((u: any) => u.type === 'CLS').map((u: any) => u.name);
    expect(names).toContain(await items.first().locator('button').innerText());
  });

  it('prints on at most two A4 pages', async () => {
    await page.emulateMedia({ media: 'print' });
    await page.setViewportSize({ width: 794, height: 1123 });
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    const pages = pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)?.length ?? 0;
    expect(pages).toBeGreaterThanOrEqual(1);
    expect(pages).toBeLessThanOrEqual(2);
    await page.close();
    expect(pageErrors).toEqual([]);
  });
});
