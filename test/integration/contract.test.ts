// The contract cannot drift from behaviour: the OpenAPI document generated from it is
// valid, names every route Express mounts, and real answers of each route family, on
// every backend, are exactly what the contract's answer schemas describe (a key the
// schema does not know, or a type it does not allow, fails).
import { Validator } from '@seriousme/openapi-schema-validator';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { ENDPOINTS } from '../../contract/index.ts';
import { createApp } from '../../server/app.ts';
import { openApiPath } from '../../server/openapi/document.ts';
import { backends, openBackend, startTestServer, type TestServer } from '../support/backends.ts';

interface Layer {
  route?: { path: string | RegExp; methods: Record<string, boolean> };
  handle: { stack?: Layer[] };
  rawPath?: string | RegExp;
}

/** Express routes written as regular expressions, by the contract path they serve. */
const REGEX_ROUTES: Record<string, string | null> = {
  [String(/^\/tiles\/([^/]+)\.json$/)]: '/tiles/:layers.json',
  // the client's pages (index.html for any path outside /api and /tiles)
  [String(/^\/(?!api\/|tiles\/).*/)]: null,
};

/** "get /api/layers" for every route mounted in the app, nested routers included. */
function mountedRoutes(stack: Layer[], prefix = ''): string[] {
  return stack.flatMap((layer) => {
    if (layer.route) {
      const raw = layer.route.path;
      const path = typeof raw === 'string' ? prefix + raw : REGEX_ROUTES[String(raw)];
      if (path === undefined) throw new Error(`route written as an unknown regular expression: ${String(raw)}`);
      if (path === null) return [];
      return Object.keys(layer.route.methods).map((m) => `${m} ${path}`);
    }
    if (layer.handle.stack) return mountedRoutes(layer.handle.stack, prefix + (layer.rawPath === '/' ? '' : String(layer.rawPath ?? '')));
    return [];
  });
}

const byPath = new Map(ENDPOINTS.map((e) => [`${e.method} ${e.path}`, e]));

describe('the OpenAPI document', () => {
  let doc: { paths: Record<string, Record<string, { summary: string }>> };
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(backends()[0]!);
    doc = (await (await fetch(`${server.url}/api/openapi.json`)).json()) as typeof doc;
  });
  afterAll(async () => server?.close());

  it('is valid OpenAPI 3.1', async () => {
    const result = await new Validator().validate(doc as unknown as Record<string, unknown>);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect((doc as unknown as { openapi: string }).openapi).toBe('3.1.0');
  });

  it('describes every route mounted in Express, in French, and no route that is not mounted', async () => {
    const db = await openBackend(backends()[0]!);
    try {
      const app = createApp({ db, logger: pino({ level: 'silent' }), clientDir: '/nonexistent' }) as unknown as {
        router: { stack: Layer[] };
      };
      const mounted = new Set(mountedRoutes(app.router.stack));
      // tiles are answered by a middleware before the routes (server/routes/tiles.ts)
      mounted.add('get /tiles/:layers/:z/:x/:y.mvt');
      expect([...mounted].filter((r) => !byPath.has(r))).toEqual([]);
      expect([...byPath.keys()].filter((r) => !mounted.has(r))).toEqual([]);
      for (const route of mounted) {
        const [method, path] = route.split(' ') as [string, string];
        const summary = doc.paths[openApiPath(path)]?.[method]?.summary;
        // a French sentence: French articles or prepositions, a final full stop
        expect(summary, route).toMatch(/(^|\s)(de|du|des|la|le|les|un|une|et|d’\S+|l’\S+)\s.*\.$/i);
      }
    } finally {
      await db.close();
    }
  });

  it('has a readable reference page without script, linked to the document', async () => {
    const res = await fetch(`${server.url}/api/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const html = await res.text();
    expect(html).not.toMatch(/<script|style=/i);
    expect(html).toContain('href="/api/openapi.json"');
    for (const e of ENDPOINTS)
      expect(html, e.path).toContain(`${e.method.toUpperCase()} ${e.path.replace(/:/g, '{').replace(/\{(\w+)/g, '{$1}')}`);
  });
});

/** Requests of each route family whose JSON answers are checked against the contract. */
const SAMPLES: [route: string, url: string][] = [
  ['get /api/layers', '/api/layers'],
  ['get /api/locate', '/api/locate?lon=3.2496&lat=45.5443'],
  ['get /api/territories/:layer/:code', '/api/territories/commune/25390'],
  ['get /api/territories/:layer/:code', '/api/territories/cls/cls-grand-quercy'],
  ['get /api/territories/:layer/:code/communes', '/api/territories/petr/PETR-GRAND-QUERCY/communes'],
  ['get /api/territories/:layer/:code/entanglement', '/api/territories/epci/200070407/entanglement'],
  ['get /api/search', '/api/search?q=saint%20etienne'],
  ['get /api/search', '/api/search?q=cls%20issoire&layers=scheme,epci&limit=5'],
  ['get /api/compare', '/api/compare?p=scheme:cls-grand-quercy&p=petr:PETR-GRAND-QUERCY'],
  ['get /api/compare', '/api/compare?p=pnr:PNR-DOUBS-HORLOGER&p=epci:242500320&p=commune:25390'],
  ['get /api/gaps', '/api/gaps?layer=cls&within=departement:46'],
  ['get /api/gaps', '/api/gaps?layer=pnr'],
  ['get /api/gaps/qpv', '/api/gaps/qpv?within=departement:95'],
  ['get /api/load', '/api/load?scheme=cls-grand-quercy'],
  ['get /api/panorama', '/api/panorama?within=departement:46'],
  ['get /api/schemes', '/api/schemes'],
  ['get /api/schemes/:code', '/api/schemes/cls-grand-quercy'],
  ['get /api/schemes/:code/history', '/api/schemes/cls-grand-quercy/history'],
  ['get /api/schemes/:code/referents', '/api/schemes/cls-grand-quercy/referents'],
  ['get /api/schemes/:code/referent-gaps', '/api/schemes/cls-grand-quercy/referent-gaps'],
  ['get /api/inventory', '/api/inventory?region=76'],
  ['get /api/health', '/api/health'],
  ['get /api/config', '/api/config'],
];

describe.each(backends())('answers match the contract on $name', (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(backend);
  });
  afterAll(async () => server?.close());

  it.each(SAMPLES)('%s (%s)', async (route, url) => {
    const schema = byPath.get(route)?.response as z.ZodType | undefined;
    expect(schema, route).toBeDefined();
    const res = await fetch(server.url + url);
    expect(res.status, url).toBe(200);
    const body: unknown = await res.json();
    const parsed = schema!.safeParse(body);
    expect(parsed.success ? [] : parsed.error.issues, url).toEqual([]);
    // nothing the contract does not declare: parsing drops unknown keys
    expect(parsed.data, url).toEqual(body);
  });
});
