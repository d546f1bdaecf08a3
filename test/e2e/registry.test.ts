// End to end: the scheme registry in the built client (client/dist), headless Chromium
// against the real app. A coordinator signs in through the UI, adds a neighbouring
// commune to the CLS of the Agglo Pays d'Issoire by clicking it on the map, saves, and
// the map redraws the scheme; a visitor gets no edit button; a stale edit shows the 409.
// The scheme is put back as it was (as an admin, through the API) afterwards.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { TestServer } from '../support/backends.ts';
import { launchChromium, SHOTS, signInThroughUi, startE2eServer, waitForMap, type MapWindow } from '../support/browser.ts';
import { createUser } from '../../server/queries/users.ts';
import { hashPassword } from '../../server/auth/passwords.ts';

const VIEWPORT = { width: 1280, height: 800 };
const SCHEME = 'cls-agglo-pays-issoire';
const PASSWORD = 'un mot de passe de test assez long';
const COORDINATOR = 'coordination-issoire@e2e.test';
const ADMIN = 'admin-registre@e2e.test';

interface SchemeBody {
  scheme: { code: string; version: number; remark: string | null; communes: { code: string; share: number | null }[] };
}

let server: TestServer;
let browser: Browser;
let original: SchemeBody['scheme'];
/** The commune whose referent the test set (removed afterwards). */
let referentSet: string | null = null;
const pageErrors: string[] = [];

beforeAll(async () => {
  server = await startE2eServer();
  await server.db.query(`DELETE FROM registry.app_user WHERE email LIKE '%@e2e.test'`);
  const passwordHash = await hashPassword(PASSWORD);
  await createUser(server.db, {
    email: COORDINATOR,
    name: 'Camille Coordinatrice',
    role: 'coordinator',
    region: null,
    passwordHash,
    schemes: [SCHEME],
  });
  await createUser(server.db, { email: ADMIN, name: 'Admin E2E', role: 'admin', region: null, passwordHash, schemes: [] });
  original = (await getJson<SchemeBody>(`/api/schemes/${SCHEME}`)).scheme;
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (server) {
    try {
      // put the scheme back as it was, for the other test files
      const admin = await signInApi(ADMIN);
      if (referentSet) {
        const del = await admin.fetch(`/api/schemes/${SCHEME}/referents/${referentSet}`, 'DELETE', null, {});
        expect(del.ok, await del.clone().text()).toBe(true);
      }
      const current = await fetch(`${server.url}/api/schemes/${SCHEME}`);
      const etag = current.headers.get('etag')!;
      const res = await admin.fetch(`/api/schemes/${SCHEME}`, 'PATCH', etag, {
        remark: original.remark,
        perimeter: { communes: original.communes.map((c) => c.code) },
      });
      expect(res.status, await res.clone().text()).toBe(200);
    } finally {
      await server.db.query(`DELETE FROM registry.app_user WHERE email LIKE '%@e2e.test'`);
      await server.close();
    }
  }
}, 30_000);

async function getJson<T>(p: string): Promise<T> {
  const res = await fetch(`${server.url}${p}`);
  expect(res.ok, `${p} → ${res.status}`).toBe(true);
  return (await res.json()) as T;
}

/** Signs in through the API: a cookie and a CSRF token for writes from the test. */
async function signInApi(email: string) {
  const res = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  expect(res.status).toBe(200);
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  return {
    fetch: (p: string, method: string, ifMatch: string | null, body: unknown) =>
      fetch(`${server.url}${p}`, {
        method,
        headers: {
          'Content-Type': 'application/json',
          Cookie: cookie,
          'X-CSRF-Token': csrfToken,
          ...(ifMatch ? { 'If-Match': ifMatch } : {}),
        },
        body: JSON.stringify(body),
      }),
  };
}

async function openSheet(): Promise<Page> {
  const page = await browser.newPage({ viewport: VIEWPORT });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(`${server.url}/#sel=scheme:${SCHEME}`);
  await waitForMap(page, 300);
  await page.waitForFunction(() => document.querySelector('#sheet-title')?.textContent?.includes('Issoire'), null, { timeout: 20_000 });
  await waitForMap(page, 300);
  return page;
}

/** Whether the rendered CLS fill at a screen point includes the scheme. */
async function schemeDrawnAt(page: Page, point: { x: number; y: number }): Promise<boolean> {
  return page.evaluate(
    ({ point, code }) => {
      const { map } = (window as unknown as MapWindow).__millefeuille;
      const layers = map
        .getStyle()
        .layers.filter(
          (l) => l.type === 'fill' && (l.metadata as { entry?: string } | undefined)?.entry === 'cls' && l.id.endsWith(':fill'),
        )
        .map((l) => l.id);
      return map.queryRenderedFeatures([point.x, point.y], { layers }).some((f) => f.properties?.code === code);
    },
    { point, code: SCHEME },
  );
}

describe('scheme registry in the browser', () => {
  it('shows no edit button to a visitor', async () => {
    const page = await openSheet();
    await expect.poll(() => page.locator('section.sheet h3', { hasText: 'La démarche' }).count()).toBe(1);
    // the registry record has loaded (history panel present) and still no edit button
    await page.locator('details.history summary').waitFor();
    expect(await page.locator('[data-action="edit-scheme"]').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Se connecter' }).count()).toBe(1);
    await page.close();
  }, 40_000);

  it('lets a coordinator add a commune by clicking the map; the map redraws the scheme', async () => {
    const before = await getJson<SchemeBody>(`/api/schemes/${SCHEME}`);
    const members = new Set(before.scheme.communes.map((c) => c.code));
    expect(members.size).toBe(87);

    const page = await openSheet();
    // sign in through the header dialog
    await page.getByRole('button', { name: 'Se connecter' }).click();
    const dialog = page.getByRole('dialog', { name: 'Se connecter' });
    await dialog.getByLabel('Adresse électronique').fill(COORDINATOR);
    await dialog.getByLabel('Mot de passe').fill(PASSWORD);
    await page.screenshot({ path: path.join(SHOTS, 'e2e-registry-signin.png') });
    await dialog.getByRole('button', { name: 'Se connecter' }).click();
    await page.locator('.account .name', { hasText: 'Camille Coordinatrice' }).waitFor();
    await page.locator('[data-action="edit-scheme"]').click();
    await page.locator('[data-action="pick-communes"]').waitFor();
    await waitForMap(page, 300);

    // a commune just outside the scheme, visible on screen, where the scheme is not drawn
    const territory = await getJson<{ bbox: [number, number, number, number] }>(`/api/territories/scheme/${SCHEME}`);
    const [w, s, e, n] = territory.bbox;
    const mx = (w + e) / 2,
      my = (s + n) / 2,
      d = 0.012;
    const candidates: [number, number][] = [
      [e + d, my],
      [w - d, my],
      [mx, n + d],
      [mx, s - d],
      [e + d, (my + n) / 2],
      [w - d, (my + s) / 2],
      [e + d, (my + s) / 2],
      [w - d, (my + n) / 2],
    ];
    const canvas = page.locator('canvas.maplibregl-canvas');
    const box = (await canvas.boundingBox())!;
    let target: { code: string; name: string; point: { x: number; y: number } } | null = null;
    for (const [lon, lat] of candidates) {
      const res = await fetch(`${server.url}/api/locate?lon=${lon}&lat=${lat}`);
      if (!res.ok) continue;
      const c = (await res.json()) as { code: string; name: string };
      if (members.has(c.code)) continue;
      const point = await page.evaluate(
        ([lon, lat]) => (window as unknown as MapWindow).__millefeuille.map.project([lon!, lat!]),
        [lon, lat],
      );
      if (point.x < 60 || point.y < 60 || point.x > box.width - 60 || point.y > box.height - 60) continue;
      if (await schemeDrawnAt(page, point)) continue;
      target = { ...c, point: { x: point.x, y: point.y } };
      break;
    }
    expect(target, 'a commune just outside the scheme, on screen').not.toBeNull();
    const t = target!;
    expect(await schemeDrawnAt(page, t.point)).toBe(false);

    // a whole EPCI is found with the common search box (same API and ranking as the header's), then withdrawn
    const groupSearch = page.getByRole('combobox', { name: 'Ajouter un EPCI / PETR / PNR' });
    await groupSearch.fill('grand figeac');
    await page
      .getByRole('option', { name: /Grand-Figeac/ })
      .first()
      .waitFor();
    await groupSearch.press('Enter');
    const group = page.locator('ul.changes li.added', { hasText: 'Grand-Figeac (EPCI)' });
    await group.waitFor();
    expect(await groupSearch.inputValue()).toBe('');
    await group.getByRole('button', { name: 'retirer' }).click();
    await group.waitFor({ state: 'detached' });

    await page.locator('[data-action="pick-communes"]').click();
    expect(await page.locator('[data-action="pick-communes"]').getAttribute('aria-pressed')).toBe('true');
    await canvas.click({ position: t.point });
    await page.getByText(`${t.name} (${t.code}) ajoutée au périmètre.`).waitFor();
    await expect.poll(() => page.locator('[data-field="editor-commune-count"]').textContent()).toContain('88 communes');
    await page.screenshot({ path: path.join(SHOTS, 'e2e-registry-picked.png') });

    await page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
    await page.getByText(/Démarche enregistrée \(version \d+, 88 communes\)/).waitFor({ timeout: 20_000 });

    // (a) the API lists the commune
    const after = await getJson<SchemeBody>(`/api/schemes/${SCHEME}`);
    expect(after.scheme.communes.map((c) => c.code)).toContain(t.code);
    expect(after.scheme.version).toBeGreaterThan(before.scheme.version);
    // (b) the sheet shows 88 communes
    await expect.poll(() => page.locator('[data-field="commune-count"]').textContent(), { timeout: 15_000 }).toBe('88');
    // (c) the scheme is now drawn over the commune
    await waitForMap(page, 300);
    await expect.poll(() => schemeDrawnAt(page, t.point), { timeout: 15_000 }).toBe(true);
    await page.screenshot({ path: path.join(SHOTS, 'e2e-registry-saved.png') });

    // the history lists the change with the commune count before → after
    await page.locator('details.history summary').click();
    await page.getByText('Communes : 87 → 88').first().waitFor();

    // the referents of the 88 member communes, with the communes without one
    await page.locator('details.referents summary').click();
    await expect.poll(() => page.locator('details.referents tbody tr').count()).toBe(88);
    const gaps = await getJson<{ withoutReferent: { count: number } }>(`/api/schemes/${SCHEME}/referent-gaps`);
    expect(await page.locator('[data-field="without-referent"]').textContent()).toContain(`${gaps.withoutReferent.count} commune`);
    // the coordinator names the elected referent of the new commune, inline
    const row = page.locator(`details.referents tr[data-commune="${t.code}"]`);
    await row.getByRole('button', { name: /modifier/ }).click();
    await row.getByLabel('Nom de l’élu').fill('Dominique Élue-Test');
    await row.getByLabel('Délégation').fill('Adjointe à la santé');
    await row.getByLabel('Comité local de santé').check();
    await row.getByRole('button', { name: 'Enregistrer' }).click();
    await expect.poll(() => row.textContent()).toContain('Dominique Élue-Test');
    expect(await row.textContent()).toContain('oui');
    await expect
      .poll(() => page.locator('[data-field="without-referent"]').textContent())
      .toContain(`${gaps.withoutReferent.count - 1} commune`);
    referentSet = t.code;
    await page.locator('details.referents').getByText('Communes sans référent sur la carte').click();
    await page.locator('details.referents table').scrollIntoViewIfNeeded();
    await waitForMap(page, 300);
    await page.screenshot({ path: path.join(SHOTS, 'e2e-registry-referents.png') });
    await page.locator('details.referents').getByText('Communes sans référent sur la carte').click();

    // a stale edit: someone else saves meanwhile, this form still holds the old version
    const admin = await signInApi(ADMIN);
    const fresh = await getJson<SchemeBody>(`/api/schemes/${SCHEME}`);
    const stale = `"v${fresh.scheme.version}"`;
    const ok = await admin.fetch(`/api/schemes/${SCHEME}`, 'PATCH', stale, { remark: 'Modifié par un autre utilisateur (test e2e).' });
    expect(ok.status).toBe(200);
    const again = await admin.fetch(`/api/schemes/${SCHEME}`, 'PATCH', stale, { remark: 'Encore' });
    expect(again.status).toBe(409);
    const detail = ((await again.json()) as { detail: string }).detail;
    expect(detail.length).toBeGreaterThan(10);

    await page.getByLabel('Remarque').fill('Ma modification concurrente');
    await page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
    const alert = page.locator('.editor [data-status="conflict"]');
    await alert.waitFor();
    expect(await alert.textContent()).toContain(detail);
    await page.screenshot({ path: path.join(SHOTS, 'e2e-registry-conflict.png') });
    await alert.getByRole('button', { name: 'Recharger' }).click();
    await expect.poll(() => page.getByLabel('Remarque').inputValue()).toBe('Modifié par un autre utilisateur (test e2e).');

    // the history compares a past perimeter with the current one
    const version = String(before.scheme.version);
    const compareLink = page.locator(`details.history [data-compare-version="${version}"]`).first();
    await compareLink.click();
    await page.waitForFunction(
      (v) => location.hash.includes(`p=scheme:cls-agglo-pays-issoire%40${v},scheme:cls-agglo-pays-issoire`),
      version,
    );
    await page.locator('#fiche').getByText(`(version ${version})`).first().waitFor();
    await page.getByText('B seul (1 comm.)').first().waitFor();
    // each chip counts its own version's communes
    await expect.poll(() => page.locator('.chosen li').first().textContent()).toContain('87 communes');
    expect(await page.locator('.chosen li').nth(1).textContent()).toContain('88 communes');
    await page.screenshot({ path: path.join(SHOTS, 'e2e-registry-compare-version.png') });
    expect(pageErrors).toEqual([]);
    await page.close();
  }, 60_000);

  it('lets an administrator check a perimeter file (dry run) and read the report', async () => {
    const page = await browser.newPage({ viewport: VIEWPORT });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${server.url}/`);
    await waitForMap(page, 300);
    expect(await page.getByText('Importer des périmètres').count()).toBe(0);
    await signInThroughUi(page, ADMIN, PASSWORD, 'Admin E2E');
    await page.getByText('Importer des périmètres').click();
    const csv =
      'code_cpts;nom_cpts;insee\nCPTS-A;CPTS du Grand Cahors;46042\nCPTS-A;CPTS du Grand Cahors;46007\nCPTS-B;CPTS du Figeacois;25347\n';
    await page
      .locator('details.upload input[type="file"]')
      .setInputFiles({ name: 'cpts.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    const importButton = page.getByRole('button', { name: 'Importer', exact: true });
    expect(await importButton.isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Vérifier (essai)' }).click();
    await expect.poll(() => page.locator('[data-field="import-status"]').textContent()).toContain('essai réussi');
    expect(await page.locator('details.upload').textContent()).toContain('25347 → 25390');
    expect(await importButton.isDisabled()).toBe(false);
    await page.locator('details.upload').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SHOTS, 'e2e-registry-upload.png') });
    // signing out hides the form again
    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await page.getByRole('button', { name: 'Se connecter' }).waitFor();
    expect(await page.getByText('Importer des périmètres').count()).toBe(0);
    expect(pageErrors).toEqual([]);
    await page.close();
  }, 40_000);
});
