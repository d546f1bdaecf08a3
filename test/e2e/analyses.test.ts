// End to end: the analysis views of the built client (compare, entanglement, coverage
// gaps, coordination load) opened from their shareable links in headless Chromium, each
// figure checked against the API; the print layout of a sheet; nothing leaves localhost.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { TestServer } from '../support/backends.ts';
import { launchChromium, SHOTS, startE2eServer, waitForMap, type MapWindow } from '../support/browser.ts';

const VIEWPORT = { width: 1280, height: 800 };
const LOCAL = /^(https?:\/\/(127\.0\.0\.1|localhost)(:\d+)?\/|data:|blob:)/;

let server: TestServer;
let browser: Browser;
const requests: string[] = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  server = await startE2eServer();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function openPage(hash: string): Promise<Page> {
  const page = await browser.newPage({ viewport: VIEWPORT });
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(`${server.url}/${hash}`);
  await waitForMap(page);
  return page;
}

async function api<T>(p: string): Promise<T> {
  const res = await fetch(`${server.url}${p}`);
  expect(res.ok, `${p} → ${res.status}`).toBe(true);
  return (await res.json()) as T;
}

function digits(text: string): number {
  return Number(text.replace(/\D/g, ''));
}

/** The analysis class of a commune on the map (feature-state of the highlight source). */
async function communeClass(page: Page, code: string): Promise<unknown> {
  return page.evaluate((c) => {
    const { map } = (window as unknown as MapWindow).__millefeuille;
    return map.getFeatureState({ source: 'highlight-commune', sourceLayer: 'commune', id: c }).cls;
  }, code);
}

describe('analysis views', () => {
  it('compares the CLS and the PETR of Grand Quercy: one part, alignment 100 %', async () => {
    const expected = await api<{ parts: { label: string; communeCount: number }[]; alignments: { alignment: number }[] }>(
      '/api/compare?p=scheme:cls-grand-quercy&p=petr:PETR-GRAND-QUERCY',
    );
    expect(expected.alignments[0]!.alignment).toBe(1);
    expect(expected.parts).toHaveLength(1);

    const page = await openPage('#view=compare&p=scheme:cls-grand-quercy,petr:PETR-GRAND-QUERCY');
    const alignment = page.locator('[data-field="alignment-A-B"]');
    await alignment.waitFor();
    expect((await alignment.innerText()).replace(/\s/g, '')).toBe('100%');
    const parts = page.locator('table[data-table="parts"] tbody tr');
    expect(await parts.count()).toBe(1);
    expect(await parts.first().locator('th').innerText()).toContain('A ∩ B');
    // the first figure after the perimeter marks (■ A, ■ B) is the number of communes
    expect(
      await parts
        .first()
        .locator('td.mark[data-mark]')
        .evaluateAll((tds) => tds.map((td) => td.getAttribute('data-mark'))),
    ).toEqual(['A', 'B']);
    expect(digits(await parts.first().locator('td.num').first().innerText())).toBe(expected.parts[0]!.communeCount);
    // no commune in one perimeter only, and the map colours the shared part (Cahors)
    await expect.poll(() => page.getByText(/Aucune commune n’est seulement dans A/).count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => page.getByText(/Aucune commune n’est seulement dans B/).count(), { timeout: 10_000 }).toBe(1);
    expect(await communeClass(page, '46042')).toBe(0);
    await expect(page.locator('[data-legend="analysis"] li').first().innerText()).resolves.toContain('A ∩ B');
    // the exports point at the server's CSV and GeoJSON of the same comparison
    const csv = await page.getByRole('link', { name: 'CSV' }).getAttribute('href');
    expect(csv).toBe('/api/compare?p=scheme:cls-grand-quercy&p=petr:PETR-GRAND-QUERCY&format=csv');
    await page.screenshot({ path: path.join(SHOTS, 'e2e-compare.png') });

    // removing a perimeter is a new history entry; Back restores the comparison
    await page.getByRole('button', { name: 'Retirer PETR Grand Quercy' }).click();
    await page.getByText(/Choisissez au moins deux périmètres/).waitFor();
    expect(page.url()).toMatch(/view=compare&p=scheme:cls-grand-quercy$/);
    await page.goBack();
    await alignment.waitFor();
    expect((await alignment.innerText()).replace(/\s/g, '')).toBe('100%');
    await page.close();
  });

  it('adds a territory to the comparison from its sheet and another by search', async () => {
    const page = await openPage('#map=9/45.5/3.2&layers=epci&sel=epci:200070407');
    await page.getByRole('button', { name: 'Ajouter à la comparaison' }).click();
    // the sheet stays open; its basket launches the compare view
    await page.getByRole('button', { name: 'Déjà dans la comparaison' }).waitFor();
    await page.getByRole('button', { name: 'Lancer la comparaison' }).click();
    await page.waitForFunction(() => location.hash.includes('view=compare&p=epci:200070407'));
    const box = page.getByRole('combobox', { name: 'Ajouter un périmètre' });
    await box.click();
    await box.pressSequentially('issoire', { delay: 20 });
    const option = page.getByRole('option').filter({ hasText: 'Arrondissement' }).first();
    await option.waitFor();
    await option.click();
    await page.waitForFunction(() => location.hash.includes('p=epci:200070407,arrondissement:633'));
    const expected = await api<{ alignments: { alignment: number }[]; parts: { label: string; communeCount: number }[] }>(
      '/api/compare?p=epci:200070407&p=arrondissement:633',
    );
    const alignment = page.locator('[data-field="alignment-A-B"]');
    await alignment.waitFor();
    const shown = Number((await alignment.innerText()).replace(/[^\d,]/g, '').replace(',', '.'));
    expect(shown).toBeCloseTo(expected.alignments[0]!.alignment * 100, 0);
    // B seul: the communes of the arrondissement outside the agglomeration, listed by name
    const onlyB = expected.parts.find((p) => p.label === 'B seul')!;
    await expect
      .poll(() => page.locator('table[data-table="only-B"] tbody tr').count(), { timeout: 10_000 })
      .toBe(Math.min(200, onlyB.communeCount));
    await page.close();
  });

  it('shows the communes of the Lot without a CLS, as many as the API counts', async () => {
    const expected = await api<{ uncovered: { communeCount: number; communes: { code: string; name: string }[] } }>(
      '/api/gaps?layer=cls&within=departement:46',
    );
    expect(expected.uncovered.communeCount).toBeGreaterThan(0);
    const page = await openPage('#view=gaps&layer=cls&within=departement:46');
    const count = page.locator('[data-field="uncovered-count"]');
    await count.waitFor();
    expect(digits(await count.innerText())).toBe(expected.uncovered.communeCount);
    await expect
      .poll(() => page.locator('table[data-table="uncovered"] tbody tr').count(), { timeout: 10_000 })
      .toBe(Math.min(200, expected.uncovered.communeCount));
    expect(await page.locator('table[data-table="uncovered"] tbody tr th').first().innerText()).toBe(expected.uncovered.communes[0]!.name);
    expect(await page.locator('[data-field="zone"]').innerText()).toBe('Lot');
    // and the priority neighbourhoods of the same zone with neither ASV nor CLS
    const qpv = await api<{ uncovered: { count: number } }>('/api/gaps/qpv?within=departement:46');
    const qpvShown = page.locator('[data-field="qpv-uncovered"]');
    await qpvShown.waitFor();
    expect(digits(await qpvShown.innerText())).toBe(qpv.uncovered.count);
    // the uncovered communes are coloured on the map, a covered one (Cahors) is not
    await waitForMap(page);
    expect(await communeClass(page, expected.uncovered.communes[0]!.code)).toBe(0);
    expect(await communeClass(page, '46042')).toBeUndefined();
    expect(await page.getByRole('link', { name: 'GeoJSON' }).getAttribute('href')).toBe(
      '/api/gaps?layer=cls&within=departement:46&format=geojson',
    );
    await page.screenshot({ path: path.join(SHOTS, 'e2e-gaps.png') });
    await page.close();
  });

  it('pages a national list instead of drawing tens of thousands of rows', async () => {
    const expected = await api<{ uncovered: { communeCount: number } }>('/api/gaps?layer=cls');
    expect(expected.uncovered.communeCount).toBeGreaterThan(1000);
    const page = await openPage('#view=gaps&layer=cls&within=france');
    const rows = page.locator('table[data-table="uncovered"] tbody tr');
    await rows.first().waitFor();
    expect(digits(await page.locator('[data-field="uncovered-count"]').innerText())).toBe(expected.uncovered.communeCount);
    expect(await rows.count()).toBe(200);
    await page.getByRole('button', { name: /Afficher 200 de plus.*Communes sans CLS/ }).click();
    await expect.poll(() => rows.count()).toBe(400);
    expect(await page.locator('tr').count()).toBeLessThan(1000);
    await page.close();
  });

  it('shows the coordination load of two schemes with the API’s figures, as charts and a table', async () => {
    const { schemes } = await api<{
      schemes: { code: string; perFte: { population: number } | null; distanceKm: { max: number } | null }[];
    }>('/api/load?scheme=cls-grand-quercy&scheme=cls-agglo-pays-issoire');
    const page = await openPage('#view=load&s=cls-grand-quercy,cls-agglo-pays-issoire');
    for (const s of schemes) {
      const cell = page.locator(`[data-field="population-per-fte-${s.code}"]`);
      await cell.waitFor();
      expect(s.perFte).not.toBeNull();
      expect(digits(await cell.innerText())).toBe(s.perFte!.population);
      const max = await page.locator(`[data-field="max-km-${s.code}"]`).innerText();
      expect(Number(max.replace(/[^\d,]/g, '').replace(',', '.'))).toBe(s.distanceKm!.max);
    }
    // each chart is an image described by the table holding its figures
    const charts = page.locator('svg[role="img"][aria-describedby="load-table"]');
    expect(await charts.count()).toBe(5);
    expect(await charts.first().getAttribute('aria-label')).toContain('Habitants par ETP');
    await expect(page.locator('#load-table caption').innerText()).resolves.toContain('Charge de coordination');
    expect(await page.locator('input[data-scheme="cls-grand-quercy"]').isChecked()).toBe(true);
    await page.screenshot({ path: path.join(SHOTS, 'e2e-load.png') });
    await page.close();
  });

  it('shows the CLS du Grand Quercy on 7 whole EPCI, and links each unit to its sheet', async () => {
    const page = await openPage('#view=entanglement&sel=scheme:cls-grand-quercy');
    const row = page.locator('table[data-table="entanglement"] tr[data-layer="epci"]');
    await row.waitFor();
    expect(await row.locator('[data-field="units"]').innerText()).toBe('7');
    expect(await row.locator('[data-field="cut"]').innerText()).toBe('0');
    expect(await row.locator('.stack .seg').count()).toBe(7);
    await waitForMap(page);
    await page.screenshot({ path: path.join(SHOTS, 'e2e-entanglement.png') });

    // its units export to CSV (the server's export of the same analysis)
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'CSV' }).click()]);
    expect(download.suggestedFilename()).toBe('enchevetrement-scheme-cls-grand-quercy.csv');
    const csv = fs.readFileSync((await download.path())!, 'utf8');
    expect(csv.split('\r\n')[0]).toBe('\uFEFFcouche;type;code_unite;unite;part_du_territoire;part_de_l_unite_dedans;coupee;donnees');
    expect(csv.split('\r\n').filter((l) => l.startsWith('Intercommunalités (EPCI);'))).toHaveLength(7);

    // drawn on the map on demand: its units coloured, their list opened
    await row.getByRole('button', { name: /Voir sur la carte/ }).click();
    expect(await row.getByRole('button', { name: /Sur la carte/ }).getAttribute('aria-pressed')).toBe('true');
    await expect(page.locator('[data-legend="analysis"] li').allInnerTexts()).resolves.toContain('CA du Grand Cahors');
    await page.getByRole('button', { name: 'CA du Grand Cahors' }).click();
    await page.waitForFunction(() => document.querySelector('#sheet-title')?.textContent?.trim() === 'CA du Grand Cahors');
    expect(page.url()).not.toContain('view=');
    await page.goBack();
    await row.waitFor();
    expect(page.url()).toContain('view=entanglement&sel=scheme:cls-grand-quercy');
    await page.close();
  });

  it('prints a sheet on one page: header with title, date and sources, map image, no panels', async () => {
    const page = await openPage('#layers=departement,epci,cls&sel=epci:200070407');
    await page.waitForFunction(() => document.querySelector('#sheet-title')?.textContent?.trim() === "CA Agglo Pays d'Issoire");
    await waitForMap(page);
    await page.emulateMedia({ media: 'print' });
    // the width of an A4 sheet: the map keeps its screen size, the page reflows around it
    await page.setViewportSize({ width: 794, height: 1123 });
    const header = page.locator('[data-print="header"]');
    await header.waitFor({ state: 'visible' });
    expect(await page.locator('[data-print="title"]').innerText()).toBe("CA Agglo Pays d'Issoire");
    expect(await page.locator('[data-print="date"]').innerText()).toMatch(/^Édité le \d{1,2} \S+ 20\d\d/);
    expect(await page.locator('[data-print="sources"]').innerText()).toContain('IGN');
    expect(await page.locator('#couches').isVisible()).toBe(false);
    expect(await page.getByRole('combobox', { name: 'Rechercher un territoire' }).isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: 'Fermer la fiche' }).isVisible()).toBe(false);
    const img = page.locator('img[data-print="map"]');
    await img.waitFor({ state: 'visible' });
    expect(await img.evaluate((i: HTMLImageElement) => i.naturalWidth)).toBeGreaterThan(200);
    await page.screenshot({ path: path.join(SHOTS, 'e2e-print-sheet.png'), fullPage: true });
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    expect(pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)?.length).toBe(1);
    await page.close();
  });

  it('never requests anything outside localhost', () => {
    expect(requests.some((u) => u.includes('/api/compare'))).toBe(true);
    expect(requests.filter((u) => !LOCAL.test(u))).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
