// Measures what a visitor waits for before the first map: time from navigation to the
// map drawn (style, every visible tile), cold (empty cache) and warm (same browser, second
// visit), and the bytes transferred (compressed, headers included), in headless Chromium.
//   npm run measure:first-map -- http://127.0.0.1:3000/ [runs] [Mbit/s]
// With a rate (e.g. 10), the network is throttled to it with 40 ms of latency, as a
// modest office line would be; without, localhost speed (the bytes still count).
import { chromium, type CDPSession, type Page } from 'playwright-core';
import { chooseChromium } from '../test/support/chromium.ts';

const url = process.argv[2] ?? 'http://127.0.0.1:3000/';
const runs = Number(process.argv[3] ?? 3);
const mbits = process.argv[4] ? Number(process.argv[4]) : null;

interface Visit {
  ms: number;
  bytes: { total: number; scripts: number; styles: number; api: number; tiles: number };
}

/** Sums the bytes each response took on the wire (Network.loadingFinished), by kind. */
function countBytes(cdp: CDPSession): () => Visit['bytes'] {
  const urls = new Map<string, string>();
  const bytes = { total: 0, scripts: 0, styles: 0, api: 0, tiles: 0 };
  cdp.on('Network.responseReceived', (e) => urls.set(e.requestId, e.response.url));
  cdp.on('Network.loadingFinished', (e) => {
    const u = urls.get(e.requestId) ?? '';
    bytes.total += e.encodedDataLength;
    if (/\.m?js(\?|$)/.test(u)) bytes.scripts += e.encodedDataLength;
    else if (/\.css(\?|$)/.test(u)) bytes.styles += e.encodedDataLength;
    else if (u.includes('/api/')) bytes.api += e.encodedDataLength;
    else if (u.includes('/tiles/')) bytes.tiles += e.encodedDataLength;
  });
  return () => ({ ...bytes });
}

async function visit(page: Page, cdp: CDPSession): Promise<Visit> {
  const bytes = countBytes(cdp);
  const start = performance.now();
  await page.goto(url);
  await page.waitForFunction(
    () => {
      const w = window as unknown as { __millefeuille?: { map: import('maplibre-gl').Map } };
      return !!w.__millefeuille && w.__millefeuille.map.loaded() && w.__millefeuille.map.areTilesLoaded();
    },
    null,
    { timeout: 60_000, polling: 20 },
  );
  const ms = performance.now() - start;
  await page.waitForTimeout(500);
  return { ms, bytes: bytes() };
}

const choice = await chooseChromium();
const browser = await chromium.launch({
  executablePath: choice.executablePath,
  args: ['--no-sandbox', '--use-gl=angle', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', ...choice.args],
});
const kb = (n: number) => `${(n / 1024).toFixed(0)} ko`;
const line = (label: string, v: Visit) =>
  `${label}: ${v.ms.toFixed(0)} ms, transféré ${kb(v.bytes.total)} (JS ${kb(v.bytes.scripts)}, CSS ${kb(v.bytes.styles)}, API ${kb(v.bytes.api)}, tuiles ${kb(v.bytes.tiles)})`;
const cold: number[] = [];
const warm: number[] = [];
for (let i = 0; i < runs; i++) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  if (mbits) {
    const bytesPerSecond = (mbits * 1e6) / 8;
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 40,
      downloadThroughput: bytesPerSecond,
      uploadThroughput: bytesPerSecond,
    });
  }
  const first = await visit(page, cdp);
  const second = await visit(page, cdp);
  console.log(line(`froid ${i + 1}`, first));
  console.log(line(`chaud ${i + 1}`, second));
  cold.push(first.ms);
  warm.push(second.ms);
  await context.close();
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(
  `médiane : froid ${median(cold).toFixed(0)} ms, chaud ${median(warm).toFixed(0)} ms (${runs} essais, ${url}${mbits ? `, ${mbits} Mbit/s` : ''})`,
);
await browser.close();
