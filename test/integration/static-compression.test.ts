// Page weight (issue 14 §5) on each backend: the built client is served from the copies
// compressed at build time (brotli, else gzip, else plain), hashed assets cached for a
// year, index.html checked each time; JSON answers over 1 kB leave compressed; tiles are
// gzipped once, never twice; a visitor's session answer is a 200, not a 401.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { precompressDir } from '../../client/build/precompress.ts';
import { backends, startTestServer, type TestServer } from '../support/backends.ts';

interface Raw {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A GET without any decoding, so the test sees the bytes as sent. */
function get(url: string, acceptEncoding?: string): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const headers = acceptEncoding === undefined ? {} : { 'Accept-Encoding': acceptEncoding };
    http
      .get(url, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on('error', reject);
  });
}

const decode = (r: Raw): Buffer =>
  r.headers['content-encoding'] === 'br'
    ? brotliDecompressSync(r.body)
    : r.headers['content-encoding'] === 'gzip'
      ? gunzipSync(r.body)
      : r.body;

// a client folder as the build leaves it: index.html and a hashed script, compressed copies beside
const clientDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mf-client-'));
const SCRIPT = `export const lines = ${JSON.stringify(Array.from({ length: 400 }, (_, i) => `ligne ${i}`))};\n`;
const INDEX = `<!doctype html><html lang="fr"><head><title>Millefeuille</title><script type="module" src="/assets/index-AbC123xY.js"></script></head><body>${'<!-- remplissage -->'.repeat(80)}<div id="app"></div></body></html>`;
fs.mkdirSync(path.join(clientDir, 'assets'));
fs.writeFileSync(path.join(clientDir, 'assets', 'index-AbC123xY.js'), SCRIPT);
fs.writeFileSync(path.join(clientDir, 'index.html'), INDEX);
precompressDir(clientDir);

describe.each(backends())('static files and compression on $name', (backend) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(backend, { clientDir });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('writes brotli and gzip copies smaller than the file at build time', () => {
    const file = path.join(clientDir, 'assets', 'index-AbC123xY.js');
    expect(brotliDecompressSync(fs.readFileSync(`${file}.br`)).toString()).toBe(SCRIPT);
    expect(gunzipSync(fs.readFileSync(`${file}.gz`)).toString()).toBe(SCRIPT);
    expect(fs.statSync(`${file}.br`).size).toBeLessThan(SCRIPT.length / 3);
  });

  it('serves a hashed asset in the encoding accepted, cached for a year', async () => {
    const url = `${server.url}/assets/index-AbC123xY.js`;
    const cases: [string | undefined, string | undefined][] = [
      ['gzip, deflate, br', 'br'],
      ['gzip', 'gzip'],
      ['br;q=0, gzip', 'gzip'],
      ['identity', undefined],
      [undefined, undefined],
    ];
    for (const [accept, encoding] of cases) {
      const r = await get(url, accept);
      expect(r.status, accept).toBe(200);
      expect(r.headers['content-encoding'], accept).toBe(encoding);
      expect(r.headers['content-type'], accept).toMatch(/javascript/);
      expect(r.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(r.headers.vary).toMatch(/Accept-Encoding/i);
      expect(decode(r).toString(), accept).toBe(SCRIPT);
    }
  });

  it('serves index.html, for the root and for any client path, as no-cache', async () => {
    for (const p of ['/', '/carte/quelque-part']) {
      const r = await get(server.url + p, 'br');
      expect(r.status, p).toBe(200);
      expect(r.headers['cache-control'], p).toBe('no-cache');
      expect(r.headers['content-type'], p).toMatch(/^text\/html/);
      expect(r.headers['content-encoding'], p).toBe('br');
      expect(decode(r).toString(), p).toBe(INDEX);
    }
    // the compressed copies are not files of the site
    expect((await get(`${server.url}/assets/index-AbC123xY.js.br`)).headers['content-type']).toMatch(/^text\/html/);
  });

  it('compresses JSON answers over 1 kB, not smaller ones', async () => {
    const big = await get(`${server.url}/api/layers`, 'gzip, br');
    expect(big.status).toBe(200);
    expect(big.headers['content-encoding']).toBe('br');
    expect(big.headers.vary).toMatch(/Accept-Encoding/i);
    const layers = JSON.parse(decode(big).toString()) as { layers: { id: string }[] };
    expect(layers.layers.map((l) => l.id)).toContain('commune');
    expect(decode(big).length).toBeGreaterThan(1024);
    expect(big.body.length).toBeLessThan(decode(big).length);

    const gz = await get(`${server.url}/api/layers`, 'gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(gz.body).toString())).toEqual(layers);

    const plain = await get(`${server.url}/api/layers`);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(plain.body.toString())).toEqual(layers);

    const small = await get(`${server.url}/api/config`, 'br, gzip');
    expect(small.status).toBe(200);
    expect(small.body.length).toBeLessThan(1024);
    expect(small.headers['content-encoding']).toBeUndefined();
  });

  it('gzips a tile once, whatever the browser accepts', async () => {
    for (let i = 0; i < 2; i++) {
      // the second request comes from the fast lane (the tile is cached)
      const r = await get(`${server.url}/tiles/region/5/16/11.mvt`, 'br, gzip');
      expect(r.status).toBe(200);
      expect(r.headers['content-encoding']).toBe('gzip');
      const pbf = gunzipSync(r.body);
      // a vector tile starts with a layer field (0x1a), not with gzip's magic bytes
      expect(pbf[0]).toBe(0x1a);
    }
  });

  it('answers a visitor’s session with 200 and signedIn: false', async () => {
    const r = await get(`${server.url}/api/auth/session`);
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body.toString())).toEqual({ signedIn: false });
  });
});
