// OGC API – Features (Part 1 Core, GeoJSON, HTML, OpenAPI 3.0) under /ogc: every layer of
// the atlas readable live by QGIS, GDAL or a browser. Read-only and public like the API's
// own reads: features carry reference attributes and the schemes' public description,
// never a referent's contact nor an editor's address.
//
// JSON or HTML by `f=json|html`, else by the Accept header (a browser gets HTML).
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import {
  collectionIdSchema,
  featureIdSchema,
  formatQuerySchema,
  itemQuerySchema,
  itemsQuerySchema,
  OGC_FILTER_NAMES,
  type ItemsQuery,
} from '../../contract/ogc.ts';
import type { Db } from '../../core/db/db.ts';
import { badRequest, notFound, unknownRoute } from '../errors.ts';
import type { Catalogue, Collection } from '../ogc/catalogue.ts';
import { simplificationNote, toleranceFor } from '../ogc/generalise.ts';
import {
  collectionHtml,
  collectionsHtml,
  conformanceHtml,
  itemHtml,
  itemsHtml,
  landingHtml,
  STYLE,
  type HtmlFeature,
  type Link,
} from '../ogc/html.ts';
import { openApiDocument } from '../ogc/openapi.ts';
import { featuresByCode, findFeature, type FeatureRow } from '../queries/ogc.ts';
import { SelectionCache } from '../ogc/selections.ts';

const JSON_TYPE = 'application/json';
const GEOJSON_TYPE = 'application/geo+json';
const HTML_TYPE = 'text/html';
const OPENAPI_TYPE = 'application/vnd.oai.openapi+json;version=3.0';

const CONFORMANCE = [
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30',
];
const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84';

const TITLE = 'Millefeuille — atlas des démarches territoriales de santé';
const DESCRIPTION =
  'Toutes les couches de l’atlas (communes, intercommunalités, départements, régions, PETR, PNR, QPV, CPTS, ' +
  'secteurs de psychiatrie, démarches CLS, ASV, CLSM, PTSM) en OGC API – Features, lisibles par QGIS et GDAL.';

const collectionParams = z.object({ collectionId: collectionIdSchema });
const itemParams = collectionParams.extend({ featureId: featureIdSchema });

/** The service's root URL as the client reached it. */
function rootOf(req: Request): string {
  return `${req.protocol}://${req.get('host')}/ogc`;
}

function wantsHtml(req: Request, f: string | undefined): boolean {
  if (f) return f === 'html';
  return req.accepts([JSON_TYPE, GEOJSON_TYPE, HTML_TYPE]) === HTML_TYPE;
}

function send(res: Response, type: string, body: string): void {
  res.set('Vary', 'Accept').type(type).send(body);
}

/** This request's URL with some query parameters changed (null: removed). */
function withQuery(req: Request, changes: Record<string, string | null>): string {
  const url = new URL(req.originalUrl, `${req.protocol}://${req.get('host')}`);
  for (const [k, v] of Object.entries(changes)) {
    if (v === null) url.searchParams.delete(k);
    else url.searchParams.set(k, v);
  }
  return url.toString();
}

/** self (the format answered) and alternate (the other one). */
function selfLinks(req: Request, jsonType: string, html: boolean, title: string): Link[] {
  const json: Link = { href: withQuery(req, { f: null }), type: jsonType, title: `${title} (JSON)`, rel: '' };
  const page: Link = { href: withQuery(req, { f: 'html' }), type: HTML_TYPE, title: `${title} (HTML)`, rel: '' };
  return html
    ? [
        { ...page, rel: 'self' },
        { ...json, rel: 'alternate' },
      ]
    : [
        { ...json, rel: 'self' },
        { ...page, rel: 'alternate' },
      ];
}

function collectionJson(root: string, c: Collection, links: Link[] = []) {
  const base = `${root}/collections/${c.id}`;
  return {
    id: c.id,
    title: c.title,
    description: c.description,
    itemType: 'feature' as const,
    crs: [CRS84],
    extent: { spatial: { bbox: c.bbox ? [c.bbox] : [], crs: CRS84 } },
    links: [
      ...links,
      { href: `${base}/items`, rel: 'items', type: GEOJSON_TYPE, title: `${c.title} (GeoJSON)` },
      { href: `${base}/items?f=html`, rel: 'items', type: HTML_TYPE, title: `${c.title} (HTML)` },
      ...(links.length ? [] : [{ href: base, rel: 'self', type: JSON_TYPE, title: c.title }]),
    ],
  };
}

/** A property's value for one feature: columns, plus what the collection itself knows. */
function valueOf(c: Collection, row: FeatureRow, name: string): unknown {
  if (name === 'fictif') return row.fictif ?? c.fictif;
  if (name === 'source') return row.scheme_source ?? c.source;
  if (name === 'vintage') return c.vintage;
  return row[name] ?? null;
}

function propertiesOf(c: Collection, row: FeatureRow, names: string[]): Record<string, unknown> {
  return Object.fromEntries(names.map((n) => [n, valueOf(c, row, n)]));
}

/** GeoJSON Feature as text: the geometry is already GeoJSON text from the database. */
function featureText(c: Collection, row: FeatureRow, names: string[], links?: Link[]): string {
  const extra = links ? `,"links":${JSON.stringify(links)}` : '';
  return `{"type":"Feature","id":${JSON.stringify(row.code)},"geometry":${row.geometry ?? 'null'},"properties":${JSON.stringify(
    propertiesOf(c, row, names),
  )}${extra}}`;
}

/** The properties asked for (all by default); unknown names are a 400. */
function propertyNames(c: Collection, asked: string[] | undefined): string[] {
  const all = c.properties.map((p) => p.name);
  if (!asked) return all;
  const unknown = asked.filter((n) => !all.includes(n));
  if (unknown.length)
    throw badRequest(`Propriété inconnue pour la collection « ${c.id} » : ${unknown.join(', ')}. Propriétés : ${all.join(', ')}.`);
  return all.filter((n) => asked.includes(n));
}

function checkFilters(c: Collection, q: ItemsQuery): void {
  for (const name of OGC_FILTER_NAMES) {
    if (q[name] !== undefined && !c.filters.includes(name)) {
      throw badRequest(
        `Le filtre « ${name} » ne s’applique pas à la collection « ${c.id} » (filtres acceptés : ${c.filters.join(', ') || 'aucun'}).`,
      );
    }
  }
}

export function ogcRoutes(db: Db, catalogue: Catalogue): Router {
  const selections = new SelectionCache(db, () => catalogue.version());
  const router = Router();

  const collectionOf = async (req: Request): Promise<Collection> => {
    const { collectionId } = collectionParams.parse(req.params);
    const c = await catalogue.find(collectionId);
    if (!c) throw notFound(`Collection inconnue : « ${collectionId} ». Consultez /ogc/collections pour la liste des collections.`);
    return c;
  };

  router.get('/ogc', (req, res) => {
    const { f } = formatQuerySchema.parse(req.query);
    const root = rootOf(req);
    const html = wantsHtml(req, f);
    const links: Link[] = [
      ...selfLinks(req, JSON_TYPE, html, 'Cette page'),
      { href: `${root}/api`, rel: 'service-desc', type: OPENAPI_TYPE, title: 'Description OpenAPI 3.0' },
      { href: `${root}/conformance`, rel: 'conformance', type: JSON_TYPE, title: 'Classes de conformité' },
      { href: `${root}/collections`, rel: 'data', type: JSON_TYPE, title: 'Collections' },
      { href: `${root}/collections?f=html`, rel: 'data', type: HTML_TYPE, title: 'Collections (HTML)' },
    ];
    if (html) send(res, HTML_TYPE, landingHtml(root, TITLE, DESCRIPTION, links));
    else send(res, JSON_TYPE, JSON.stringify({ title: TITLE, description: DESCRIPTION, links }));
  });

  router.get('/ogc/style.css', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=3600').type('text/css').send(STYLE);
  });

  router.get('/ogc/conformance', (req, res) => {
    const { f } = formatQuerySchema.parse(req.query);
    if (wantsHtml(req, f)) send(res, HTML_TYPE, conformanceHtml(rootOf(req), CONFORMANCE));
    else send(res, JSON_TYPE, JSON.stringify({ conformsTo: CONFORMANCE }));
  });

  router.get('/ogc/api', async (req, res) => {
    formatQuerySchema.parse(req.query);
    res.set('Content-Type', OPENAPI_TYPE).send(JSON.stringify(openApiDocument(rootOf(req), await catalogue.all())));
  });

  router.get('/ogc/collections', async (req, res) => {
    const { f } = formatQuerySchema.parse(req.query);
    const root = rootOf(req);
    const collections = await catalogue.all();
    if (wantsHtml(req, f)) return send(res, HTML_TYPE, collectionsHtml(root, collections));
    send(
      res,
      JSON_TYPE,
      JSON.stringify({
        links: selfLinks(req, JSON_TYPE, false, 'Collections'),
        collections: collections.map((c) => collectionJson(root, c)),
      }),
    );
  });

  router.get('/ogc/collections/:collectionId', async (req, res) => {
    const c = await collectionOf(req);
    const { f } = formatQuerySchema.parse(req.query);
    const root = rootOf(req);
    if (wantsHtml(req, f)) return send(res, HTML_TYPE, collectionHtml(root, c));
    send(res, JSON_TYPE, JSON.stringify(collectionJson(root, c, selfLinks(req, JSON_TYPE, false, c.title))));
  });

  router.get('/ogc/collections/:collectionId/items', async (req, res) => {
    const c = await collectionOf(req);
    const q = itemsQuerySchema.parse(req.query);
    checkFilters(c, q);
    const names = propertyNames(c, q.properties);
    const tolerance = toleranceFor(q.bbox);
    const selection = {
      layer: c.layer,
      schemeType: c.schemeType,
      bbox: q.bbox ?? null,
      filters: {
        departement: q.departement,
        region: q.region,
        epci: q.epci,
        arrondissement: q.arrondissement,
        type: q.type,
        status: q.status,
      },
    };
    const codes = await selections.codes(selection);
    const matched = codes.length;
    const rows = await featuresByCode(db, c.layer, codes.slice(q.offset, q.offset + q.limit), tolerance);
    const html = wantsHtml(req, q.f);
    const root = rootOf(req);
    const format = html ? 'html' : null;
    const links: Link[] = [
      ...selfLinks(req, GEOJSON_TYPE, html, 'Cette page'),
      { href: `${root}/collections/${c.id}`, rel: 'collection', type: JSON_TYPE, title: c.title },
    ];
    if (q.offset + rows.length < matched) {
      const href = withQuery(req, { offset: String(q.offset + q.limit), limit: String(q.limit), f: format });
      links.push({ href, rel: 'next', type: html ? HTML_TYPE : GEOJSON_TYPE, title: 'Page suivante' });
    }
    if (q.offset > 0) {
      const href = withQuery(req, { offset: String(Math.max(0, q.offset - q.limit)), limit: String(q.limit), f: format });
      links.push({ href, rel: 'prev', type: html ? HTML_TYPE : GEOJSON_TYPE, title: 'Page précédente' });
    }
    const note = tolerance > 0 ? simplificationNote(tolerance) : null;
    if (html) {
      const features: HtmlFeature[] = rows.map((r) => ({ id: r.code, properties: propertiesOf(c, r, names) }));
      return send(res, HTML_TYPE, itemsHtml(root, c, features, { matched, offset: q.offset }, links, note));
    }
    const head = {
      type: 'FeatureCollection',
      numberMatched: matched,
      numberReturned: rows.length,
      timeStamp: new Date().toISOString(),
      ...(note ? { simplification: { toleranceDegrees: tolerance, note } } : {}),
      links,
    };
    // features last, written as text: a 10,000-feature page is not parsed and reserialised
    const text = JSON.stringify(head).slice(0, -1) + `,"features":[${rows.map((r) => featureText(c, r, names)).join(',')}]}`;
    send(res, GEOJSON_TYPE, text);
  });

  router.get('/ogc/collections/:collectionId/items/:featureId', async (req, res) => {
    const c = await collectionOf(req);
    const { featureId } = itemParams.parse(req.params);
    const { f, properties } = itemQuerySchema.parse(req.query);
    const names = propertyNames(c, properties);
    const code = c.layer === 'commune' ? featureId.toUpperCase() : featureId;
    const row = await findFeature(db, c.layer, c.schemeType, code);
    if (!row) throw notFound(`Aucun objet « ${featureId} » dans la collection « ${c.id} ».`);
    const root = rootOf(req);
    if (wantsHtml(req, f)) {
      return send(res, HTML_TYPE, itemHtml(root, c, { id: row.code, properties: propertiesOf(c, row, names) }, row.geometry !== null));
    }
    const links: Link[] = [
      ...selfLinks(req, GEOJSON_TYPE, false, row.code),
      { href: `${root}/collections/${c.id}`, rel: 'collection', type: JSON_TYPE, title: c.title },
    ];
    send(res, GEOJSON_TYPE, featureText(c, row, names, links));
  });

  router.use('/ogc', unknownRoute);
  return router;
}
