// The MapLibre style, built from the layer entries: our own tiles only, no glyphs URL
// (labels are drawn locally by TinySDF from system fonts), no sprite. Under our layers, a
// light reference drawn at every zoom: neighbouring countries (Natural Earth, a bundled
// asset, see worldLand.ts), régions and départements from our tiles, then commune borders
// and place names. Every entry has all its map layers from the start, hidden when
// inactive: a source whose layers are all hidden loads no tile, so toggling is cheap and
// the drawing order never changes.
// Length: every map layer of every entry and the reference layers in one builder, so the drawing order reads top to bottom.
import type {
  DataDrivenPropertyValueSpecification,
  LineLayerSpecification,
  Map as MlMap,
  ExpressionSpecification,
  FilterSpecification,
  LayerSpecification,
  SourceSpecification,
  StyleSpecification,
} from 'maplibre-gl';
import type { MapHighlight } from './highlight.ts';
import type { LayerEntry } from './layers.ts';
import { COMMUNE_MINZOOM, PLACE_NAMES_MINZOOM } from './layers.ts';
import { hatchImageId } from './patterns.ts';
import { tileEndpoint } from './tileSources.ts';

export const SEA = '#d5e3ec';
export const LAND = '#f7f5f0';
/** Land outside France: greyer than French land, clearly not sea. */
export const FOREIGN_LAND = '#e8e3d6';
const FOREIGN_BORDER = '#b9b2a4';
const REF_COMMUNE = '#ddd6c9';
const REF_LABEL = '#5f5a52';
/** GeoJSON source of the countries of the world, filled once the bundled asset is read. */
export const WORLD_SOURCE = 'world';
const BASE_DEPARTEMENT = '#c9c2b4';
const BASE_REGION = '#a19a8c';
export const BASE_SOURCE = 'base';
/** Invisible commune fill, so a click anywhere can fall back on the commune under it. */
export const COMMUNE_HIT = 'commune-hit';
export const DEPARTEMENT_HIT = 'base-departement-hit';
const FONT_REGULAR = ['Noto Sans Regular', 'DejaVu Sans Book', 'Arial Regular'];
const FONT_BOLD = ['Noto Sans Bold', 'DejaVu Sans Bold', 'Arial Bold'];

/** Status of a scheme, set as feature-state from /api/schemes: drives its fill strength. */
const STATUS_FACTOR: ExpressionSpecification = [
  'match',
  ['coalesce', ['feature-state', 'status'], 'inconnu'],
  'en_cours',
  1,
  'en_elaboration',
  0.5,
  'termine',
  0.22,
  0.7,
];

/** The tile source of each API layer: régions and départements share the base source. */
export function sourceOf(layer: string): string {
  return layer === 'region' || layer === 'departement' ? BASE_SOURCE : layer;
}

/** Live tiles from this server, or static PMTiles archives under `tilesUrl` (see tileSources.ts). */
function endpoint(source: string, layers: string[], tilesUrl: string | null) {
  return tileEndpoint(source, layers, { origin: location.origin, tilesUrl });
}

export function buildSources(entries: LayerEntry[], tilesUrl: string | null = null): Record<string, SourceSpecification> {
  const sources: Record<string, SourceSpecification> = {
    [WORLD_SOURCE]: { type: 'geojson', data: { type: 'FeatureCollection', features: [] } },
    [BASE_SOURCE]: { type: 'vector', ...endpoint(BASE_SOURCE, ['region', 'departement'], tilesUrl) },
  };
  for (const layer of new Set(entries.map((e) => e.layer))) {
    if (sourceOf(layer) !== layer) continue;
    sources[layer] = {
      type: 'vector',
      ...endpoint(layer, [layer], tilesUrl),
      // from PLACE_NAMES_MINZOOM for the place names of the reference, shapes drawn from COMMUNE_MINZOOM
      ...(layer === 'commune' ? { minzoom: PLACE_NAMES_MINZOOM } : {}),
      ...(layer === 'scheme' ? { promoteId: 'code' } : {}),
    };
  }
  return sources;
}

function typeFilter(e: LayerEntry): FilterSpecification | undefined {
  return e.schemeType ? ['==', ['get', 'type'], e.schemeType] : undefined;
}

/** Outline width grows with zoom around the look's width at zoom 8. */
function widthByZoom(w: number): ExpressionSpecification {
  return ['interpolate', ['linear'], ['zoom'], 4, Math.max(0.4, w * 0.55), 8, w, 12, w * 1.35];
}

/** Inward shift by zoom, in step with the widths, so that lanes never overlap. */
function offsetByZoom(offset: number): ExpressionSpecification {
  return ['interpolate', ['linear'], ['zoom'], 4, offset * 0.55 + 0.2, 8, offset, 12, offset * 1.35];
}

function common(e: LayerEntry, kind: string, visible: boolean) {
  return {
    id: `${e.id}:${kind}`,
    source: sourceOf(e.layer),
    'source-layer': e.layer,
    minzoom: e.look.minzoom,
    metadata: { entry: e.id },
    ...(typeFilter(e) ? { filter: typeFilter(e) } : {}),
    layout: { visibility: visible ? ('visible' as const) : ('none' as const) },
  };
}

function scaled(base: number, opacity: number, isScheme: boolean): DataDrivenPropertyValueSpecification<number> {
  return isScheme ? ['*', base * opacity, STATUS_FACTOR] : base * opacity;
}

/** Fill layers (translucent fill, then hatching): also what a click hits, so always present.
 *  With `outlinesOnly` (dense overlays) they stay but are not painted. */
export function fillLayers(e: LayerEntry, opacity: number, visible: boolean, outlinesOnly = false): LayerSpecification[] {
  const isScheme = e.schemeType !== null;
  if (outlinesOnly) opacity = 0;
  const out: LayerSpecification[] = [
    {
      ...common(e, 'fill', visible),
      type: 'fill',
      paint: { 'fill-color': e.look.color, 'fill-opacity': scaled(e.look.fill, opacity, isScheme) },
    },
  ];
  if (e.look.hatch) {
    out.push({
      ...common(e, 'hatch', visible),
      type: 'fill',
      paint: { 'fill-pattern': hatchImageId(e.id), 'fill-opacity': scaled(0.75, opacity, isScheme) },
    });
  }
  return out;
}

export function lineLayers(e: LayerEntry, opacity: number, visible: boolean): LayerSpecification[] {
  const out: LayerSpecification[] = [];
  if (e.look.casing) {
    out.push({
      ...common(e, 'casing', visible),
      type: 'line',
      layout: { ...common(e, 'casing', visible).layout, 'line-join': 'round' },
      // narrow enough to leave the first inner lane (LANE) to the layers drawn under it
      paint: { 'line-color': '#ffffff', 'line-width': widthByZoom(e.look.width + 1.2), 'line-opacity': 0.85 * opacity },
    });
  }
  const status = e.schemeType !== null;
  out.push({
    ...common(e, 'line', visible),
    type: 'line',
    layout: { ...common(e, 'line', visible).layout, 'line-join': 'round', 'line-cap': e.look.dash ? 'butt' : 'round' },
    paint: {
      'line-color': e.look.color,
      'line-width': widthByZoom(e.look.width),
      'line-opacity': status ? ['*', opacity, ['max', 0.45, STATUS_FACTOR]] : opacity,
      ...(e.look.dash ? { 'line-dasharray': e.look.dash } : {}),
      ...(e.look.offset ? { 'line-offset': offsetByZoom(e.look.offset) } : {}),
    },
  });
  return out;
}

/** A unit's name, after its layer's tag unless the name already says it ("CLS · Figeac"),
 *  with the tag or one of `words` (upper case). */
export function labelText(tag: string | undefined, words: string[] = []): ExpressionSpecification {
  const name: ExpressionSpecification = ['to-string', ['get', 'name']];
  if (!tag) return ['get', 'name'];
  const says: ExpressionSpecification = [
    'any',
    ...[tag.toUpperCase(), ...words].map((w) => ['in', w, ['upcase', name]] as ExpressionSpecification),
  ];
  return ['case', says, name, ['concat', tag, ' · ', name]];
}

export function labelLayer(e: LayerEntry, opacity: number, visible: boolean): LayerSpecification {
  const c = common(e, 'label', visible);
  const s = e.look.labelSize;
  return {
    ...c,
    type: 'symbol',
    'source-layer': `${e.layer}-label`,
    minzoom: Math.max(e.look.minzoom, e.look.labelMinzoom),
    maxzoom: e.look.labelMaxzoom,
    layout: {
      ...c.layout,
      'text-field': labelText(e.look.tag, e.look.tagWords),
      'text-font': e.look.bold ? FONT_BOLD : FONT_REGULAR,
      'text-size': ['interpolate', ['linear'], ['zoom'], 5, s * 0.85, 10, s * 1.1, 14, s * 1.3],
      'text-max-width': 9,
      'text-padding': 4,
      'text-letter-spacing': e.look.uppercase ? 0.06 : 0.01,
      'text-transform': e.look.uppercase ? 'uppercase' : 'none',
      // the most populous first when labels collide
      'symbol-sort-key': ['-', 0, ['coalesce', ['get', 'population'], 0]],
    },
    paint: {
      'text-color': e.look.labelColor,
      'text-halo-color': 'rgba(255,255,255,0.92)',
      'text-halo-width': 1.6,
      'text-halo-blur': 0.3,
      'text-opacity': opacity,
    },
  };
}

/** Low-zoom dots, so that small perimeters stay visible on the whole country. */
export function dotLayers(e: LayerEntry, opacity: number, visible: boolean): LayerSpecification[] {
  if (!e.look.dotMaxzoom) return [];
  const c = common(e, 'dot', visible);
  return [
    {
      ...c,
      type: 'circle',
      'source-layer': `${e.layer}-label`,
      maxzoom: e.look.dotMaxzoom,
      paint: {
        'circle-color': e.look.color,
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 4, 4.5, 7, 6.5],
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 1.5,
        'circle-opacity': e.schemeType ? ['*', opacity, ['max', 0.45, STATUS_FACTOR]] : opacity,
        'circle-stroke-opacity': opacity,
      },
    },
  ];
}

/** Every map layer of an entry, with its opacity applied; for later opacity updates too. */
export function entryLayers(e: LayerEntry, opacity: number, visible: boolean, outlinesOnly = false): LayerSpecification[] {
  return [
    ...fillLayers(e, opacity, visible, outlinesOnly),
    ...lineLayers(e, opacity, visible),
    ...dotLayers(e, opacity, visible),
    labelLayer(e, opacity, visible),
  ];
}

/** Background: sea, other countries, land from the régions, faint commune borders. */
function baseLayers(hasCommunes: boolean): LayerSpecification[] {
  return [
    { id: 'background', type: 'background', paint: { 'background-color': SEA } },
    { id: 'world-land', type: 'fill', source: WORLD_SOURCE, paint: { 'fill-color': FOREIGN_LAND } },
    {
      id: 'world-border',
      type: 'line',
      source: WORLD_SOURCE,
      paint: { 'line-color': FOREIGN_BORDER, 'line-width': ['interpolate', ['linear'], ['zoom'], 3, 0.4, 10, 1] },
    },
    { id: 'base-land', type: 'fill', source: BASE_SOURCE, 'source-layer': 'region', paint: { 'fill-color': LAND } },
    ...(hasCommunes
      ? [
          {
            id: 'ref-commune-line',
            type: 'line',
            source: 'commune',
            'source-layer': 'commune',
            minzoom: COMMUNE_MINZOOM,
            paint: { 'line-color': REF_COMMUNE, 'line-width': ['interpolate', ['linear'], ['zoom'], 8, 0.4, 12, 1] },
          } satisfies LayerSpecification,
        ]
      : []),
    {
      id: DEPARTEMENT_HIT,
      type: 'fill',
      source: BASE_SOURCE,
      'source-layer': 'departement',
      paint: { 'fill-color': LAND, 'fill-opacity': 0 },
    },
  ];
}

/** Place names of the reference, under every layer's labels: département names, then
 *  commune names, the most populous first (the tiles hold more communes as one zooms). */
function referenceLabels(hasCommunes: boolean): LayerSpecification[] {
  const paint = { 'text-color': REF_LABEL, 'text-halo-color': 'rgba(255,255,255,0.85)', 'text-halo-width': 1.4 };
  const out: LayerSpecification[] = [
    {
      id: 'ref-departement-label',
      type: 'symbol',
      source: BASE_SOURCE,
      'source-layer': 'departement-label',
      minzoom: 5.5,
      maxzoom: PLACE_NAMES_MINZOOM + 0.5,
      layout: {
        'text-field': ['get', 'name'],
        'text-font': FONT_REGULAR,
        'text-size': 11,
        'text-max-width': 8,
        'text-letter-spacing': 0.04,
        'text-transform': 'uppercase',
        'text-padding': 6,
      },
      paint,
    },
  ];
  if (hasCommunes) {
    out.push({
      id: 'ref-place-label',
      type: 'symbol',
      source: 'commune',
      'source-layer': 'commune-label',
      minzoom: PLACE_NAMES_MINZOOM,
      layout: {
        'text-field': ['get', 'name'],
        'text-font': FONT_REGULAR,
        'text-size': ['interpolate', ['linear'], ['coalesce', ['get', 'population'], 0], 2000, 10.5, 30000, 12, 200000, 13.5],
        'text-max-width': 8,
        'text-padding': 3,
        'symbol-sort-key': ['-', 0, ['coalesce', ['get', 'population'], 0]],
      },
      paint,
    });
  }
  return out;
}

function baseLines(): LayerSpecification[] {
  return [
    {
      id: 'base-departement-line',
      type: 'line',
      source: BASE_SOURCE,
      'source-layer': 'departement',
      paint: { 'line-color': BASE_DEPARTEMENT, 'line-width': ['interpolate', ['linear'], ['zoom'], 4, 0.5, 10, 1.2] },
    },
    {
      id: 'base-region-line',
      type: 'line',
      source: BASE_SOURCE,
      'source-layer': 'region',
      paint: { 'line-color': BASE_REGION, 'line-width': ['interpolate', ['linear'], ['zoom'], 4, 0.9, 10, 2] },
    },
  ];
}

/** Our layers in drawing order: fills by specificity, outlines, then labels by priority. */
export function overlayLayers(
  entries: LayerEntry[],
  active: string[],
  opacity: Record<string, number>,
  outlinesOnly = false,
): LayerSpecification[] {
  const op = (e: LayerEntry) => opacity[e.id] ?? 1;
  const on = (e: LayerEntry) => active.includes(e.id);
  const byRank = [...entries].sort((a, b) => a.look.rank - b.look.rank);
  const byLine = [...entries].sort((a, b) => a.look.lineOrder - b.look.lineOrder);
  // MapLibre places the labels of the topmost layer first: highest priority last
  const byLabel = [...entries].sort((a, b) => a.look.labelOrder - b.look.labelOrder);
  const hasCommunes = entries.some((e) => e.layer === 'commune');
  return [
    ...(hasCommunes
      ? [
          {
            id: COMMUNE_HIT,
            type: 'fill',
            source: 'commune',
            'source-layer': 'commune',
            minzoom: COMMUNE_MINZOOM,
            paint: { 'fill-color': LAND, 'fill-opacity': 0 },
          } satisfies LayerSpecification,
        ]
      : []),
    ...byRank.flatMap((e) => fillLayers(e, op(e), on(e), outlinesOnly)),
    ...baseLines(),
    ...byLine.flatMap((e) => lineLayers(e, op(e), on(e))),
    ...byRank.flatMap((e) => dotLayers(e, op(e), on(e))),
    ...referenceLabels(hasCommunes),
    ...byLabel.map((e) => labelLayer(e, op(e), on(e))),
  ];
}

export function buildStyle(
  entries: LayerEntry[],
  active: string[],
  opacity: Record<string, number>,
  tilesUrl: string | null = null,
  outlinesOnly = false,
): StyleSpecification {
  return {
    version: 8,
    name: 'Millefeuille',
    // no "glyphs" and no "sprite": nothing is fetched but our tiles
    sources: buildSources(entries, tilesUrl),
    layers: [...baseLayers(entries.some((e) => e.layer === 'commune')), ...overlayLayers(entries, active, opacity, outlinesOnly)],
  };
}

/** The first label layer: the selection outline goes just under the labels. */
export function firstLabelLayerId(entries: LayerEntry[]): string | undefined {
  const first = [...entries].sort((a, b) => a.look.labelOrder - b.look.labelOrder)[0];
  return first ? `${first.id}:label` : undefined;
}

type PaintName = Parameters<MlMap['setPaintProperty']>[1];
type PaintValue = Parameters<MlMap['setPaintProperty']>[2];

/** The opacity paint properties of an entry's layers at this opacity, to apply in place. */
export function opacityUpdates(
  e: LayerEntry,
  opacity: number,
  outlinesOnly = false,
): { layer: string; name: PaintName; value: PaintValue }[] {
  const out: { layer: string; name: PaintName; value: PaintValue }[] = [];
  for (const l of entryLayers(e, opacity, true, outlinesOnly)) {
    if (!('paint' in l) || !l.paint) continue;
    for (const [name, value] of Object.entries(l.paint)) {
      if (name.endsWith('-opacity')) out.push({ layer: l.id, name: name as PaintName, value: value as PaintValue });
    }
  }
  return out;
}

export const SELECTION_LAYERS = ['selection:casing', 'selection:line'];

/** A white-cased black outline around the selected unit. */
export function selectionLayers(layer: string, code: string): LineLayerSpecification[] {
  const common = {
    source: sourceOf(layer),
    'source-layer': layer,
    filter: ['==', ['to-string', ['get', 'code']], code] as FilterSpecification,
    layout: { 'line-join': 'round' as const },
  };
  return [
    { ...common, id: SELECTION_LAYERS[0]!, type: 'line', paint: { 'line-color': '#ffffff', 'line-width': 7, 'line-opacity': 0.9 } },
    { ...common, id: SELECTION_LAYERS[1]!, type: 'line', paint: { 'line-color': '#000000', 'line-width': 3.2 } },
  ];
}

// ─── Analysis highlight ──────────────────────────────────────────────────────────
// Communes coloured by class through feature-state on their own commune source (the
// same tiles as the commune layer, keyed by code), and units of any layer drawn by code.

export const HIGHLIGHT_SOURCE = 'highlight-commune';
export const HIGHLIGHT_SOURCE_LAYER = 'commune';
/** Below this zoom, commune tiles keep only the largest communes: no class fill. */
export const HIGHLIGHT_MINZOOM = 5;
export const HIGHLIGHT_PREFIX = 'hl:';

export function highlightSource(tilesUrl: string | null = null): SourceSpecification {
  return { type: 'vector', ...endpoint('commune', ['commune'], tilesUrl), minzoom: HIGHLIGHT_MINZOOM, promoteId: 'code' };
}

const CLASS: ExpressionSpecification = ['coalesce', ['feature-state', 'cls'], -1];
const CODE: ExpressionSpecification = ['to-string', ['get', 'code']];

function byClass<T extends string | number>(values: T[], otherwise: T): ExpressionSpecification {
  return ['match', CLASS, ...values.flatMap((v, i) => [i, v]), otherwise] as unknown as ExpressionSpecification;
}

function byCode(colors: Record<string, string>): string | ExpressionSpecification {
  const pairs = Object.entries(colors);
  if (pairs.length === 1) return pairs[0]![1];
  return ['match', CODE, ...pairs.flatMap(([code, color]) => [code, color]), '#000000'] as unknown as ExpressionSpecification;
}

/** The id of a highlight layer: "hl:commune-fill@3". Each highlight drawn gets new ids
 *  (`generation`): a layer removed and added again under the same id in one frame keeps
 *  the tiles' buffers built for its previous paint, and MapLibre then throws
 *  "this.expression.evaluate is not a function" when a feature state reaches them. */
export function highlightId(name: string, generation: number): string {
  return `${HIGHLIGHT_PREFIX}${name}@${generation}`;
}

/** Fills go under the outlines of the base and the layers; lines just under the labels. */
export function highlightLayers(h: MapHighlight, generation = 0): { fills: LayerSpecification[]; lines: LayerSpecification[] } {
  const fills: LayerSpecification[] = [];
  const lines: LayerSpecification[] = [];
  const id = (name: string) => highlightId(name, generation);
  if (h.classes.length) {
    const common = { source: HIGHLIGHT_SOURCE, 'source-layer': HIGHLIGHT_SOURCE_LAYER, minzoom: HIGHLIGHT_MINZOOM };
    fills.push({
      ...common,
      id: id('commune-fill'),
      type: 'fill',
      paint: {
        'fill-color': byClass(
          h.classes.map((c) => c.color),
          'rgba(0,0,0,0)',
        ),
        'fill-opacity': byClass(
          h.classes.map((c) => c.opacity),
          0,
        ),
      },
    });
    fills.push({
      ...common,
      id: id('commune-line'),
      type: 'line',
      paint: {
        'line-color': '#ffffff',
        'line-width': ['interpolate', ['linear'], ['zoom'], 6, 0.2, 10, 0.8],
        'line-opacity': ['case', ['>=', CLASS, 0], 0.9, 0],
      },
    });
  }
  h.areas.forEach((a, i) => {
    const codes = Object.keys(a.colors);
    if (!codes.length) return;
    const common = {
      source: sourceOf(a.layer),
      'source-layer': a.layer,
      filter: ['in', CODE, ['literal', codes]] as FilterSpecification,
    };
    if (a.fillOpacity > 0) {
      (a.onTop ? lines : fills).push({
        ...common,
        id: id(`area-${i}-fill`),
        type: 'fill',
        paint: { 'fill-color': a.fillColor ?? byCode(a.colors), 'fill-opacity': a.fillOpacity },
      });
    }
    lines.push({
      ...common,
      id: id(`area-${i}-casing`),
      type: 'line',
      layout: { 'line-join': 'round' },
      paint: { 'line-color': '#ffffff', 'line-width': a.width + 3, 'line-opacity': 0.85 },
    });
    lines.push({
      ...common,
      id: id(`area-${i}-line`),
      type: 'line',
      layout: { 'line-join': 'round' },
      paint: { 'line-color': byCode(a.colors), 'line-width': a.width, ...(a.dash ? { 'line-dasharray': a.dash } : {}) },
    });
  });
  return { fills, lines };
}

/** Where the highlight fills go: above every layer's fill, under the first outline. */
export const HIGHLIGHT_FILL_BEFORE = 'base-departement-line';
