// The whole view in the URL fragment, and back: centre and zoom, active layers, their
// opacity when changed, the selected territory. Pure (no DOM), so it is unit-tested.
//   #map=6.2/46.5/2.4&layers=epci,cls&opacity=epci:0.5&sel=epci:200070407

export interface MapView {
  zoom: number;
  lat: number;
  lon: number;
}

export interface TerritoryRef {
  layer: string;
  code: string;
}

export interface Permalink {
  /** null: not in the URL (use the start view). */
  view: MapView | null;
  /** null: not in the URL (use the default layers); [] means "no layer". */
  layers: string[] | null;
  /** Opacity (0..1) of the layers whose opacity differs from the default. */
  opacity: Record<string, number>;
  selection: TerritoryRef | null;
}

const LAYER_ID = /^[a-z][a-z0-9-]{0,39}$/;
const CODE = /^[0-9A-Za-z][0-9A-Za-z._-]{0,63}$/;

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Enough decimals to place the centre within a pixel at this zoom, no more
 *  (a 512 px world at zoom 0: a pixel spans 360 / (512 × 2^zoom) degrees). */
function coordDigits(zoom: number): number {
  return Math.max(2, Math.min(6, Math.ceil(zoom * Math.log10(2) + Math.log10(512 / 360))));
}

export function encodePermalink(p: Permalink): string {
  const parts: string[] = [];
  if (p.view) {
    const d = coordDigits(p.view.zoom);
    parts.push(`map=${round(p.view.zoom, 2)}/${round(p.view.lat, d)}/${round(p.view.lon, d)}`);
  }
  if (p.layers) parts.push(`layers=${p.layers.join(',')}`);
  const op = Object.entries(p.opacity)
    .filter(([id]) => !p.layers || p.layers.includes(id))
    .map(([id, v]) => `${id}:${round(v, 2)}`);
  if (op.length) parts.push(`opacity=${op.join(',')}`);
  if (p.selection) parts.push(`sel=${p.selection.layer}:${encodeURIComponent(p.selection.code)}`);
  return parts.join('&');
}

function parseView(value: string): MapView | null {
  const [z, lat, lon, ...rest] = value.split('/').map(Number);
  if (rest.length || z === undefined || lat === undefined || lon === undefined) return null;
  if (![z, lat, lon].every(Number.isFinite)) return null;
  if (z < 0 || z > 24 || Math.abs(lat) > 85.06 || Math.abs(lon) > 180) return null;
  return { zoom: z, lat, lon };
}

function parseLayers(value: string): string[] {
  const ids = value.split(',').filter((id) => LAYER_ID.test(id));
  return [...new Set(ids)];
}

function parseOpacity(value: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of value.split(',')) {
    const [id, raw] = item.split(':');
    const v = Number(raw);
    if (id && LAYER_ID.test(id) && raw !== undefined && raw !== '' && Number.isFinite(v) && v >= 0 && v <= 1) out[id] = v;
  }
  return out;
}

function parseSelection(value: string): TerritoryRef | null {
  const i = value.indexOf(':');
  if (i <= 0) return null;
  const layer = value.slice(0, i);
  let code: string;
  try {
    code = decodeURIComponent(value.slice(i + 1));
  } catch {
    return null;
  }
  return LAYER_ID.test(layer) && CODE.test(code) ? { layer, code } : null;
}

/** Reads a fragment (with or without '#'); anything malformed is ignored, never thrown. */
export function decodePermalink(hash: string): Permalink {
  const out: Permalink = { view: null, layers: null, opacity: {}, selection: null };
  for (const part of hash.replace(/^#/, '').split('&')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq);
    const value = part.slice(eq + 1);
    if (key === 'map') out.view = parseView(value);
    else if (key === 'layers') out.layers = parseLayers(value);
    else if (key === 'opacity') out.opacity = parseOpacity(value);
    else if (key === 'sel') out.selection = parseSelection(value);
  }
  return out;
}

export function sameSelection(a: TerritoryRef | null, b: TerritoryRef | null): boolean {
  return a === b || (!!a && !!b && a.layer === b.layer && a.code === b.code);
}
