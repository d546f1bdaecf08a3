// What an analysis draws over the map, as plain data: communes coloured by class
// (feature-state on a commune tile source keyed by code), some units of a layer filled
// or outlined, and the legend that explains both. Built by the analysis views, drawn
// by MapView (see mapStyle.ts: highlightLayers), listed by Legend.

export interface HighlightClass {
  label: string;
  color: string;
  /** Fill opacity of the communes of this class. */
  opacity: number;
}

export interface HighlightArea {
  /** API layer of the units ('scheme', 'epci', 'qpv'…). */
  layer: string;
  /** Unit code → colour; only these units are drawn. */
  colors: Record<string, string>;
  /** 0: outline only. */
  fillOpacity: number;
  /** One fill colour for all units, the outline keeping `colors` (default: the same). */
  fillColor?: string;
  width: number;
  dash?: number[];
  /** Fill drawn above every outline (small units that must stay visible over a choropleth). */
  onTop?: boolean;
}

export interface LegendItem {
  label: string;
  color: string;
  kind: 'fill' | 'line';
  opacity?: number;
  dash?: number[];
}

export interface MapHighlight {
  /** Commune code → index in `classes`. */
  communes: Map<string, number>;
  classes: HighlightClass[];
  areas: HighlightArea[];
  legend: { title: string; items: LegendItem[] };
}

export function emptyHighlight(title: string): MapHighlight {
  return { communes: new Map(), classes: [], areas: [], legend: { title, items: [] } };
}

/** Colour-blind safe (Okabe–Ito, then Paul Tol's muted set), and of different
 *  lightness where it matters most (A, B and their intersection). */
// Okabe–Ito, colour-blind safe: one hue per compared perimeter (up to 8)
export const PERIMETER_COLORS: Record<string, string> = {
  A: '#E69F00',
  B: '#0072B2',
  C: '#009E73',
  D: '#CC79A7',
  E: '#56B4E9',
  F: '#D55E00',
  G: '#F0E442',
  H: '#555555',
};

/** The letter drawn on a perimeter's colour: black or white, whichever contrasts more. */
export function perimeterInk(key: string): string {
  const n = parseInt((PERIMETER_COLORS[key] ?? '#888888').slice(1), 16);
  const lin = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
  const l = 0.2126 * lin((n >> 16) & 255) + 0.7152 * lin((n >> 8) & 255) + 0.0722 * lin(n & 255);
  return (l + 0.05) / 0.05 >= 1.05 / (l + 0.05) ? '#000' : '#fff';
}
const SHARED_COLORS = [
  '#332288',
  '#882255',
  '#999933',
  '#44AA99',
  '#AA4499',
  '#661100',
  '#6699CC',
  '#117733',
  '#DDCC77',
  '#888888',
  '#AA4466',
];

/** The colour of a part: a perimeter's own colour for "X seul", a shared colour otherwise
 *  (the part common to all perimeters always gets the first, darkest one). */
export function partColors(partMembers: string[][], perimeterCount: number): string[] {
  let shared = perimeterCount > 1 && partMembers.some((m) => m.length === perimeterCount) ? 1 : 0;
  return partMembers.map((m) => {
    if (m.length === 1 && perimeterCount > 1) return PERIMETER_COLORS[m[0]!] ?? '#888888';
    if (m.length === perimeterCount) return SHARED_COLORS[0]!;
    return SHARED_COLORS[shared++ % SHARED_COLORS.length]!;
  });
}

/** A palette for the units that cut a territory (stacked bars and the map share it). */
export const UNIT_COLORS = [
  '#0072B2',
  '#E69F00',
  '#009E73',
  '#CC79A7',
  '#56B4E9',
  '#D55E00',
  '#332288',
  '#999933',
  '#882255',
  '#44AA99',
  '#AA4499',
  '#DDCC77',
];

export function unitColor(index: number): string {
  return UNIT_COLORS[index % UNIT_COLORS.length]!;
}

/** Gaps: a single-hue scale, readable in grey and by colour-blind readers. */
export const GAP_COLORS = { uncovered: '#B2182B', partly: '#F4A582', zone: '#1a1a1a', qpv: '#5E3C99', qpvOutline: '#2D004B' };

/** Gaps by département or EPCI: share of the population without the layer, light to dark (ColorBrewer Reds). */
export const GAP_SHARE_BANDS: { max: number; label: string; color: string }[] = [
  { max: 0, label: 'personne', color: '#FEE5D9' },
  { max: 0.25, label: 'moins de 25 %', color: '#FCAE91' },
  { max: 0.5, label: '25 à 50 %', color: '#FB6A4A' },
  { max: 0.75, label: '50 à 75 %', color: '#DE2D26' },
  { max: Infinity, label: '75 % et plus', color: '#A50F15' },
];

export function gapShareColor(share: number): string {
  return GAP_SHARE_BANDS.find((b) => (b.max === 0 ? share <= 0 : share < b.max))!.color;
}
