// End to end (issue 20): a planner fills the comparison from the sheet of the CLS Agglo
// Pays d'Issoire without leaving it — its EPCI, all its CPTS, both psychiatric sector
// layers — meets the limit of 8 (controls disabled with the reason, never hidden), then
// reads the pattern table and the alignment triangle of the comparison, each checked
// against the API's answer for the same perimeters, in headless Chromium.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { TestServer } from '../support/backends.ts';
import { launchChromium, SHOTS, startE2eServer, waitForMap } from '../support/browser.ts';

const VIEWPORT = { width: 1280, height: 800 };
const FULL = '8 périmètres au plus : retirez-en un pour en ajouter.';

interface Membership {
  layer: string;
  code: string;
  name: string;
  share: number | null;
}
interface Comparison {
  perimeters: { key: string; layer: string; code: string }[];
  parts: { members: string[]; pattern: string; communeCount: number; population: number | null; unknownShare: boolean }[];
  alignments: { a: string; b: string; alignment: number | null }[];
}

let server: TestServer;
let browser: Browser;
const pageErrors: string[] = [];

beforeAll(async () => {
  server = await startE2eServer();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function api<T>(p: string): Promise<T> {
  const res = await fetch(`${server.url}${p}`);
  expect(res.ok, `${p} → ${res.status}`).toBe(true);
  return (await res.json()) as T;
}

function digits(text: string): number {
  return Number(text.replace(/\D/g, ''));
}

async function basketCount(page: Page): Promise<number> {
  return digits(await page.locator('[data-field="basket-count"]').innerText());
}

describe('comparison basket', () => {
  it('fills the comparison from the CLS sheet, meets the limit of 8, and reads the pattern table', async () => {
    // the CLS, found as a person would: by its name
    const search = await api<{ results: { layer: string; code: string; name: string; type: string | null }[] }>(
      `/api/search?q=${encodeURIComponent('agglo pays issoire')}`,
    );
    const cls = search.results.find((r) => r.layer === 'scheme' && r.type === 'CLS');
    expect(cls?.name).toBe("Contrat local de santé Agglo Pays d'Issoire");
    const sheet = await api<{ name: string; memberships: Membership[] }>(`/api/territories/scheme/${cls!.code}`);
    const of = (layer: string) => sheet.memberships.filter((m) => m.layer === layer);
    const [epci] = of('epci');
    const cpts = of('cpts');
    const adult = of('secteur-psy-adulte');
    const child = of('secteur-psy-enfant');
    expect(epci?.code).toBe('200070407');
    // the scenario: EPCI + its CPTS + the adult sectors fill the 8 places exactly
    expect([cpts.length, adult.length, child.length]).toEqual([4, 3, 3]);

    const page = await browser.newPage({ viewport: VIEWPORT });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${server.url}/#map=9/45.47/3.22&sel=scheme:${cls!.code}`);
    await waitForMap(page);
    const title = page.locator('#sheet-title');
    await expect.poll(() => title.innerText(), { timeout: 15_000 }).toBe(sheet.name);
    const stillOnSheet = async () => {
      expect(await title.innerText()).toBe(sheet.name);
      expect(page.url()).toContain(`sel=scheme:${cls!.code}`);
      expect(page.url()).not.toContain('view=compare');
    };

    // the EPCI by its row, then every CPTS at once: the basket grows, the sheet stays
    await page.getByRole('button', { name: `Comparer ${epci!.name}`, exact: true }).click();
    await expect.poll(() => basketCount(page)).toBe(1);
    await stillOnSheet();
    await page.locator('[data-action="compare-all-cpts"]').click();
    await expect.poll(() => basketCount(page)).toBe(1 + cpts.length);
    for (const c of cpts) expect(await page.locator('[data-basket]').innerText()).toContain(c.name);
    await page.locator('[data-action="compare-all-secteur-psy-adulte"]').click();
    await expect.poll(() => basketCount(page)).toBe(8);
    await stillOnSheet();

    // full: every add control is still there, disabled, and the reason is on screen
    await expect.poll(() => page.locator('[data-field="basket-full"]').innerText()).toBe(FULL);
    const addChild = page.locator('[data-action="compare-all-secteur-psy-enfant"]');
    expect(await addChild.isVisible()).toBe(true);
    expect(await addChild.isDisabled()).toBe(true);
    const childRow = page.getByRole('button', { name: `Comparer ${child[0]!.name}`, exact: true });
    expect(await childRow.isDisabled()).toBe(true);
    expect(await childRow.getAttribute('aria-describedby')).toBe('compare-basket-full');
    expect(await page.getByRole('button', { name: 'Ajouter à la comparaison' }).isDisabled()).toBe(true);
    await page.screenshot({ path: path.join(SHOTS, 'e2e-compare-basket-full.png') });

    // room for the child sectors: keep the CPTS that holds most of the CLS, remove the others
    const kept = [...cpts].sort((a, b) => (b.share ?? 0) - (a.share ?? 0))[0]!;
    for (const c of cpts.filter((c) => c.code !== kept.code)) {
      await page.getByRole('button', { name: `Retirer ${c.name} de la comparaison` }).click();
    }
    await expect.poll(() => basketCount(page)).toBe(8 - (cpts.length - 1));
    expect(await page.locator('[data-field="basket-full"]').count()).toBe(0);
    await addChild.click();
    await expect.poll(() => basketCount(page)).toBe(8);
    await stillOnSheet();

    // launch: the compare view of the 8 perimeters, in the order they were added
    await page.getByRole('button', { name: 'Lancer la comparaison' }).click();
    const refs = [epci!, kept, ...adult, ...child].map((m) => `${m.layer}:${m.code}`);
    await page.waitForFunction((p) => location.hash.includes(`view=compare&p=${p}`), refs.join(','));
    const expected = await api<Comparison>(`/api/compare?${refs.map((r) => `p=${r}`).join('&')}`);
    expect(expected.perimeters.map((p) => `${p.layer}:${p.code}`)).toEqual(refs);

    const rows = page.locator('table[data-table="parts"] tbody tr');
    await rows.first().waitFor({ timeout: 30_000 });
    expect(await rows.count()).toBe(expected.parts.length);
    const shown = await rows.evaluateAll((trs) =>
      trs.map((tr) => ({
        pattern: tr.getAttribute('data-pattern'),
        marks: [...tr.querySelectorAll('td.mark')].map((td) => td.getAttribute('data-mark')).join(''),
        cells: [...tr.querySelectorAll('td.num')].map((td) => (td as HTMLElement).innerText),
      })),
    );
    // one row per pattern of the API, its marks = its members, its figures the API's
    const byPattern = new Map(expected.parts.map((p) => [p.pattern, p]));
    expect(new Set(shown.map((r) => r.pattern))).toEqual(new Set(byPattern.keys()));
    for (const row of shown) {
      const part = byPattern.get(row.pattern!)!;
      expect(row.marks).toBe(part.members.join(''));
      expect(digits(row.cells[0]!)).toBe(part.communeCount);
      if (!part.unknownShare) expect(digits(row.cells[1]!)).toBe(part.population);
    }
    // sorted by population, largest first
    expect(shown.map((r) => byPattern.get(r.pattern!)!.population)).toEqual(
      expected.parts.map((p) => p.population).sort((a, b) => b! - a!),
    );

    // the triangle: all 28 pairs, each the API's alignment
    expect(expected.alignments).toHaveLength(28);
    const percent = new Intl.NumberFormat('fr-FR', { style: 'percent', maximumFractionDigits: 1 });
    const plain = (t: string) => t.replace(/\s/g, ' ');
    for (const a of expected.alignments) {
      const text = plain(await page.locator(`[data-field="alignment-${a.a}-${a.b}"]`).innerText());
      if (a.alignment === null) expect(text).toBe('inconnu');
      else if (a.alignment > 0 && a.alignment < 0.001) expect(text).toBe('< 0,1 %');
      else expect(text).toBe(plain(percent.format(a.alignment)));
    }

    // the compare view's own search box: disabled with the reason, not gone
    const box = page.getByRole('combobox', { name: 'Ajouter un périmètre' });
    expect(await box.isVisible()).toBe(true);
    expect(await box.isDisabled()).toBe(true);
    expect(await page.locator('[data-field="compare-full"]').innerText()).toBe(FULL);
    await page.locator('table[data-table="parts"]').screenshot({ path: path.join(SHOTS, 'e2e-compare-patterns.png') });
    expect(pageErrors).toEqual([]);
    await page.close();
  });
});
