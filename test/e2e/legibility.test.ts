// End to end: the map stays legible where perimeters pile up. On the Lot, the CLS Grand
// Quercy has exactly the PETR Grand Quercy's perimeter: both colours must be drawn along
// their common border. Land beyond the borders is drawn as land, place names show with no
// layer asking for them, and on a phone the legend starts folded under a visible map.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { TestServer } from '../support/backends.ts';
import { launchChromium, SHOTS, startE2eServer, waitForMap, type MapWindow } from '../support/browser.ts';
import { KNOWN_LOOKS } from '../../client/src/lib/layers.ts';
import { FOREIGN_LAND, SEA } from '../../client/src/lib/mapStyle.ts';

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startE2eServer();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

function rgb(hex: string): [number, number, number] {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

async function openPage(hash: string, viewport = { width: 1280, height: 800 }): Promise<Page> {
  const page = await browser.newPage({ viewport });
  await page.goto(`${server.url}/${hash}`);
  await waitForMap(page, 400);
  return page;
}

/** Moves the map and waits until every tile is drawn and labels are placed. */
async function jump(page: Page, lon: number, lat: number, zoom: number): Promise<void> {
  await page.evaluate(({ lon, lat, zoom }) => (window as unknown as MapWindow).__millefeuille.map.jumpTo({ center: [lon, lat], zoom }), {
    lon,
    lat,
    zoom,
  });
  await waitForMap(page, 500);
}

/**
 * How many pixels of each target colour (the nearest one) lie within `radius` CSS px of a map point, read
 * from a screenshot of the canvas (the WebGL drawing buffer is not kept).
 */
async function coloursNear(
  page: Page,
  lngLat: [number, number],
  radius: number,
  targets: Record<string, string>,
  shot?: string,
  inside: Record<string, { layer: string; code: string }> = {},
): Promise<Record<string, number>> {
  const canvas = page.locator('canvas.maplibregl-canvas');
  const png = await canvas.screenshot();
  if (shot) fs.writeFileSync(path.join(SHOTS, `e2e-legibility-${shot}.png`), png);
  const point = await page.evaluate((ll) => {
    const p = (window as unknown as MapWindow).__millefeuille.map.project(ll);
    return { x: p.x, y: p.y };
  }, lngLat);
  return page.evaluate(
    async ({ b64, point, radius, targets, inside }) => {
      const { map } = (window as unknown as MapWindow).__millefeuille;
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const css = document.querySelector('canvas.maplibregl-canvas')!.getBoundingClientRect();
      const scale = img.width / css.width;
      const c = document.createElement('canvas');
      c.width = img.width;
      c.height = img.height;
      const ctx = c.getContext('2d')!;
      ctx.drawImage(img, 0, 0);
      const r = Math.round(radius * scale);
      const x0 = Math.round(point.x * scale) - r;
      const y0 = Math.round(point.y * scale) - r;
      const data = ctx.getImageData(x0, y0, 2 * r + 1, 2 * r + 1).data;
      const counts: Record<string, number> = Object.fromEntries(Object.keys(targets).map((k) => [k, 0]));
      // each pixel counts for the nearest target colour, if near enough
      for (let i = 0; i < data.length; i += 4) {
        let best: string | null = null;
        let bestDistance = 45;
        for (const [k, [tr, tg, tb]] of Object.entries(targets)) {
          const d = Math.abs(data[i]! - tr) + Math.abs(data[i + 1]! - tg) + Math.abs(data[i + 2]! - tb);
          if (d < bestDistance) [best, bestDistance] = [k, d];
        }
        if (!best) continue;
        const unit = inside[best];
        if (unit) {
          // a pixel of this colour counts only inside that unit (not a neighbour's outline)
          const j = i / 4;
          const at: [number, number] = [(x0 + (j % (2 * r + 1))) / scale, (y0 + Math.floor(j / (2 * r + 1))) / scale];
          const hits = map.queryRenderedFeatures(at, { layers: [unit.layer] });
          if (!hits.some((f) => String(f.properties?.code) === unit.code)) continue;
        }
        counts[best]! += 1;
      }
      return counts;
    },
    {
      b64: png.toString('base64'),
      point,
      radius,
      targets: Object.fromEntries(Object.entries(targets).map(([k, v]) => [k, rgb(v)])),
      inside,
    },
  );
}

/** Outer-ring vertices of a unit, spread along its border, from the OGC API. */
async function borderPoints(layer: string, code: string, count: number): Promise<[number, number][]> {
  const res = await fetch(`${server.url}/ogc/collections/${layer}/items/${code}`);
  expect(res.status).toBe(200);
  const f = (await res.json()) as { geometry: { type: string; coordinates: number[][][][] } };
  expect(f.geometry.type).toBe('MultiPolygon');
  const ring = f.geometry.coordinates.reduce((a, b) => (b[0]!.length > a[0]!.length ? b : a))[0]!;
  const step = Math.floor(ring.length / count);
  return Array.from({ length: count }, (_, i) => ring[i * step] as [number, number]);
}

describe('coincident perimeters', () => {
  it('draws both the PETR and the CLS colours along their common border, with the EPCI on', async () => {
    const page = await openPage('#map=9/44.5/1.45&layers=epci,petr,cls');
    const petr = KNOWN_LOOKS.petr!.color;
    const cls = KNOWN_LOOKS.cls!.color;
    const epci = KNOWN_LOOKS.epci!.color;
    const points = await borderPoints('petr', 'PETR-GRAND-QUERCY', 5);
    let both = 0;
    for (const [i, [lon, lat]] of points.entries()) {
      await jump(page, lon, lat, 10.5);
      const counts = await coloursNear(page, [lon, lat], 16, { petr, cls, epci }, i === 0 ? 'petr-cls' : undefined, {
        petr: { layer: 'petr:fill', code: 'PETR-GRAND-QUERCY' },
        cls: { layer: 'cls:fill', code: 'cls-grand-quercy' },
      });
      if (counts.petr! >= 4 && counts.cls! >= 4) both += 1;
    }
    // every sampled border point shows both outlines side by side
    expect(both).toBe(points.length);
    await page.close();
  }, 240_000);
});

describe('geographic context', () => {
  it('draws Spain and Belgium as land and the sea as sea', async () => {
    const page = await openPage('#map=6/46.5/2.5&layers=departement');
    // the countries arrive after the first map: wait for them, then for their tiles
    await page.waitForFunction(() => (window as unknown as MapWindow).__millefeuille.map.querySourceFeatures('world').length > 0, null, {
      timeout: 30_000,
      polling: 200,
    });
    const probes: { name: string; at: [number, number]; land: boolean }[] = [
      { name: 'spain', at: [-1.5, 41.8], land: true },
      { name: 'belgium', at: [4.6, 50.6], land: true },
      { name: 'sea', at: [-6.5, 46], land: false },
    ];
    for (const probe of probes) {
      await jump(page, probe.at[0], probe.at[1], 7);
      const counts = await coloursNear(page, probe.at, 3, { foreign: FOREIGN_LAND, sea: SEA }, probe.name);
      if (probe.land) {
        expect(counts.foreign, probe.name).toBeGreaterThan(0);
        expect(counts.sea, probe.name).toBe(0);
      } else {
        expect(counts.sea, probe.name).toBeGreaterThan(0);
        expect(counts.foreign, probe.name).toBe(0);
      }
    }
    await page.close();
  }, 180_000);

  it('names départements, then communes, the largest first, with no layer asking for them', async () => {
    const page = await openPage('#map=6.5/45/2&layers=qpv');
    const names = (layer: string) =>
      page.evaluate(
        (id) =>
          (window as unknown as MapWindow).__millefeuille.map
            .queryRenderedFeatures({ layers: [id] })
            .map((f) => String(f.properties?.name)),
        layer,
      );
    const departements = await names('ref-departement-label');
    expect(departements).toContain('Lot');
    expect(departements).toContain('Cantal');
    await jump(page, 1.6, 44.6, 9);
    const places = await names('ref-place-label');
    expect(places).toContain('Cahors');
    expect(places).toContain('Figeac');
    const lines = await page.evaluate(
      () => (window as unknown as MapWindow).__millefeuille.map.queryRenderedFeatures({ layers: ['ref-commune-line'] }).length,
    );
    expect(lines).toBeGreaterThan(50);
    await page.close();
  });
});

describe('legend and screen', () => {
  it('folds the legend on a phone and keeps most of the screen for the map', async () => {
    const page = await openPage('#map=8/44.6/1.6&layers=departement,cls', { width: 390, height: 844 });
    const toggle = page.locator('.legend .head button');
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    expect(await page.locator('#legend-body').isHidden()).toBe(true);
    const map = await page.locator('canvas.maplibregl-canvas').boundingBox();
    const legend = await page.locator('.legend').boundingBox();
    expect(map!.width).toBeGreaterThanOrEqual(380);
    expect(map!.height).toBeGreaterThan(400);
    // the folded legend covers a small corner of the map
    expect((legend!.width * legend!.height) / (map!.width * map!.height)).toBeLessThan(0.1);
    fs.writeFileSync(path.join(SHOTS, 'e2e-legibility-mobile.png'), await page.screenshot());
    await page.close();
  });

  it('folds the legend on a 1280 px laptop and remembers it unfolded', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(`${server.url}/#layers=departement,cls`);
    await waitForMap(page);
    const toggle = page.locator('.legend .head button');
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    await toggle.click();
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    await page.reload();
    await waitForMap(page);
    expect(await page.locator('.legend .head button').getAttribute('aria-expanded')).toBe('true');
    expect(await page.locator('#legend-body').isVisible()).toBe(true);
    await context.close();
  });

  it('on a wide screen, shows the legend unfolded', async () => {
    const page = await openPage('#layers=departement,cls', { width: 1600, height: 900 });
    expect(await page.locator('.legend .head button').getAttribute('aria-expanded')).toBe('true');
    await page.close();
  });

  it('hides fills and hatchings in outlines-only mode, keeping the outlines', async () => {
    const page = await openPage('#map=9/44.5/1.45&layers=cls', { width: 1600, height: 900 });
    const paint = () =>
      page.evaluate(() => {
        const { map } = (window as unknown as MapWindow).__millefeuille;
        return [map.getPaintProperty('cls:hatch', 'fill-opacity'), map.getPaintProperty('cls:line', 'line-opacity')];
      });
    // scheme opacities are [*, base, status factor]
    const [hatchBefore, lineBefore] = (await paint()) as unknown as [unknown[], unknown[]];
    expect(hatchBefore[1]).toBe(0.75);
    await page.getByLabel('Contours seuls').check();
    const [hatchAfter, lineAfter] = (await paint()) as unknown as [unknown[], unknown[]];
    expect(hatchAfter[1]).toBe(0);
    expect(lineAfter).toEqual(lineBefore);
    const rendered = await page.evaluate(
      () => (window as unknown as MapWindow).__millefeuille.map.queryRenderedFeatures({ layers: ['cls:line'] }).length,
    );
    expect(rendered).toBeGreaterThan(0);
    await page.close();
  });
});
