// End to end: a planner of Occitanie imports CPTS for the Lot in the built client
// (client/dist), headless Chromium against the real app. They choose the Lot as the
// zone, check the file (dry run: two CPTS added, the Lot's examples removed), confirm
// through a step that repeats those counts, then undo the import from the history of
// imports; the Lot's CPTS are then exactly what they were.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { TestServer } from '../support/backends.ts';
import { launchChromium, SHOTS, signInThroughUi, startE2eServer, waitForMap } from '../support/browser.ts';
import { undoVersion } from '../../core/perimeters/versions.ts';
import { createUser } from '../../server/queries/users.ts';
import { hashPassword } from '../../server/auth/passwords.ts';
import { restoreLotExamples } from '../support/examples.ts';

const VIEWPORT = { width: 1280, height: 900 };
const PASSWORD = 'un mot de passe de test assez long';
const PLANNER = 'planif-occitanie@e2e-versions.test';
const FILE = 'cpts-lot-e2e.csv';
const CSV =
  'code_cpts;nom_cpts;insee\nE2E-46-A;CPTS e2e du Grand Cahors;46042\nE2E-46-A;CPTS e2e du Grand Cahors;46007\nE2E-46-B;CPTS e2e du Figeacois;46102\n';

/** The machine running the tests may be loaded: a real import takes seconds. */
const SLOW = { timeout: 30_000 };

let server: TestServer;
let browser: Browser;
const pageErrors: string[] = [];

const lotCpts = () =>
  server.db.query<{ code: string; fictif: boolean; n: number }>(
    `SELECT p.code, p.fictif, p.commune_count AS n FROM atlas.perimeter p
     WHERE p.layer = 'cpts' AND EXISTS (SELECT 1 FROM atlas.membership m JOIN atlas.commune c ON c.code = m.commune
       WHERE m.layer = p.layer AND m.code = p.code AND c.departement = '46') ORDER BY p.code`,
  );

beforeAll(async () => {
  server = await startE2eServer();
  await restoreLotExamples(server.db);
  await server.db.query(`DELETE FROM registry.app_user WHERE email LIKE '%@e2e-versions.test'`);
  const passwordHash = await hashPassword(PASSWORD);
  await createUser(server.db, {
    email: PLANNER,
    name: 'Planificatrice Occitanie',
    role: 'planner',
    region: '76',
    passwordHash,
    schemes: [],
  });
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (server) {
    try {
      const left = await server.db.query<{ id: number }>(
        `SELECT id FROM public.perimeter_version WHERE undone_at IS NULL AND file = $1 ORDER BY id DESC`,
        [FILE],
      );
      for (const v of left) await undoVersion(server.db, v.id, 'nettoyage des tests');
    } finally {
      await server.db.query(`DELETE FROM registry.app_user WHERE email LIKE '%@e2e-versions.test'`);
      await server.close();
    }
  }
}, 30_000);

describe('perimeter import with confirmation, then undo', () => {
  it('a planner uploads a file, sees the dry-run diff, confirms, then undoes it', async () => {
    const before = await lotCpts();
    const examples = before.filter((u) => u.fictif).length;
    expect(examples).toBeGreaterThan(2);
    const page = await browser.newPage({ viewport: VIEWPORT });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${server.url}/`);
    await waitForMap(page, 300);
    await signInThroughUi(page, PLANNER, PASSWORD, 'Planificatrice Occitanie');

    await page.getByText('Importer des périmètres').click();
    const upload = page.locator('details.upload');
    await upload.getByLabel('Zone remplacée').selectOption('departement:46');
    await upload.locator('input[type="file"]').setInputFiles({ name: FILE, mimeType: 'text/csv', buffer: Buffer.from(CSV) });
    await page.getByRole('button', { name: 'Vérifier (essai)' }).click();
    await expect.poll(() => upload.locator('[data-field="import-status"]').textContent(), SLOW).toContain('essai réussi');
    const diff = upload.locator('[data-field="import-diff"]');
    expect(await diff.textContent()).toContain('Ajoutés : 2');
    expect(await diff.textContent()).toContain(`Supprimés : ${examples}`);
    expect(await diff.textContent()).toContain('CPTS e2e du Figeacois (E2E-46-B)');
    expect(await lotCpts()).toEqual(before);

    await page.getByRole('button', { name: 'Importer', exact: true }).click();
    const confirm = upload.locator('[data-field="confirm-counts"]');
    expect(await confirm.textContent()).toMatch(
      new RegExp(`Lot \\(46\\).*2 ajouté\\(s\\), 0 remplacé\\(s\\),\\s*${examples} supprimé\\(s\\)`, 's'),
    );
    await page.screenshot({ path: path.join(SHOTS, 'e2e-perimeter-confirm.png') });
    await page.getByRole('button', { name: 'Confirmer l’import' }).click();
    await expect.poll(() => upload.locator('[data-field="import-status"]').textContent(), SLOW).toContain('Import effectué');
    expect((await lotCpts()).map((u) => u.code)).toEqual(['E2E-46-A', 'E2E-46-B']);

    await page.getByText('Historique des imports de périmètres').click();
    const row = page.locator('details.versions tbody tr').first();
    await expect.poll(() => row.textContent(), SLOW).toContain(FILE);
    expect(await row.textContent()).toContain('Lot (46)');
    expect(await row.textContent()).toContain('Planificatrice Occitanie');
    await row.getByRole('button', { name: 'Annuler cet import' }).click();
    await row.getByRole('button', { name: 'Confirmer l’annulation' }).click();
    await expect.poll(() => page.locator('[data-field="undo-status"]').textContent(), SLOW).toContain(`${examples} rétabli(s)`);
    // The history reloads after the message: wait for the row to say so.
    await expect.poll(() => row.textContent(), SLOW).toContain('annulé');
    expect(await lotCpts()).toEqual(before);
    await page.locator('details.versions').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SHOTS, 'e2e-perimeter-undo.png') });
    expect(pageErrors).toEqual([]);
    await page.close();
  }, 90_000);
});
