// End to end: an administrator opens « Comptes » from the header, disables an account
// whose holder is signed in elsewhere, and that person's session stops working at
// once; re-enabling lets them sign in again; a coordinator sees no « Comptes » button.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { TestServer } from '../support/backends.ts';
import { launchChromium, signInThroughUi, startE2eServer } from '../support/browser.ts';
import { createUser } from '../../server/queries/users.ts';
import { hashPassword } from '../../server/auth/passwords.ts';

const PASSWORD = 'un mot de passe de test assez long';
const ADMIN = 'admin-comptes@e2e-accounts.test';
const HOLDER = 'coordination-comptes@e2e-accounts.test';

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startE2eServer();
  await server.db.query(`DELETE FROM registry.app_user WHERE email LIKE '%@e2e-accounts.test'`);
  const passwordHash = await hashPassword(PASSWORD);
  await createUser(server.db, { email: ADMIN, name: 'Alice Admin', role: 'admin', region: null, passwordHash, schemes: [] });
  await createUser(server.db, { email: HOLDER, name: 'Basile Coordinateur', role: 'coordinator', region: null, passwordHash, schemes: [] });
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (server) {
    await server.db.query(`DELETE FROM registry.app_user WHERE email LIKE '%@e2e-accounts.test'`);
    await server.close();
  }
}, 30_000);

it('disables an account from the accounts panel and ends its session at once', async () => {
  const holder = await browser.newPage();
  await holder.goto(server.url);
  await signInThroughUi(holder, HOLDER, PASSWORD, 'Basile Coordinateur');
  await expect(holder.getByRole('button', { name: 'Comptes' }).count()).resolves.toBe(0);
  const me = () => holder.evaluate(() => fetch('/api/auth/me').then((r) => r.status));
  expect(await me()).toBe(200);

  const admin = await browser.newPage();
  await admin.goto(server.url);
  await signInThroughUi(admin, ADMIN, PASSWORD, 'Alice Admin');
  await admin.getByRole('button', { name: 'Comptes' }).click();
  const dialog = admin.getByRole('dialog', { name: 'Comptes' });
  const row = dialog.locator(`tr[data-account="${HOLDER}"]`);
  await expect(row.locator('td').nth(3).textContent()).resolves.toBe('1');
  await expect(dialog.locator(`tr[data-account="${ADMIN}"] [data-action="toggle-account"]`).count()).resolves.toBe(0);

  await row.getByRole('button', { name: 'Désactiver' }).click();
  await dialog.getByText(`Compte de ${HOLDER} désactivé ; ses sessions sont fermées.`).waitFor();
  await expect(row.locator('td').nth(2).textContent()).resolves.toBe('désactivé');
  expect(await me()).toBe(401);

  await row.getByRole('button', { name: 'Réactiver' }).click();
  await dialog.getByText(`Compte de ${HOLDER} réactivé.`).waitFor();
  await holder.reload();
  await signInThroughUi(holder, HOLDER, PASSWORD, 'Basile Coordinateur');
  expect(await me()).toBe(200);
}, 60_000);
