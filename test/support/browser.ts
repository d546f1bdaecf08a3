// What every e2e file needs: the real app serving the built client over the preferred
// backend (PostGIS when configured), and a headless Chromium (chosen by ./chromium.ts),
// WebGL through SwiftShader, with the background networking that would leave localhost
// turned off.
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
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
 * Waits until the map exists, its style and every visible tile are loaded and drawn,
 * then `settleMs` more (symbol placement fades in).
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
