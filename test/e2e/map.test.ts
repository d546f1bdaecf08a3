// End to end: the built client (client/dist) in headless Chromium against the real app
// and a real import. The map must draw, layers must toggle, search and map clicks must
// open the right sheet, the URL must restore the view, and nothing may leave localhost.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { TestServer } from '../support/backends.ts';
import { launchChromium, SHOTS, startE2eServer, waitForMap } from '../support/browser.ts';

const VIEWPORT = { width: 1280, height: 800 };
const LOCAL = /^(https?:\/\/(127\.0\.0\.1|localhost)(:\d+)?\/|data:|blob:)/;

let server: TestServer;
let browser: Browser;
const requests: string[] = [];
const pageErrors: string[] = [];

interface CanvasShot {
  png: Buffer;
  pixels: number;
  /** Distinct colours after quantising each channel to 16 levels. */
  colours: number;
  /** Share of pixels close to a given colour, by name. */
  near: Record<string, number>;
}

beforeAll(async () => {
  server = await startE2eServer();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function openPage(hash = ''): Promise<Page> {
  const page = await browser.newPage({ viewport: VIEWPORT });
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(`${server.url}/${hash}`);
  await waitForMap(page, 400);
  return page;
}

async function shootCanvas(page: Page, name?: string): Promise<CanvasShot> {
  const png = await page.locator('canvas.maplibregl-canvas').screenshot();
  if (name) fs.writeFileSync(path.join(SHOTS, `e2e-${name}-canvas.png`), png);
  const stats = await page.evaluate(async (b64: string) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.width;
    c.height = img.height;
    const ctx = c.getContext('2d')!;
    ctx.drawImage(img, 0, 0);
    const data = ctx.getImageData(0, 0, c.width, c.height).data;
    const targets: Record<string, [number, number, number]> = {
      sea: [0xd5, 0xe3, 0xec],
      land: [0xf7, 0xf5, 0xf0],
      epciBlue: [0x00, 0x72, 0xb2],
    };
    const near: Record<string, number> = Object.fromEntries(Object.keys(targets).map((k) => [k, 0]));
    const colours = new Set<number>();
    for (let i = 0; i < data.length; i += 4) {
      const r = data[i]!,
        g = data[i + 1]!,
        b = data[i + 2]!;
      colours.add(((r >> 4) << 8) | ((g >> 4) << 4) | (b >> 4));
      for (const [k, [tr, tg, tb]] of Object.entries(targets)) {
        if (Math.abs(r - tr) + Math.abs(g - tg) + Math.abs(b - tb) < 30) near[k]! += 1;
      }
    }
    const pixels = data.length / 4;
    for (const k of Object.keys(near)) near[k] = near[k]! / pixels;
    return { pixels, colours: colours.size, near };
  }, png.toString('base64'));
  return { png, ...stats };
}

/** Share of pixels that differ noticeably between two screenshots of the same size. */
async function diffShare(page: Page, a: Buffer, b: Buffer): Promise<number> {
  return page.evaluate(
    async ([a64, b64]) => {
      const read = async (b64: string) => {
        const img = new Image();
        img.src = `data:image/png;base64,${b64}`;
        await img.decode();
        const c = document.createElement('canvas');
        c.width = img.width;
        c.height = img.height;
        const ctx = c.getContext('2d')!;
        ctx.drawImage(img, 0, 0);
        return ctx.getImageData(0, 0, c.width, c.height).data;
      };
      const [x, y] = [await read(a64!), await read(b64!)];
      if (x.length !== y.length) return 1;
      let changed = 0;
      for (let i = 0; i < x.length; i += 4) {
        if (Math.abs(x[i]! - y[i]!) + Math.abs(x[i + 1]! - y[i + 1]!) + Math.abs(x[i + 2]! - y[i + 2]!) > 24) changed++;
      }
      return changed / (x.length / 4);
    },
    [a.toString('base64'), b.toString('base64')],
  );
}

async function api<T>(p: string): Promise<T> {
  const res = await fetch(`${server.url}${p}`);
  expect(res.ok, `${p} → ${res.status}`).toBe(true);
  return (await res.json()) as T;
}

async function sheetTitle(page: Page, notText = 'Chargement…'): Promise<string> {
  await page.waitForFunction((t) => {
    const h = document.querySelector('#sheet-title');
    return !!h && h.textContent!.trim() !== '' && h.textContent!.trim() !== t;
  }, notText);
  return (await page.locator('#sheet-title').innerText()).trim();
}

function digits(text: string): number {
  return Number(text.replace(/\D/g, ''));
}

describe('web client', () => {
  it('loads and draws the map offline (sea, land, borders, scheme statuses)', async () => {
    const page = await openPage();
    const firstIdle = await page.evaluate(() => performance.getEntriesByName('millefeuille:first-idle')[0]?.startTime ?? null);
    expect(firstIdle, 'the map never reached idle').not.toBeNull();
    // again with the server's tile indexes and the browser's cache warm
    await page.reload();
    await waitForMap(page, 400);
    const warmIdle = await page.evaluate(() => performance.getEntriesByName('millefeuille:first-idle')[0]?.startTime ?? null);
    expect(warmIdle).not.toBeNull();
    console.log(`[e2e] navigation → first map idle: ${Math.round(firstIdle!)} ms cold server, ${Math.round(warmIdle!)} ms warm`);

    const shot = await shootCanvas(page, 'start');
    await page.screenshot({ path: path.join(SHOTS, 'e2e-start.png') });
    expect(shot.colours).toBeGreaterThan(12);
    expect(shot.near.sea).toBeGreaterThan(0.1);
    expect(shot.near.land).toBeGreaterThan(0.1);

    // scheme statuses from /api/schemes are applied as feature-state
    const { schemes } = await api<{ schemes: { code: string; status: string | null }[] }>('/api/schemes');
    const first = schemes[0]!;
    const state = await page.evaluate((code) => {
      const { map } = (window as unknown as { __millefeuille: { map: import('maplibre-gl').Map } }).__millefeuille;
      return map.getFeatureState({ source: 'scheme', sourceLayer: 'scheme', id: code });
    }, first.code);
    expect(state.status).toBe(first.status ?? 'inconnu');
    const count = await page.evaluate(() =>
      (window as unknown as { __millefeuille: { refreshSchemes: () => Promise<number> } }).__millefeuille.refreshSchemes(),
    );
    expect(count).toBe(schemes.length);

    // the page is in French and every layer of the catalogue has its switch
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    const { layers } = await api<{ layers: { id: string; types?: { id: string }[] }[] }>('/api/layers');
    const ids = layers.flatMap((l) => (l.types?.length ? l.types.map((t) => t.id) : [l.id]));
    for (const id of ids) await expect.poll(() => page.locator(`input[data-layer="${id}"]`).count(), { timeout: 10_000 }).toBe(1);
    await page.close();
  });

  it('draws labels and a new layer when it is switched on', async () => {
    const page = await openPage('#map=9/45.5/3.2&layers=departement,commune');
    const before = await shootCanvas(page, 'toggle-before');
    expect(before.near.epciBlue).toBeLessThan(0.001);

    await page.locator('input[data-layer="epci"]').check();
    await waitForMap(page, 400);
    const after = await shootCanvas(page, 'toggle-after');
    await page.screenshot({ path: path.join(SHOTS, 'e2e-toggle.png') });
    expect(await diffShare(page, before.png, after.png)).toBeGreaterThan(0.01);
    expect(after.near.epciBlue).toBeGreaterThan(0.002);
    expect(page.url()).toMatch(/layers=[^&]*epci/);

    // labels are drawn by the map itself (local glyphs): some are placed at this zoom
    const labels = await page.evaluate(() => {
      const { map } = (window as unknown as { __millefeuille: { map: import('maplibre-gl').Map } }).__millefeuille;
      return map.queryRenderedFeatures({ layers: ['commune:label', 'epci:label'] }).length;
    });
    expect(labels).toBeGreaterThan(5);

    // the opacity slider appears for an active layer and is reflected in the URL
    const slider = page.getByRole('slider', { name: /Opacité : Intercommunalités/ });
    await slider.fill('40');
    await page.waitForFunction(() => location.hash.includes('opacity=epci:0.4'));
    await page.close();
  });

  it('finds "issoire" and opens the sheet of CA Agglo Pays d\'Issoire with its real commune count', async () => {
    const page = await openPage('#layers=departement,cls');
    const expected = await api<{ name: string; communeCount: number }>('/api/territories/epci/200070407');
    const box = page.getByRole('combobox', { name: 'Rechercher un territoire' });
    await box.click();
    await box.pressSequentially('issoire', { delay: 30 });
    const options = page.getByRole('option');
    // wait for the answer to the whole word, not to a prefix typed on the way
    await expect.poll(() => options.locator('.name').allInnerTexts(), { timeout: 10_000 }).toContain("CA Agglo Pays d'Issoire");
    const names = await options.locator('.name').allInnerTexts();
    const index = names.indexOf("CA Agglo Pays d'Issoire");
    expect(index, `résultats : ${names.join(', ')}`).toBeGreaterThanOrEqual(0);
    for (let i = 0; i <= index; i++) await box.press('ArrowDown');
    await expect(box.getAttribute('aria-activedescendant')).resolves.toBe(await options.nth(index).getAttribute('id'));
    await box.press('Enter');

    expect(await sheetTitle(page)).toBe(expected.name);
    const shown = await page.locator('[data-field="commune-count"]').innerText();
    expect(digits(shown)).toBe(expected.communeCount);
    expect(expected.communeCount).toBe(87);
    expect(page.url()).toContain('sel=epci:200070407');
    // focus moved to the sheet, the map flew to the territory
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('sheet-title');
    await waitForMap(page, 400);
    const zoom = await page.evaluate(() =>
      (window as unknown as { __millefeuille: { map: import('maplibre-gl').Map } }).__millefeuille.map.getZoom(),
    );
    expect(zoom).toBeGreaterThan(8);
    // the member communes table lists them all
    await page.getByText(/Afficher les 87 communes/).click();
    await expect.poll(() => page.locator('table.communes tbody tr').count(), { timeout: 10_000 }).toBe(87);
    await page.screenshot({ path: path.join(SHOTS, 'e2e-search-sheet.png') });
    await page.close();
  });

  it('selects the commune under a click on the map, or at its centre with Enter', async () => {
    const page = await openPage('#map=11/45.5446/3.2493&layers=');
    const canvas = page.locator('canvas.maplibregl-canvas');
    const bounds = (await canvas.boundingBox())!;
    await canvas.click({ position: { x: bounds.width / 2, y: bounds.height / 2 } });
    const name = await sheetTitle(page);
    const code = (await page.locator('[data-field="code"]').innerText()).trim();
    expect(code).toMatch(/^[0-9][0-9AB][0-9]{3}$/);
    const t = await api<{ layer: string; name: string; code: string }>(`/api/territories/commune/${code}`);
    expect(t.layer).toBe('commune');
    expect(name).toBe(t.name);
    expect(page.url()).toContain(`sel=commune:${code}`);
    await waitForMap(page, 400);
    await page.screenshot({ path: path.join(SHOTS, 'e2e-click-commune.png') });

    // keyboard: closing the sheet returns focus to the map; Enter selects the unit at its centre
    await page.getByRole('button', { name: 'Fermer la fiche' }).click();
    await expect.poll(() => page.locator('#sheet-title').count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.classList.contains('maplibregl-canvas'))).toBe(true);
    await page.keyboard.press('Enter');
    expect(await sheetTitle(page)).toBe(t.name);
    await page.close();
  });

  it('restores layers, opacity and selection from the URL, on reload and through history', async () => {
    const page = await openPage('#map=9.5/45.47/3.25&layers=epci,cls&opacity=epci:0.5&sel=epci:200070407');
    const check = async () => {
      expect(await page.locator('input[data-layer="epci"]').isChecked()).toBe(true);
      expect(await page.locator('input[data-layer="cls"]').isChecked()).toBe(true);
      expect(await page.locator('input[data-layer="departement"]').isChecked()).toBe(false);
      expect(await sheetTitle(page)).toBe("CA Agglo Pays d'Issoire");
      const state = await page.evaluate(() => {
        const { map } = (window as unknown as { __millefeuille: { map: import('maplibre-gl').Map } }).__millefeuille;
        return {
          zoom: map.getZoom(),
          epci: map.getLayoutProperty('epci:line', 'visibility'),
          dep: map.getLayoutProperty('departement:line', 'visibility'),
          opacity: map.getPaintProperty('epci:line', 'line-opacity'),
          selection: map.getLayer('selection:line') !== undefined,
        };
      });
      expect(state).toEqual({ zoom: 9.5, epci: 'visible', dep: 'none', opacity: 0.5, selection: true });
    };
    await check();
    await page.reload();
    await waitForMap(page, 400);
    await check();

    // a link in the sheet selects another territory (new history entry); back restores
    await page.getByRole('button', { name: "Contrat local de santé Agglo Pays d'Issoire", exact: true }).click();
    expect(await sheetTitle(page, "CA Agglo Pays d'Issoire")).toBe("Contrat local de santé Agglo Pays d'Issoire");
    expect(page.url()).toContain('sel=scheme:cls-agglo-pays-issoire');
    await page.goBack();
    expect(await sheetTitle(page, "Contrat local de santé Agglo Pays d'Issoire")).toBe("CA Agglo Pays d'Issoire");
    expect(page.url()).toContain('sel=epci:200070407');
    await page.goForward();
    expect(await sheetTitle(page, "CA Agglo Pays d'Issoire")).toBe("Contrat local de santé Agglo Pays d'Issoire");
    await page.close();
  });

  it('never requests anything outside localhost', () => {
    expect(requests.length).toBeGreaterThan(20);
    expect(requests.some((u) => u.includes('/tiles/'))).toBe(true);
    expect(requests.filter((u) => !LOCAL.test(u))).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
