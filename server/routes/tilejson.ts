// GET /tiles/{layer}.json and /tiles/{a,b}.json: TileJSON 3.0 for every tile source and
// composite, so that MapLibre, QGIS or any vector tile client learns from one URL where
// the tiles are, their zooms, their extent, the layers a tile holds and their fields.
// The fields listed are the ones server/tiles/layer-index.ts writes: shapes carry code
// (plus type and fictif where the layer has them), label points add name, population and
// minzoom. A scheme type (cls) names the scheme layer, as in tile URLs.
//
// Mounted apart from the tile endpoint: tile requests never reach this router (the fast
// lane answers them before Express) and this one never looks at a .mvt path.
import { Router } from 'express';
import { z } from 'zod';
import { tileSourceParamsSchema, type TileJson } from '../../contract/ogc.ts';
import { badRequest, notFound } from '../errors.ts';
import { escapeHtml } from '../ogc/html.ts';
import type { Catalogue, Collection } from '../ogc/catalogue.ts';
import { MAX_ZOOM } from '../tiles/store.ts';

const TILEJSON_PATH = /^\/tiles\/([^/]+)\.json$/;
/** Web Mercator stops at this latitude. */
const MAX_LAT = 85.0511;
const WORLD: [number, number, number, number] = [-180, -MAX_LAT, 180, MAX_LAT];

const querySchema = z.strictObject(
  {
    v: z
      .string()
      .regex(/^[\w.-]{1,64}$/, { error: 'version invalide (lettres, chiffres, points, tirets)' })
      .optional(),
  },
  { error: (iss) => (iss.code === 'unrecognized_keys' ? `paramètre inconnu : ${iss.keys.join(', ')} (seul v est accepté)` : undefined) },
);

/** Layers whose units may come from an outline (PETR 2016–2019, PNR ≈ 2020), not a list. */
const APPROXIMATE_LAYERS = new Set(['petr', 'pnr']);

function fieldsOf(c: Collection, labels: boolean): Record<string, string> {
  const fields: Record<string, string> = { code: 'String' };
  if (labels) fields.name = 'String';
  if (c.hasType) fields.type = 'String';
  if (c.hasFictif) fields.fictif = 'Boolean';
  // perimeters derived from an outline say so on their label (server/tiles/layer-index.ts)
  if (labels && APPROXIMATE_LAYERS.has(c.layer)) fields.approche = 'String';
  if (labels) Object.assign(fields, { population: 'Number', minzoom: 'Number' });
  return fields;
}

function union(boxes: [number, number, number, number][]): [number, number, number, number] {
  if (!boxes.length) return WORLD;
  const clampLat = (v: number) => Math.max(-MAX_LAT, Math.min(MAX_LAT, v));
  return [
    Math.min(...boxes.map((b) => b[0])),
    clampLat(Math.min(...boxes.map((b) => b[1]))),
    Math.max(...boxes.map((b) => b[2])),
    clampLat(Math.max(...boxes.map((b) => b[3]))),
  ];
}

/** A zoom at which the bounds fill a 512-pixel view. */
function zoomToFit([minx, miny, maxx, maxy]: [number, number, number, number]): number {
  const span = Math.max(maxx - minx, (maxy - miny) * 1.5, 1e-6);
  return Math.max(0, Math.min(MAX_ZOOM, Math.floor(Math.log2(360 / span)) + 1));
}

export function tileJson(origin: string, ids: string[], layers: Collection[], version: string | undefined): TileJson {
  const path = ids.length > 1 ? encodeURIComponent(`{${ids.join(',')}}`) : ids[0]!;
  const bounds = union(layers.flatMap((c) => (c.bbox ? [c.bbox] : [])));
  const round = (v: number) => Math.round(v * 1e5) / 1e5;
  const attribution = [...new Set(layers.map((c) => `${c.source} (${c.licence})${c.fictif ? ' — exemples fictifs' : ''}`))].join(' ; ');
  return {
    tilejson: '3.0.0',
    name: `Millefeuille — ${layers.map((c) => c.title).join(' + ')}`,
    description: `Tuiles vectorielles de l’atlas Millefeuille : ${layers.map((c) => `${c.title} (${c.vintage})`).join(' ; ')}.`,
    tiles: [`${origin}/tiles/${path}/{z}/{x}/{y}.mvt${version ? `?v=${version}` : ''}`],
    minzoom: 0,
    maxzoom: MAX_ZOOM,
    bounds: bounds.map(round) as [number, number, number, number],
    center: [round((bounds[0] + bounds[2]) / 2), round((bounds[1] + bounds[3]) / 2), zoomToFit(bounds)],
    attribution: escapeHtml(attribution),
    scheme: 'xyz',
    vector_layers: layers.flatMap((c) => [
      { id: c.layer, description: `${c.title} : contours`, minzoom: 0, maxzoom: MAX_ZOOM, fields: fieldsOf(c, false) },
      {
        id: `${c.layer}-label`,
        description: `${c.title} : points d’étiquette (selon la population aux petits zooms)`,
        minzoom: 0,
        maxzoom: MAX_ZOOM,
        fields: fieldsOf(c, true),
      },
    ]),
  };
}

export function tileJsonRoutes(catalogue: Catalogue): Router {
  const router = Router();
  router.get(TILEJSON_PATH, async (req, res) => {
    let raw: string;
    try {
      raw = decodeURIComponent(TILEJSON_PATH.exec(req.path)![1]!);
    } catch {
      throw badRequest('Liste de couches mal encodée.');
    }
    const { layers: param } = tileSourceParamsSchema.parse({ layers: raw });
    const { v } = querySchema.parse(req.query);
    const ids = param.replace(/[{}]/g, '').split(',');
    if (ids.length > 12) throw badRequest('Au plus 12 couches par source.');
    const collections = await catalogue.all();
    const layers: Collection[] = [];
    for (const id of ids) {
      const c = collections.find((x) => x.id === id);
      if (!c) throw notFound(`Couche inconnue : « ${id} ». Choisissez une couche de la liste des couches de l’atlas.`);
      // a scheme type names the scheme layer: its tiles hold every scheme
      const layer = collections.find((x) => x.id === c.layer)!;
      if (!layers.includes(layer)) layers.push(layer);
    }
    res
      .set('Cache-Control', 'no-cache')
      .type('application/json')
      .send(JSON.stringify(tileJson(`${req.protocol}://${req.get('host')}`, ids, layers, v)));
  });
  return router;
}
