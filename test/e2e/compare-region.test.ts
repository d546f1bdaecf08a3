// End to end (issue 20, "Ma région"): a planner's comparison search keeps to their région
// by default, says so next to the field, and searches all of France once "Toute la
// France" is ticked; a visitor searches all of France with no switch. The results shown
// are checked against the API's answers, and the API's régions against the memberships.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { TestServer } from '../support/backends.ts';
import { launchChromium, SHOTS, signInThroughUi, startE2eServer, waitForMap } from '../support/browser.ts';
import { createUser } from '../../server/queries/users.ts';
import { hashPassword } from '../../server/auth/passwords.ts';

const PLANNER = 'planificateur.recherche@ars.example';
const PASSWORD = 'mot-de-passe-de-test-recherche';
/** A commune name borne in Auvergne-Rhône-Alpes (Rhône) and elsewhere (Alpes-de-Haute-Provence). */
const QUERY = 'beaujeu';

interface Hit {
  layer: string;
  code: string;
  name: string;
  detail: string | null;
}

let server: TestServer;
let browser: Browser;
const pageErrors: string[] = [];

beforeAll(async () => {
  server = await startE2eServer();
  browser = await launchChromium();
  // a planner of the ARS Auvergne-Rhône-Alpes (removed first: a killed run may have left it)
  const passwordHash = await hashPassword(PASSWORD);
  await server.db.query(`DELETE FROM registry.app_user WHERE email = $1`, [PLANNER]);
  await createUser(server.db, { email: PLANNER, name: 'Régis Planificateur', role: 'planner', region: '84', passwordHash, schemes: [] });
});

afterAll(async () => {
  await browser?.close();
  await server?.db.query(`DELETE FROM registry.app_user WHERE email = $1`, [PLANNER]);
  await server?.close();
});

async function search(query: string): Promise<Hit[]> {
  const res = await fetch(`${server.url}/api/search?${query}`);
  expect(res.ok, `${query} → ${res.status}`).toBe(true);
  return ((await res.json()) as { results: Hit[] }).results;
}

/** The régions a hit lies in, from the memberships in the database. */
async function regionsOf(hit: Hit): Promise<string[]> {
  const rows =
    hit.layer === 'commune'
      ? await server.db.query<{ region: string }>(`SELECT region FROM atlas.commune WHERE code = $1`, [hit.code])
      : await server.db.query<{ region: string }>(
          `SELECT DISTINCT c.region FROM atlas.membership m JOIN atlas.commune c ON c.code = m.commune WHERE m.layer = $1 AND m.code = $2`,
          [hit.layer, hit.code],
        );
  return rows.map((r) => r.region);
}

/** The options the combobox shows, as their text. */
async function shown(page: Page): Promise<string[]> {
  return page.getByRole('option').allInnerTexts();
}

/** The options match the API's hits, one for one and in order. */
function matches(texts: string[], hits: Hit[]): boolean {
  return texts.length === hits.length && hits.every((h, i) => texts[i]!.includes(h.name) && (!h.detail || texts[i]!.includes(h.detail)));
}

describe('comparison search of a planner', () => {
  it('keeps to the planner’s région by default and to all of France when asked', async () => {
    const inRegion = await search(`q=${QUERY}&region=84`);
    const everywhere = await search(`q=${QUERY}`);
    expect(inRegion.length).toBeGreaterThan(0);
    for (const hit of inRegion) expect(await regionsOf(hit), `${hit.layer}:${hit.code}`).toContain('84');
    // a result of another région, which the région's search leaves out
    const elsewhere = [];
    for (const hit of everywhere) if (!(await regionsOf(hit)).includes('84')) elsewhere.push(hit);
    expect(elsewhere.length).toBeGreaterThan(0);

    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${server.url}/#map=6/45.5/4.5&view=compare`);
    await waitForMap(page);
    const box = page.getByRole('combobox', { name: 'Ajouter un périmètre' });
    await box.waitFor();
    // a visitor searches all of France, with no switch
    expect(await page.locator('[data-field="search-scope"]').count()).toBe(0);

    await signInThroughUi(page, PLANNER, PASSWORD, 'Régis Planificateur');
    const scope = page.locator('[data-field="search-scope"]');
    await expect.poll(() => scope.innerText()).toBe('Recherche limitée à Auvergne-Rhône-Alpes');
    const wholeFrance = page.getByRole('checkbox', { name: 'Toute la France' });
    expect(await wholeFrance.isChecked()).toBe(false);

    await box.click();
    await box.pressSequentially(QUERY, { delay: 20 });
    await expect.poll(() => shown(page).then((t) => matches(t, inRegion)), { timeout: 10_000 }).toBe(true);
    for (const other of elsewhere) expect((await shown(page)).some((t) => other.detail && t.includes(other.detail))).toBe(false);
    await page.screenshot({ path: path.join(SHOTS, 'e2e-compare-search-region.png') });

    await wholeFrance.check();
    await expect.poll(() => scope.innerText()).toBe('Recherche dans toute la France');
    await box.click();
    await expect.poll(() => shown(page).then((t) => matches(t, everywhere)), { timeout: 10_000 }).toBe(true);
    // a commune of another région can now be chosen for the comparison
    const other = elsewhere.find((h) => h.detail)!;
    await page.getByRole('option').filter({ hasText: other.detail! }).first().click();
    await page.waitForFunction((ref) => location.hash.includes(ref), `p=${other.layer}:${other.code}`);
    await page.close();
    expect(pageErrors).toEqual([]);
  });
});
