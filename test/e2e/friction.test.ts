// Everyday friction (issue 14 §4) in headless Chromium: an anonymous visit without console
// errors, a permalink of today's form opening the same view with a titled tab and
// "Copier le lien", a coordinator's "Mes démarches", the unsaved-edit guard, keyboard
// picking of the commune at the centre (commune layer turned on, the commune outlined),
// the printed sheet framed on its territory, the header at 1280 px and the mobile layout.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { TestServer } from '../support/backends.ts';
import { launchChromium, signInThroughUi, startE2eServer, waitForMap, type MapWindow } from '../support/browser.ts';
import { createUser } from '../../server/queries/users.ts';
import { hashPassword } from '../../server/auth/passwords.ts';

const SCHEME = 'cls-agglo-pays-issoire';
const COORDINATOR = 'friction-coord@e2e.test';
const PLANNER = 'friction-planner@e2e.test';
const PASSWORD = 'mot de passe friction 2026';
const PLANNER_NAME = 'Marie-Dominique de La Tour-d’Auvergne-Lauraguais';

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startE2eServer();
  await server.db.query(`DELETE FROM registry.app_user WHERE email LIKE 'friction-%@e2e.test'`);
  const passwordHash = await hashPassword(PASSWORD);
  await createUser(server.db, {
    email: COORDINATOR,
    name: 'Dominique Coordinatrice',
    role: 'coordinator',
    region: null,
    passwordHash,
    schemes: [SCHEME],
  });
  await createUser(server.db, { email: PLANNER, name: PLANNER_NAME, role: 'planner', region: '84', passwordHash, schemes: [] });
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (server) await server.db.query(`DELETE FROM registry.app_user WHERE email LIKE 'friction-%@e2e.test'`);
  await server?.close();
});

async function open(hash: string, viewport = { width: 1280, height: 800 }): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('response', (r) => {
    if (r.status() >= 400) errors.push(`${r.status()} ${r.url()}`);
  });
  await page.goto(`${server.url}/${hash}`);
  await waitForMap(page);
  return { page, errors };
}

/** WCAG contrast ratio of an element's text colour on its background colour (both opaque). */
/** Whether map bounds [[w, s], [e, n]] contain the extent [w, s, e, n]. */
function contains(bounds: number[][], bbox: number[]): boolean {
  const [[w, south], [e, n]] = bounds as [[number, number], [number, number]];
  return w <= bbox[0]! && south <= bbox[1]! && e >= bbox[2]! && n >= bbox[3]!;
}

/** Whether the map (screen or print) shows the whole extent. */
async function framed(page: Page, bbox: number[]): Promise<boolean> {
  const bounds = await page.evaluate(() => (window as unknown as MapWindow).__millefeuille.map.getBounds().toArray());
  return contains(bounds, bbox);
}

/** Codes of the commune highlight drawn under the centre of the map (keyboard picking). */
function centreHighlight(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const { map } = (window as unknown as MapWindow).__millefeuille;
    const { clientWidth, clientHeight } = map.getCanvas();
    const hits = map.queryRenderedFeatures([clientWidth / 2, clientHeight / 2], { layers: ['pick-centre:fill'] });
    return [...new Set(hits.map((f) => String(f.properties.code)))];
  });
}

function contrastOf(el: Element): number {
  const style = getComputedStyle(el);
  const luminance = (css: string) => {
    const [r, g, b] = css
      .match(/[\d.]+/g)!
      .slice(0, 3)
      .map((v) => {
        const c = Number(v) / 255;
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      }) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [a, b] = [luminance(style.color), luminance(style.backgroundColor)].sort((x, y) => y - x) as [number, number];
  return (a + 0.05) / (b + 0.05);
}

describe('everyday friction', () => {
  it('an anonymous visit makes no console error and no failed request', async () => {
    const { page, errors } = await open('');
    await page.waitForTimeout(1000);
    expect(errors).toEqual([]);
    expect(await page.title()).toBe('Millefeuille');
    await page.context().close();
  });

  it('opens a permalink of today’s form, names the view in the title and copies its link', async () => {
    const { page, errors } = await open('#map=9.5/45.47/3.25&layers=epci,cls&sel=scheme:' + SCHEME);
    await page.waitForFunction(() => document.querySelector('#sheet-title')?.textContent?.includes('Issoire'), null, { timeout: 20_000 });
    const name = (await page.locator('#sheet-title').textContent())!.trim();
    expect(await page.title()).toBe(`${name} — Millefeuille`);
    // same view: centre, zoom and layers kept
    const state = await page.evaluate(() => {
      const { map } = (window as unknown as MapWindow).__millefeuille;
      return { zoom: map.getZoom(), lat: map.getCenter().lat, lon: map.getCenter().lng };
    });
    expect(state.zoom).toBeCloseTo(9.5, 1);
    expect(state.lat).toBeCloseTo(45.47, 1);
    expect(state.lon).toBeCloseTo(3.25, 1);
    expect(page.url()).toContain('layers=epci,cls');
    expect(page.url()).toContain(`sel=scheme:${SCHEME}`);

    await page.getByRole('button', { name: 'Copier le lien' }).click();
    await page.getByText('Lien copié.').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(page.url());
    await expect(page.getByRole('button', { name: 'Imprimer' }).isVisible()).resolves.toBe(true);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('prints the sheet with its map framed on the territory, at least half the page wide', async () => {
    const { page } = await open('#layers=departement,epci,cls&sel=epci:200070407');
    await page.waitForFunction(() => document.querySelector('#sheet-title')?.textContent?.trim() === "CA Agglo Pays d'Issoire");
    const { bbox } = (await (await fetch(`${server.url}/api/territories/epci/200070407`)).json()) as { bbox: number[] };
    const elsewhere = async () => {
      await page.evaluate(() => (window as unknown as MapWindow).__millefeuille.map.jumpTo({ center: [-3, 48], zoom: 8 }));
      await waitForMap(page);
      expect(await framed(page, bbox)).toBe(false);
    };

    // "Imprimer": the map is framed and its tiles drawn before the dialog opens
    await elsewhere();
    await page.evaluate(() => {
      window.print = () => {
        const { map } = (window as unknown as MapWindow).__millefeuille;
        (window as unknown as { printedWith: unknown }).printedWith = { bounds: map.getBounds().toArray(), drawn: map.areTilesLoaded() };
      };
    });
    await page.locator('[data-action="print"]').click();
    await page.waitForFunction(() => 'printedWith' in window);
    const printed = await page.evaluate(() => (window as unknown as { printedWith: { bounds: number[][]; drawn: boolean } }).printedWith);
    expect(contains(printed.bounds, bbox)).toBe(true);
    expect(printed.drawn).toBe(true);
    await page.evaluate(() => window.dispatchEvent(new Event('afterprint')));

    // Ctrl+P: beforeprint frames it, the print layout gives it more than half the page
    await elsewhere();
    await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
    await page.emulateMedia({ media: 'print' });
    await page.setViewportSize({ width: 794, height: 1123 });
    expect(await framed(page, bbox)).toBe(true);
    const img = page.locator('img[data-print="map"]');
    await img.waitFor({ state: 'visible' });
    const widths = await img.evaluate((i) => ({ map: i.getBoundingClientRect().width, page: document.documentElement.clientWidth }));
    expect(widths.map).toBeGreaterThanOrEqual(widths.page / 2);
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    expect(pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)?.length).toBe(1);

    // after printing, the screen map is back where it was
    await page.evaluate(() => window.dispatchEvent(new Event('afterprint')));
    await page.emulateMedia({ media: 'screen' });
    const centre = await page.evaluate(() => (window as unknown as MapWindow).__millefeuille.map.getCenter().toArray());
    expect(centre[0]).toBeCloseTo(-3, 3);
    expect(centre[1]).toBeCloseTo(48, 3);
    await page.context().close();
  }, 150_000);

  it('keeps a long planner name from pushing the header off a 1280 px screen, with the région by name', async () => {
    const { page } = await open('');
    await signInThroughUi(page, PLANNER, PASSWORD, PLANNER_NAME);
    await expect(page.locator('.account .role').textContent()).resolves.toContain('Auvergne-Rhône-Alpes');
    await expect(page.locator('.account .role').textContent()).resolves.not.toMatch(/région 84/);
    // focus lands on the account after signing in
    expect(await page.evaluate(() => document.activeElement?.classList.contains('who'))).toBe(true);
    const edges = async () =>
      page.evaluate(() => {
        const right = (el: Element | null) => el!.getBoundingClientRect().right;
        const logout = [...document.querySelectorAll('.account button')].find((b) => b.textContent?.includes('Se déconnecter'))!;
        return {
          logout: right(logout),
          search: right(document.querySelector('#recherche input')),
          scroll: document.scrollingElement!.scrollLeft,
        };
      });
    const before = await edges();
    expect(before.logout).toBeLessThanOrEqual(1280);
    expect(before.search).toBeLessThanOrEqual(1280);
    await page.locator('#recherche input').focus();
    await page.keyboard.type('issoire');
    const after = await edges();
    expect(after).toEqual(before);
    expect(await page.evaluate(() => document.getElementById('app')!.scrollLeft)).toBe(0);
    await page.context().close();
  });

  it('a coordinator finds their scheme, picks a commune with the keyboard and is asked before losing the edit', async () => {
    const { page } = await open('#map=6/46.5/2.5&layers=cls');
    await signInThroughUi(page, COORDINATOR, PASSWORD, 'Dominique Coordinatrice');
    const mine = page.getByRole('region', { name: 'Mes démarches' });
    await mine.locator(`button[data-scheme="${SCHEME}"]`).click();
    await page.waitForFunction(() => document.querySelector('#sheet-title')?.textContent?.includes('Issoire'), null, { timeout: 20_000 });

    await page.getByRole('button', { name: 'Modifier la démarche' }).click();
    await page.locator('#editor-title').waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('editor-title');
    await page.locator('.editor form').waitFor();

    // picking turns the commune layer on; Enter on the map toggles the commune at the centre
    expect(page.url()).not.toMatch(/layers=[^&]*commune/);
    const pick = page.locator('[data-action="pick-communes"]');
    await pick.click();
    // the pressed toggle keeps a readable label under the mouse
    await pick.hover();
    expect(await pick.evaluate(contrastOf)).toBeGreaterThanOrEqual(4.5);
    await page.waitForFunction(() => /layers=[^&]*commune/.test(location.hash));
    const centre = page.locator('[data-centre-commune]');
    await page.waitForFunction(() => !!document.querySelector('[data-centre-commune]')?.getAttribute('data-centre-commune'), null, {
      timeout: 20_000,
    });
    const code = (await centre.getAttribute('data-centre-commune'))!;
    const communeName = (await centre.locator('strong').textContent())!;
    // the commune at the centre is outlined on the map too: the highlight's filter names it
    // and its drawn feature under the centre is that commune
    await page.waitForFunction(
      (c) => JSON.stringify((window as unknown as MapWindow).__millefeuille.map.getFilter('pick-centre:line') ?? null).includes(`"${c}"`),
      code,
    );
    await waitForMap(page);
    expect(await centreHighlight(page)).toEqual([code]);
    const count = async () => (await page.locator('[data-field="editor-commune-count"]').textContent())!;
    const before = await count();
    await page.locator('canvas.maplibregl-canvas').focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction((b) => document.querySelector('[data-field="editor-commune-count"]')?.textContent !== b, before);
    expect(await page.locator('.editor').textContent()).toContain(`${communeName} (${code})`);
    // the outline follows the centre: moved onto another commune, the highlight names that one
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    // (each key press may end its own move: wait for the map to rest, then for the name and
    // the outline to agree on the commune now at the centre)
    await waitForMap(page);
    await page.waitForFunction(
      (c) => {
        const el = document.querySelector('[data-centre-commune]')?.getAttribute('data-centre-commune');
        const filter = JSON.stringify((window as unknown as MapWindow).__millefeuille.map.getFilter('pick-centre:line') ?? null);
        return !!el && el !== c && filter.includes(`"${el}"`);
      },
      code,
      { timeout: 30_000 },
    );
    const moved = (await centre.getAttribute('data-centre-commune'))!;
    await waitForMap(page);
    expect(await centreHighlight(page)).toEqual([moved]);
    // picking stopped: no outline left
    await pick.click();
    await page.waitForFunction(() => !(window as unknown as MapWindow).__millefeuille.map.getLayer('pick-centre:line'));

    // an unsaved change: leaving asks first; refusing keeps the editor and its change
    const questions: string[] = [];
    page.once('dialog', (d) => {
      questions.push(d.message());
      void d.dismiss();
    });
    await page.getByRole('button', { name: 'Comparer', exact: true }).click();
    expect(questions).toEqual(['Des modifications de la démarche ne sont pas enregistrées. Les abandonner ?']);
    await expect(page.locator('#editor-title').isVisible()).resolves.toBe(true);
    expect(await count()).not.toBe(before);
    // accepting leaves
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Comparer', exact: true }).click();
    await page.waitForFunction(() => location.hash.includes('view=compare'));
    await page.context().close();
  });

  it('lets the keyboard pass a long list of the gaps view in one stop', async () => {
    const { page } = await open('#map=8/44.6/1.7&layers=cls&view=gaps&layer=cls&within=departement:46');
    const skip = page.locator('#fiche a.skip-list').first();
    await skip.waitFor({ state: 'attached', timeout: 30_000 });
    expect(await skip.textContent()).toMatch(/^Passer la liste \(\d[\d\s\u202f]* lignes\)$/);
    await skip.focus();
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.classList.contains('after-list'))).toBe(true);
    await page.context().close();
  });

  it('keeps the map visible on a 390 × 844 phone, without sideways scrolling', async () => {
    const { page, errors } = await open('', { width: 390, height: 844 });
    const layout = await page.evaluate(() => {
      const map = document.querySelector('canvas.maplibregl-canvas')!.getBoundingClientRect();
      return { width: map.width, height: map.height, scrollWidth: document.documentElement.scrollWidth };
    });
    expect(layout.width).toBeGreaterThan(300);
    expect(layout.height).toBeGreaterThan(400);
    expect(layout.scrollWidth).toBeLessThanOrEqual(390);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
