// What every e2e file needs: the real app serving the built client over the preferred
// backend (PostGIS when configured), and a headless Chromium (chosen by ./chromium.ts),
// WebGL through SwiftShader, with the background networking that would leave localhost
// turned off. useE2eServer() does a file's whole set-up and tear-down.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import type { Role } from '../../contract/domain.ts';
import { hashPassword } from '../../server/auth/passwords.ts';
import { createUser } from '../../server/queries/users.ts';
import { backends, startTestServer, type TestServer } from './backends.ts';
import { chooseChromium } from './chromium.ts';

export const CLIENT_DIR = path.resolve('client/dist');
export const SHOTS = path.resolve('test-results');

export async function startE2eServer(): Promise<TestServer> {
  if (!fs.existsSync(path.join(CLIENT_DIR, 'index.html'))) {
    throw new Error('client/dist/index.html est absent : lancez `npm run build` avant les tests e2e.');
  }
  fs.mkdirSync(SHOTS, { recursive: true });
  const all = backends();
  const backend = all.find((b) => b.name === 'postgis') ?? all[0]!;
  return startTestServer(backend, { clientDir: CLIENT_DIR });
}

let announced = false;

/** Launches the chosen Chromium; says once per test file which one runs. */
export async function launchChromium(): Promise<Browser> {
  const choice = await chooseChromium();
  const browser = await chromium.launch({
    executablePath: choice.executablePath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--use-gl=angle',
      '--use-angle=swiftshader',
      '--enable-unsafe-swiftshader',
      ...choice.args,
    ],
  });
  if (!announced) console.log(`[navigateur] ${choice.describe}, version ${browser.version()}`);
  announced = true;
  return browser;
}

export type MapWindow = { __millefeuille: { map: import('maplibre-gl').Map } };

/**
 * Waits until the map exists, its style and every visible tile are loaded and drawn, and
 * MapLibre says it rests (its `idle` event: no fade or label placement left to draw, which
 * a busy machine can delay well past any fixed wait), then `settleMs` more.
 */
export async function waitForMap(page: import('playwright-core').Page, settleMs = 0): Promise<void> {
  await page.waitForFunction(() => (window as unknown as { __millefeuille?: unknown }).__millefeuille !== undefined, null, {
    timeout: 30_000,
  });
  await page.waitForTimeout(150);
  await page.waitForFunction(
    () => {
      const { map } = (window as unknown as MapWindow).__millefeuille;
      return map.loaded() && map.areTilesLoaded() && !map.isMoving();
    },
    null,
    { timeout: 30_000, polling: 100 },
  );
  // a fresh frame, then `idle` once nothing is left to draw (fired after every such frame)
  await page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const { map } = (window as unknown as MapWindow).__millefeuille;
        const timer = setTimeout(() => reject(new Error('la carte ne s’est pas arrêtée de dessiner en 30 s')), 30_000);
        map.once('idle', () => {
          clearTimeout(timer);
          resolve();
        });
        map.triggerRepaint();
      }),
  );
  if (settleMs) await page.waitForTimeout(settleMs);
}

/** Signs in through the header's dialog, as a person would, and waits for the account name. */
export async function signInThroughUi(page: import('playwright-core').Page, email: string, password: string, name: string): Promise<void> {
  await page.getByRole('button', { name: 'Se connecter' }).click();
  const dialog = page.getByRole('dialog', { name: 'Se connecter' });
  await dialog.getByLabel('Adresse électronique').fill(email);
  await dialog.getByLabel('Mot de passe').fill(password);
  await dialog.getByRole('button', { name: 'Se connecter' }).click();
  await page.locator('.account .name', { hasText: name }).waitFor();
}

/** A user an e2e file signs in as (created with this password before the file's tests). */
export interface E2eUser {
  email: string;
  password: string;
  name: string;
  role: Role;
  region?: string | null;
  schemes?: string[];
}

/** The running app and browser of an e2e file; filled before its first test. */
export interface E2eContext {
  server: TestServer;
  browser: Browser;
}

/**
 * Starts the app and Chromium before the file's tests and creates its users (removed
 * first: a killed run may have left them behind); after the tests, removes the users
 * and stops both.
 */
export function useE2eServer(users: E2eUser[] = []): E2eContext {
  const context = {} as E2eContext;
  const remove = (db: TestServer['db'], email: string) => db.query(`DELETE FROM registry.app_user WHERE email = $1`, [email]);
  beforeAll(async () => {
    context.server = await startE2eServer();
    context.browser = await launchChromium();
    for (const u of users) {
      await remove(context.server.db, u.email);
      const passwordHash = await hashPassword(u.password);
      await createUser(context.server.db, {
        email: u.email,
        name: u.name,
        role: u.role,
        region: u.region ?? null,
        passwordHash,
        schemes: u.schemes ?? [],
      });
    }
  });
  afterAll(async () => {
    await context.browser?.close();
    if (context.server) for (const u of users) await remove(context.server.db, u.email);
    await context.server?.close();
  });
  return context;
}
