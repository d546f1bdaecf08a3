// End to end: creating a scheme in the built client (client/dist), headless Chromium
// against the real app. An administrator signs in through the UI, opens "Nouvelle
// démarche" (the scheme editor in create mode), enters an ASV on one pasted commune
// code, and the new scheme's sheet opens with that commune; the API lists it. The
// scheme and the account are deleted afterwards (SQL), for the other test files.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { TestServer } from '../support/backends.ts';
import { launchChromium, SHOTS, signInThroughUi, startE2eServer, waitForMap } from '../support/browser.ts';
import { createUser } from '../../server/queries/users.ts';
import { hashPassword } from '../../server/auth/passwords.ts';

const VIEWPORT = { width: 1280, height: 800 };
const PASSWORD = 'un mot de passe de test assez long';
const ADMIN = 'admin-creation@e2e-create.test';
const NAME = 'ASV de test e2e';
const COMMUNE = '46042';

let server: TestServer;
let browser: Browser;
const pageErrors: string[] = [];

async function deleteSchemes(): Promise<void> {
  const rows = await server.db.query<{ code: string }>(`SELECT code FROM registry.scheme WHERE name = $1`, [NAME]);
  for (const { code } of rows) {
    await server.db.query(`DELETE FROM registry.history WHERE scheme = $1`, [code]);
    await server.db.query(`DELETE FROM registry.scheme WHERE code = $1`, [code]);
    await server.db.query(`DELETE FROM atlas.membership WHERE layer = 'scheme' AND code = $1`, [code]);
    await server.db.query(`DELETE FROM atlas.perimeter WHERE layer = 'scheme' AND code = $1`, [code]);
  }
}

beforeAll(async () => {
  server = await startE2eServer();
  await server.db.query(`DELETE FROM registry.app_user WHERE email LIKE '%@e2e-create.test'`);
  await deleteSchemes();
  const passwordHash = await hashPassword(PASSWORD);
  await createUser(server.db, { email: ADMIN, name: 'Admin Création E2E', role: 'admin', region: null, passwordHash, schemes: [] });
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (server) {
    try {
      await deleteSchemes();
    } finally {
      await server.db.query(`DELETE FROM registry.app_user WHERE email LIKE '%@e2e-create.test'`);
      await server.close();
    }
  }
}, 30_000);

async function getJson<T>(p: string): Promise<T> {
  const res = await fetch(`${server.url}${p}`);
  expect(res.ok, `${p} → ${res.status}`).toBe(true);
  return (await res.json()) as T;
}

describe('creating a scheme in the browser', () => {
  it('lets an administrator create an ASV from a pasted commune code; its sheet opens', async () => {
    const page = await browser.newPage({ viewport: VIEWPORT });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${server.url}/`);
    await waitForMap(page, 300);
    // a visitor has no "Nouvelle démarche"
    expect(await page.locator('[data-action="new-scheme"]').count()).toBe(0);

    await signInThroughUi(page, ADMIN, PASSWORD, 'Admin Création E2E');

    await page.locator('[data-action="new-scheme"]').click();
    const editor = page.locator('#fiche .editor');
    await editor.getByRole('heading', { name: 'Nouvelle démarche' }).waitFor();
    await editor.locator('select').first().selectOption('ASV'); // the first select: the scheme type
    await editor.getByLabel('Nom', { exact: true }).fill(NAME);
    await editor.getByLabel(/Coller une liste de codes/).fill(COMMUNE);
    await page.screenshot({ path: path.join(SHOTS, 'e2e-registry-create-form.png') });
    await editor.getByRole('button', { name: 'Créer la démarche' }).click();

    // the new scheme's sheet opens, with its one commune
    await page.waitForFunction(() => /sel=scheme:[a-z0-9-]+/.test(location.hash), null, { timeout: 20_000 });
    const code = await page.evaluate(() => /sel=scheme:([a-z0-9-]+)/.exec(location.hash)![1]!);
    await page.waitForFunction((name) => document.querySelector('#sheet-title')?.textContent?.includes(name), NAME, { timeout: 20_000 });
    await expect.poll(() => page.locator('[data-field="commune-count"]').textContent(), { timeout: 15_000 }).toBe('1');
    await waitForMap(page, 300);
    await page.screenshot({ path: path.join(SHOTS, 'e2e-registry-created.png') });

    // the API lists it
    const { schemes } = await getJson<{ schemes: { code: string; type: string; name: string; communeCount: number | null }[] }>(
      '/api/schemes',
    );
    const created = schemes.find((s) => s.code === code);
    expect(created).toMatchObject({ type: 'ASV', name: NAME, communeCount: 1 });
    const record = await getJson<{ scheme: { communes: { code: string }[] } }>(`/api/schemes/${code}`);
    expect(record.scheme.communes.map((c) => c.code)).toEqual([COMMUNE]);
    const sheet = await getJson<{ name: string; communeCount: number | null }>(`/api/territories/scheme/${code}`);
    expect(sheet).toMatchObject({ name: NAME, communeCount: 1 });
    expect(pageErrors).toEqual([]);
    await page.close();
  }, 60_000);
});
