// The whole view in the URL fragment, and back: centre and zoom, active layers, their
// opacity when changed, the analysis shown with its parameters, the selected territory.
// Pure (no DOM), so it is unit-tested.
//   #map=6.2/46.5/2.4&layers=epci,cls&opacity=epci:0.5&sel=epci:200070407
//   #…&view=compare&p=scheme:cls-grand-quercy,petr:PETR-GRAND-QUERCY
//   #…&view=compare&p=scheme:cls-agglo-pays-issoire%403,scheme:cls-agglo-pays-issoire  (a past version)
//   #…&view=gaps&layer=cls&within=departement:46     (within=france: the whole country)
//   #…&view=load&s=cls-grand-quercy,cls-agglo-pays-issoire
//   #…&view=entanglement&sel=scheme:cls-grand-quercy
//   #…&view=panorama&within=region:76&fictif=1   (within=france by default)

import { MAX_COMPARED, MAX_LOAD_SCHEMES } from '../../../contract/domain.ts';

export interface MapView {
  zoom: number;
  lat: number;
  lon: number;
}

export interface TerritoryRef {
  layer: string;
  code: string;
}

/** An analysis view and its parameters (the entanglement view is of the selection). */
export type Analysis =
  | { kind: 'compare'; perimeters: TerritoryRef[] }
  | { kind: 'entanglement' }
  | { kind: 'gaps'; layer: string | null; within: TerritoryRef | 'france' | null }
  | { kind: 'load'; schemes: string[] }
  | { kind: 'panorama'; within: string; fictif: boolean };

export type AnalysisKind = Analysis['kind'];

export { MAX_COMPARED, MAX_LOAD_SCHEMES };

export interface Permalink {
  /** null: not in the URL (use the start view). */
  view: MapView | null;
  /** null: not in the URL (use the default layers); [] means "no layer". */
  layers: string[] | null;
  /** Opacity (0..1) of the layers whose opacity differs from the default. */
  opacity: Record<string, number>;
  /** null: the plain map (with the selection's sheet, if any). */
  analysis: Analysis | null;
  selection: TerritoryRef | null;
}

const LAYER_ID = /^[a-z][a-z0-9-]{0,39}$/;
const PANORAMA_ZONE = /^(france|region:[0-9]{2}|departement:[0-9AB]{2,3})$/;
const CODE = /^[0-9A-Za-z][0-9A-Za-z._-]{0,63}$/;
/** A compared perimeter may be a past version of a scheme: scheme:code@3. */
const VERSIONED_CODE = /^[0-9A-Za-z][0-9A-Za-z._-]{0,63}(@[1-9][0-9]{0,5})?$/;

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
  if (p.analysis) parts.push(...encodeAnalysis(p.analysis));
  if (p.selection) parts.push(`sel=${refString(p.selection)}`);
  return parts.join('&');
}

/** "layer:code", the form the API takes too (p=…, within=…). */
export function refString(ref: TerritoryRef): string {
  return `${ref.layer}:${encodeURIComponent(ref.code)}`;
}

function encodeAnalysis(a: Analysis): string[] {
  switch (a.kind) {
    case 'compare':
      return ['view=compare', ...(a.perimeters.length ? [`p=${a.perimeters.map(refString).join(',')}`] : [])];
    case 'entanglement':
      return ['view=entanglement'];
    case 'gaps':
      return [
        'view=gaps',
        ...(a.layer ? [`layer=${a.layer}`] : []),
        ...(a.within ? [`within=${a.within === 'france' ? 'france' : refString(a.within)}`] : []),
      ];
    case 'load':
      return ['view=load', ...(a.schemes.length ? [`s=${a.schemes.map(encodeURIComponent).join(',')}`] : [])];
    case 'panorama':
      return ['view=panorama', `within=${a.within}`, ...(a.fictif ? ['fictif=1'] : [])];
  }
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

function parseRef(value: string, versioned = false): TerritoryRef | null {
  const i = value.indexOf(':');
  if (i <= 0) return null;
  const layer = value.slice(0, i);
  let code: string;
  try {
    code = decodeURIComponent(value.slice(i + 1));
  } catch {
    return null;
  }
  if (!LAYER_ID.test(layer)) return null;
  if (versioned && code.includes('@')) return layer === 'scheme' && VERSIONED_CODE.test(code) ? { layer, code } : null;
  return CODE.test(code) ? { layer, code } : null;
}

function unique<T>(items: T[], key: (t: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((t) => !seen.has(key(t)) && !!seen.add(key(t)));
}

function parseRefs(value: string | undefined): TerritoryRef[] {
  const refs = (value ?? '')
    .split(',')
    .map((v) => parseRef(v, true))
    .filter((r): r is TerritoryRef => r !== null);
  return unique(refs, (r) => `${r.layer}:${r.code}`).slice(0, MAX_COMPARED);
}

function parseCodes(value: string | undefined): string[] {
  const codes = (value ?? '').split(',').flatMap((raw) => {
    try {
      const code = decodeURIComponent(raw);
      return CODE.test(code) ? [code] : [];
    } catch {
      return [];
    }
  });
  return unique(codes, (c) => c).slice(0, MAX_LOAD_SCHEMES);
}

function parseAnalysis(params: Map<string, string>): Analysis | null {
  switch (params.get('view')) {
    case 'compare':
      return { kind: 'compare', perimeters: parseRefs(params.get('p')) };
    case 'entanglement':
      return { kind: 'entanglement' };
    case 'gaps': {
      const layer = params.get('layer') ?? '';
      const within = params.get('within');
      return {
        kind: 'gaps',
        layer: LAYER_ID.test(layer) ? layer : null,
        within: within === 'france' ? 'france' : within ? parseRef(within) : null,
      };
    }
    case 'load':
      return { kind: 'load', schemes: parseCodes(params.get('s')) };
    case 'panorama': {
      const within = params.get('within') ?? '';
      return { kind: 'panorama', within: PANORAMA_ZONE.test(within) ? within : 'france', fictif: params.get('fictif') === '1' };
    }
    default:
      return null;
  }
}

/** Reads a fragment (with or without '#'); anything malformed is ignored, never thrown. */
export function decodePermalink(hash: string): Permalink {
  const params = new Map<string, string>();
  for (const part of hash.replace(/^#/, '').split('&')) {
    const eq = part.indexOf('=');
    if (eq > 0) params.set(part.slice(0, eq), part.slice(eq + 1));
  }
  const map = params.get('map');
  const layers = params.get('layers');
  const opacity = params.get('opacity');
  const sel = params.get('sel');
  return {
    view: map === undefined ? null : parseView(map),
    layers: layers === undefined ? null : parseLayers(layers),
    opacity: opacity === undefined ? {} : parseOpacity(opacity),
    analysis: parseAnalysis(params),
    selection: sel === undefined ? null : parseRef(sel),
  };
}

/** What a history entry stands for: a change of it is a new entry (Back returns to it);
 *  moves of the map, layers and opacity only replace the current one. */
export function historyKey(p: Pick<Permalink, 'analysis' | 'selection'>): string {
  return [...(p.analysis ? encodeAnalysis(p.analysis) : []), p.selection ? refString(p.selection) : ''].join('&');
}

export function sameSelection(a: TerritoryRef | null, b: TerritoryRef | null): boolean {
  return a === b || (!!a && !!b && a.layer === b.layer && a.code === b.code);
}
