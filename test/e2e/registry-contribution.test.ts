// End to end: a scheme signalled without an account, then moderated. A visitor opens
// "Signaler une démarche" in the side panel, fills the form (the perimeter picked by
// searching "Figeac"), sends it; an administrator signs in, opens "Signalements à
// modérer", sees the reporter's e-mail (for moderators only) and accepts it; the new
// scheme's source reads "Signalement du …" and the e-mail appears nowhere public.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { TestServer } from '../support/backends.ts';
import { launchChromium, SHOTS, signInThroughUi, startE2eServer, waitForMap } from '../support/browser.ts';
import { createUser } from '../../server/queries/users.ts';
import { hashPassword } from '../../server/auth/passwords.ts';

const VIEWPORT = { width: 1280, height: 800 };
const PASSWORD = 'un mot de passe de test assez long';
const ADMIN = 'admin-moderation@e2e-signal.test';
const REPORTER = 'habitante@e2e-signal.test';
const NAME = 'CLS signalé de Figeac e2e';
const CODE = 'cls-cls-signale-de-figeac-e2e';

let server: TestServer;
let browser: Browser;
const pageErrors: string[] = [];

async function cleanup(): Promise<void> {
  await server.db.query(`DELETE FROM registry.history WHERE scheme = $1`, [CODE]);
  await server.db.query(`DELETE FROM registry.scheme WHERE code = $1`, [CODE]);
  await server.db.query(`DELETE FROM atlas.membership WHERE layer = 'scheme' AND code = $1`, [CODE]);
  await server.db.query(`DELETE FROM atlas.perimeter WHERE layer = 'scheme' AND code = $1`, [CODE]);
  await server.db.query(`DELETE FROM registry.contribution WHERE reporter_email = $1`, [REPORTER]);
  // the signalment limit is kept in the database: this browser's address starts afresh
  await server.db.query(`DELETE FROM registry.rate_limit WHERE key LIKE 'contribution:%'`);
  await server.db.query(`DELETE FROM registry.app_user WHERE email LIKE '%@e2e-signal.test'`);
}

beforeAll(async () => {
  server = await startE2eServer();
  await cleanup();
  const passwordHash = await hashPassword(PASSWORD);
  await createUser(server.db, { email: ADMIN, name: 'Admin Modération E2E', role: 'admin', region: null, passwordHash, schemes: [] });
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (server) {
    try {
      await cleanup();
    } finally {
      await server.close();
    }
  }
}, 30_000);

describe('signalling a scheme', () => {
  it('lets a visitor signal a scheme and an administrator accept it', async () => {
    const page = await browser.newPage({ viewport: VIEWPORT });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${server.url}/`);
    await waitForMap(page, 300);

    await page.getByText('Signaler une démarche', { exact: true }).click();
    const form = page.getByRole('form', { name: 'Signaler une démarche' });
    await form.getByLabel('Nom de la démarche').fill(NAME);
    await form.getByLabel('Porteur').fill('Mairie de Figeac');
    await form.getByRole('combobox', { name: 'Périmètre : ajouter une commune ou un EPCI' }).fill('Figeac');
    await page.getByRole('option').filter({ hasText: 'Figeac' }).first().click();
    await form.getByRole('list', { name: 'Périmètre signalé' }).getByText('Figeac (46102)').waitFor();
    await form.getByLabel('Date de signature').fill('2023');
    await form.getByLabel('Votre adresse électronique').fill(REPORTER);
    await page.screenshot({ path: path.join(SHOTS, 'e2e-contribution-form.png') });
    await form.getByRole('button', { name: 'Envoyer le signalement' }).click();
    await expect.poll(() => form.locator('.ok').textContent(), { timeout: 15_000 }).toMatch(/relu par l’ARS/);
    // nothing is published before moderation
    expect((await fetch(`${server.url}/api/schemes/${CODE}`)).status).toBe(404);

    await signInThroughUi(page, ADMIN, PASSWORD, 'Admin Modération E2E');
    await page.getByText('Signalements à modérer').click();
    const item = page.locator('.moderation li', { hasText: NAME });
    await item.waitFor({ timeout: 15_000 });
    expect(await item.textContent()).toContain(`${REPORTER} (non publié)`);
    expect(await item.textContent()).toContain('Figeac (46102)');
    await page.screenshot({ path: path.join(SHOTS, 'e2e-contribution-queue.png') });
    await item.getByRole('button', { name: 'Accepter' }).click();
    await expect
      .poll(() => page.locator('.moderation [role="status"]').textContent(), { timeout: 15_000 })
      .toBe(`« ${NAME} » est publiée dans le registre.`);

    const res = await fetch(`${server.url}/api/schemes/${CODE}`);
    expect(res.status).toBe(200);
    const { scheme } = (await res.json()) as { scheme: Record<string, unknown> };
    expect(scheme).toMatchObject({
      type: 'CLS',
      name: NAME,
      bearerName: 'Mairie de Figeac',
      sourceKind: 'signalement',
      signatureDate: '2023',
    });
    expect(scheme.source).toMatch(/^Signalement du \d{2}\/\d{2}\/\d{4}$/);
    for (const p of [`/api/schemes/${CODE}`, `/api/schemes/${CODE}/history`, `/api/territories/scheme/${CODE}`]) {
      expect(await (await fetch(`${server.url}${p}`)).text(), p).not.toContain(REPORTER);
    }
    expect(pageErrors).toEqual([]);
    await page.close();
  }, 90_000);
});
