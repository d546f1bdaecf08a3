// The security headers against the real client in headless Chromium: the page is served
// with its Content-Security-Policy, and the map (MapLibre's workers, blob: URLs, canvas
// labels), the search, a territory sheet and the layer toggles all work without a
// single CSP violation reported by the browser.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { TestServer } from '../support/backends.ts';
import { launchChromium, startE2eServer, waitForMap, type MapWindow } from '../support/browser.ts';

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startE2eServer();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('Content-Security-Policy in Chromium', () => {
  it('draws the map and opens a sheet without any CSP violation', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy|Content-Security-Policy/i.test(m.text())) violations.push(`console : ${m.text()}`);
    });
    page.on('pageerror', (e) => violations.push(`erreur : ${e.message}`));
    await page.exposeFunction('__reportViolation', (v: string) => violations.push(v));
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        (window as unknown as { __reportViolation(v: string): void }).__reportViolation(
          `${e.violatedDirective} : ${e.blockedURI} (${e.sourceFile}:${e.lineNumber})`,
        );
      });
    });
    const response = await page.goto(`${server.url}/`);
    expect(response!.headers()['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    expect(response!.headers()['x-content-type-options']).toBe('nosniff');
    await waitForMap(page, 300);

    // the map drew tiles (parsed in MapLibre's workers): the canvas is not blank
    const features = await page.evaluate(() => (window as unknown as MapWindow).__millefeuille.map.queryRenderedFeatures().length);
    expect(features).toBeGreaterThan(0);

    // search, then the territory sheet, then a layer switched on and a zoom: more tiles, more workers
    const box = page.getByRole('combobox', { name: 'Rechercher un territoire' });
    await box.click();
    await box.pressSequentially('issoire', { delay: 30 });
    const option = page.getByRole('option').filter({ hasText: "CA Agglo Pays d'Issoire" });
    await option.first().click();
    await page.locator('#sheet-title', { hasText: "CA Agglo Pays d'Issoire" }).waitFor();
    await page.locator('input[data-layer="epci"]').check();
    await page.evaluate(() => (window as unknown as MapWindow).__millefeuille.map.zoomTo(10, { duration: 0 }));
    await waitForMap(page, 300);
    const labels = await page.evaluate(
      () => (window as unknown as MapWindow).__millefeuille.map.queryRenderedFeatures({ layers: ['epci:label'] }).length,
    );
    expect(labels).toBeGreaterThan(0);

    expect(violations).toEqual([]);
    await page.close();
  });
});
