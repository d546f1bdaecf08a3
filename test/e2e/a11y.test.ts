// Accessibility of the main views (issue 14): axe-core, injected from node_modules (never
// fetched), run in headless Chromium on the map, a territory sheet, the gaps, compare and
// load analyses and the registry editor; no serious or critical violation may remain.
import path from 'node:path';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { TestServer } from '../support/backends.ts';
import { launchChromium, signInThroughUi, startE2eServer, waitForMap } from '../support/browser.ts';
import { createUser } from '../../server/queries/users.ts';
import { hashPassword } from '../../server/auth/passwords.ts';

const AXE = path.join(path.dirname(createRequire(import.meta.url).resolve('axe-core')), 'axe.min.js');
const SCHEME = 'cls-agglo-pays-issoire';
const EDITOR = 'a11y-coord@e2e.test';
const PASSWORD = 'mot de passe a11y 2026';

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startE2eServer();
  await server.db.query(`DELETE FROM registry.app_user WHERE email = $1`, [EDITOR]);
  await createUser(server.db, {
    email: EDITOR,
    name: 'Alix Coordinatrice',
    role: 'coordinator',
    region: null,
    passwordHash: await hashPassword(PASSWORD),
    schemes: [SCHEME],
  });
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (server) await server.db.query(`DELETE FROM registry.app_user WHERE email = $1`, [EDITOR]);
  await server?.close();
});

async function open(hash: string): Promise<Page> {
  // axe is injected as a script of the page: the test lifts the CSP, the app does not
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true });
  const page = await context.newPage();
  await page.goto(`${server.url}/${hash}`);
  await waitForMap(page);
  return page;
}

/** The serious and critical violations of the page as it is now, one line each. */
async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: unknown, o: unknown) => Promise<{ violations: Violation[] }> } }).axe;
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id} (${v.help}) : ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

const waitText = (page: Page, selector: string, text: string) =>
  page.waitForFunction(([s, t]) => document.querySelector(s!)?.textContent?.includes(t!), [selector, text], { timeout: 30_000 });

describe('accessibility of the main views (axe-core)', () => {
  it('map', async () => {
    const page = await open('');
    expect(await seriousViolations(page)).toEqual([]);
    // the check can fail: an image without a text alternative is reported
    await page.evaluate(() => document.body.append(Object.assign(document.createElement('img'), { src: 'data:,' })));
    expect((await seriousViolations(page)).join('\n')).toMatch(/critical image-alt/);
    await page.context().close();
  });

  it('territory sheet', async () => {
    const page = await open(`#map=9.5/45.47/3.25&layers=epci,cls&sel=scheme:${SCHEME}`);
    await waitText(page, '#sheet-title', 'Issoire');
    expect(await seriousViolations(page)).toEqual([]);
    await page.context().close();
  });

  it('gaps', async () => {
    const page = await open('#map=8/44.6/1.7&layers=cls&view=gaps&layer=cls&within=departement:46');
    await page.locator('#fiche table').first().waitFor({ timeout: 30_000 });
    expect(await seriousViolations(page)).toEqual([]);
    await page.context().close();
  });

  it('compare', async () => {
    const page = await open(`#map=8/44.6/1.7&layers=cls&view=compare&p=scheme:cls-grand-quercy,scheme:${SCHEME}`);
    await page.locator('#fiche table').first().waitFor({ timeout: 30_000 });
    expect(await seriousViolations(page)).toEqual([]);
    await page.context().close();
  });

  it('coordination load', async () => {
    const page = await open(`#map=6/46.5/2.5&layers=cls&view=load&s=${SCHEME}`);
    await page.locator('#fiche .types').waitFor({ timeout: 30_000 });
    expect(await seriousViolations(page)).toEqual([]);
    await page.context().close();
  });

  it('registry editor', async () => {
    const page = await open(`#map=9.5/45.47/3.25&layers=cls&sel=scheme:${SCHEME}`);
    await signInThroughUi(page, EDITOR, PASSWORD, 'Alix Coordinatrice');
    await page.getByRole('button', { name: 'Modifier la démarche' }).click();
    await page.locator('.editor form').waitFor({ timeout: 30_000 });
    expect(await seriousViolations(page)).toEqual([]);
    await page.context().close();
  });
});
