// From the server's layer catalogue to the toggles of the interface: one entry per
// layer, one per scheme type (CLS, ASV…), each with its look. Known layers have a hand-
// tuned look; any other layer gets a distinct generic one, so a new catalogue layer
// shows up without a client change. Colours: one hue family per layer, chosen so that
// every pair stays apart for deuteranopes, protanopes and tritanopes too (checked by
// test/unit/palette.test.ts); each layer also differs by line width, dash or hatching so
// it stays distinguishable in grey print, and its outline runs in its own lane inside the
// border (see LANE), so that layers sharing a border show side by side.
// Length: mostly the table of hand-tuned looks, one per known layer.
import type { LayerInfo, Membership, SearchResult } from './api.ts';

export type Hatch = 'up' | 'down' | 'horizontal' | 'vertical' | 'cross';

export interface LayerLook {
  /** Outline colour (and fill colour). */
  color: string;
  /** Label colour: a darker shade when the outline colour is light. */
  labelColor: string;
  /** Outline width in CSS pixels at zoom 8 (thinner below, thicker above). */
  width: number;
  /** Dash pattern in line widths. */
  dash?: number[];
  /** Opacity of a plain translucent fill; 0 for outline only. */
  fill: number;
  hatch?: Hatch;
  /** White halo under the outline, for the frames drawn over everything. */
  casing?: boolean;
  /** Specificity: the click selects the highest rank under the pointer. */
  rank: number;
  /** Drawing order of outlines (higher on top). */
  lineOrder: number;
  /** Label priority (higher placed first). */
  labelOrder: number;
  minzoom: number;
  labelSize: number;
  labelMinzoom: number;
  labelMaxzoom: number;
  uppercase?: boolean;
  bold?: boolean;
  /** Inward shift of the outline (px at zoom 8, scaled with the width), so that
   *  coincident borders of several layers (a CLS on an EPCI, a PETR) are drawn side by
   *  side: a multiple of LANE. */
  offset?: number;
  /** Short name of the layer put before a unit's name on the map ("CLS · Grand Figeac"),
   *  unless the name already says it, with the tag or one of these words. */
  tag?: string;
  tagWords?: string[];
  /** A dot on each unit at low zoom, where small perimeters would vanish. */
  dotMaxzoom?: number;
}

export interface LayerEntry {
  /** Identifier in the URL and the tile path: 'epci', 'cls'. */
  id: string;
  /** Layer of the API and of the tiles: 'scheme' for the scheme types. */
  layer: string;
  /** Scheme type filtered on ('CLS'), null for other layers. */
  schemeType: string | null;
  label: string;
  /** Short name for the panel ('CLS'), with its description ('contrats locaux de santé'). */
  shortLabel: string;
  description: string | null;
  /** Name of one unit: 'Intercommunalité', 'CLS'. */
  unitLabel: string;
  group: string;
  fictif: boolean;
  count: number;
  vintage: string;
  source: string;
  licence: string;
  look: LayerLook;
}

const BASE: Omit<LayerLook, 'color' | 'labelColor' | 'rank' | 'lineOrder' | 'labelOrder'> = {
  width: 1.5,
  fill: 0,
  minzoom: 0,
  labelSize: 12,
  labelMinzoom: 0,
  labelMaxzoom: 24,
};

function look(l: Partial<LayerLook> & Pick<LayerLook, 'color' | 'rank' | 'lineOrder' | 'labelOrder'>): LayerLook {
  return { ...BASE, labelColor: l.color, ...l };
}

export const COMMUNE_MINZOOM = 8;
/** Names of the larger communes are drawn from this zoom, whatever the active layers. */
export const PLACE_NAMES_MINZOOM = 7;
/** Width of one outline lane at zoom 8: outlines of width ≤ LANE, shifted inward by
 *  different multiples of LANE, never cover one another on a shared border. Lane 0:
 *  administrative borders and EPCI; 1: PETR, PNR; 2: CPTS, psychiatry sectors; 3: CLS,
 *  PTSM; 4: ASV, CLSM. Layers sharing a lane seldom share a border, and where they do a
 *  dashed or dotted outline drawn over a solid one still shows both colours. */
export const LANE = 2.4;

export const KNOWN_LOOKS: Record<string, LayerLook> = {
  region: look({
    color: '#1a1a1a',
    width: 2.6,
    casing: true,
    rank: 0,
    lineOrder: 90,
    labelOrder: 100,
    labelSize: 14,
    labelMaxzoom: 8,
    uppercase: true,
    bold: true,
  }),
  departement: look({
    color: '#3d3d3d',
    width: 1.6,
    rank: 1,
    lineOrder: 80,
    labelOrder: 90,
    labelSize: 13,
    labelMinzoom: 5.5,
    labelMaxzoom: 10,
    bold: true,
  }),
  arrondissement: look({
    color: '#595959',
    width: 1.2,
    dash: [5, 2.5],
    rank: 2,
    lineOrder: 30,
    labelOrder: 30,
    labelSize: 12,
    labelMinzoom: 7,
    labelMaxzoom: 11,
  }),
  epci: look({
    color: '#0072B2',
    labelColor: '#00507d',
    width: 1.9,
    fill: 0.05,
    rank: 5,
    lineOrder: 40,
    labelOrder: 60,
    labelSize: 11.5,
    labelMinzoom: 7.5,
  }),
  commune: look({
    color: '#6e6e6e',
    labelColor: '#303030',
    width: 0.6,
    rank: 7,
    lineOrder: 10,
    labelOrder: 10,
    minzoom: COMMUNE_MINZOOM,
    labelSize: 11,
    labelMinzoom: COMMUNE_MINZOOM,
  }),
  petr: look({
    offset: LANE,
    tag: 'PETR',
    color: '#663377',
    width: 2.2,
    dash: [4, 1.5],
    fill: 0.07,
    rank: 4,
    lineOrder: 55,
    labelOrder: 50,
    labelSize: 12,
    labelMinzoom: 6,
  }),
  pnr: look({
    offset: LANE,
    tag: 'PNR',
    tagWords: ['PARC NATUREL'],
    color: '#226633',
    width: 2.4,
    dash: [0.8, 1.2],
    fill: 0.08,
    rank: 3,
    lineOrder: 60,
    labelOrder: 55,
    labelSize: 12,
    labelMinzoom: 6,
  }),
  qpv: look({
    tag: 'QPV',
    tagWords: ['QUARTIER'],
    color: '#EEAA22',
    labelColor: '#7a4d00',
    width: 1,
    fill: 0.55,
    rank: 9,
    lineOrder: 20,
    labelOrder: 20,
    labelSize: 11,
    labelMinzoom: 11,
  }),
  cls: look({
    offset: 3 * LANE,
    tag: 'CLS',
    tagWords: ['CONTRAT LOCAL DE SANTÉ'],
    dotMaxzoom: 7.5,
    color: '#D55E00',
    labelColor: '#9c4400',
    width: 2.4,
    hatch: 'up',
    fill: 0.1,
    rank: 6.2,
    lineOrder: 100,
    labelOrder: 80,
    labelSize: 12,
    labelMinzoom: 6,
    bold: true,
  }),
  asv: look({
    offset: 4 * LANE,
    tag: 'ASV',
    tagWords: ['ATELIER SANTÉ', 'ATELIERS SANTÉ'],
    dotMaxzoom: 7.5,
    color: '#CC79A7',
    labelColor: '#8a3d69',
    width: 2.4,
    hatch: 'down',
    fill: 0.1,
    rank: 6.4,
    lineOrder: 99,
    labelOrder: 78,
    labelSize: 12,
    labelMinzoom: 6,
    bold: true,
  }),
  clsm: look({
    offset: 4 * LANE,
    tag: 'CLSM',
    tagWords: ['CONSEIL LOCAL DE SANTÉ MENTALE'],
    dotMaxzoom: 7.5,
    color: '#009977',
    labelColor: '#006650',
    width: 2.4,
    dash: [3, 1],
    hatch: 'horizontal',
    fill: 0.1,
    rank: 6.1,
    lineOrder: 102,
    labelOrder: 76,
    labelSize: 12,
    labelMinzoom: 6,
    bold: true,
  }),
  ptsm: look({
    offset: 3 * LANE,
    tag: 'PTSM',
    tagWords: ['PROJET TERRITORIAL DE SANTÉ MENTALE'],
    dotMaxzoom: 7.5,
    color: '#0022CC',
    width: 2.4,
    dash: [1, 1],
    hatch: 'vertical',
    fill: 0.08,
    rank: 6,
    lineOrder: 101,
    labelOrder: 74,
    labelSize: 12,
    labelMinzoom: 6,
    bold: true,
  }),
  cpts: look({
    offset: 2 * LANE,
    tag: 'CPTS',
    color: '#BB1133',
    labelColor: '#8c0d26',
    width: 2.2,
    dash: [3, 1, 1, 1],
    fill: 0.07,
    hatch: 'cross',
    rank: 5.5,
    lineOrder: 50,
    labelOrder: 45,
    labelSize: 12,
    labelMinzoom: 7,
  }),
  'secteur-psy-adulte': look({
    offset: 2 * LANE,
    tag: 'Psy adulte',
    color: '#773300',
    width: 2.2,
    dash: [6, 2],
    fill: 0.07,
    rank: 4.6,
    lineOrder: 48,
    labelOrder: 42,
    labelSize: 11,
    labelMinzoom: 7,
  }),
  'secteur-psy-enfant': look({
    offset: 2 * LANE,
    tag: 'Psy enfant',
    color: '#999955',
    labelColor: '#5c5c2e',
    width: 2.2,
    dash: [2, 1.5],
    fill: 0.07,
    rank: 4.7,
    lineOrder: 49,
    labelOrder: 43,
    labelSize: 11,
    labelMinzoom: 7,
  }),
};

const GENERIC_COLORS: [string, string][] = [
  ['#AA4499', '#7a2f6e'],
  ['#DDCC77', '#6b5f1f'],
  ['#CC6677', '#8f3848'],
  ['#88CCEE', '#2a6c8c'],
];
const GENERIC_DASHES = [
  [4, 1, 1, 1],
  [2, 2],
  [6, 1.5],
  [1, 1.5],
];

function genericLook(index: number): LayerLook {
  const [color, labelColor] = GENERIC_COLORS[index % GENERIC_COLORS.length]!;
  return look({
    color,
    labelColor,
    width: 2.2,
    dash: GENERIC_DASHES[index % GENERIC_DASHES.length],
    fill: 0.07,
    rank: 5.2 + index * 0.01,
    offset: (1 + (index % 4)) * LANE,
    lineOrder: 45,
    labelOrder: 40,
    labelMinzoom: 7,
  });
}

const SCHEME_TYPE_DESCRIPTIONS: Record<string, string> = {
  CLS: 'contrats locaux de santé',
  ASV: 'ateliers santé ville',
  CLSM: 'conseils locaux de santé mentale',
  PTSM: 'projets territoriaux de santé mentale',
};

const UNIT_LABELS: Record<string, string> = {
  region: 'Région',
  departement: 'Département',
  arrondissement: 'Arrondissement',
  epci: 'Intercommunalité',
  commune: 'Commune',
  petr: 'PETR ou Pays',
  pnr: 'Parc naturel régional',
  qpv: 'Quartier prioritaire',
  scheme: 'Démarche de santé',
  cpts: 'CPTS',
  'secteur-psy-adulte': 'Secteur de psychiatrie adulte',
  'secteur-psy-enfant': 'Secteur de psychiatrie infanto-juvénile',
};

export const GROUPS = [
  'Démarches territoriales de santé',
  'Autres périmètres de santé',
  'Politique de la ville',
  'Intercommunalités et projets de territoire',
  'Découpages administratifs',
] as const;

function groupOf(info: LayerInfo): string {
  switch (info.kind) {
    case 'administratif':
    case 'commune':
      return 'Découpages administratifs';
    case 'intercommunal':
      return 'Intercommunalités et projets de territoire';
    case 'politique-de-la-ville':
      return 'Politique de la ville';
    case 'demarche':
      return 'Démarches territoriales de santé';
    default:
      return 'Autres périmètres de santé';
  }
}

/** Order inside a group: by specificity, the largest units first. */
function compareEntries(a: LayerEntry, b: LayerEntry): number {
  return (
    GROUPS.indexOf(a.group as (typeof GROUPS)[number]) - GROUPS.indexOf(b.group as (typeof GROUPS)[number]) || a.look.rank - b.look.rank
  );
}

export function buildEntries(catalogue: LayerInfo[]): LayerEntry[] {
  const entries: LayerEntry[] = [];
  let generic = 0;
  for (const info of catalogue) {
    const common = { group: groupOf(info), fictif: info.fictif, vintage: info.vintage, source: info.source, licence: info.licence };
    if (info.types?.length) {
      for (const t of info.types) {
        entries.push({
          ...common,
          id: t.id,
          layer: info.id,
          schemeType: t.type,
          label: SCHEME_TYPE_DESCRIPTIONS[t.type] ? `${t.type} — ${SCHEME_TYPE_DESCRIPTIONS[t.type]}` : t.type,
          shortLabel: t.type,
          description: SCHEME_TYPE_DESCRIPTIONS[t.type] ?? null,
          unitLabel: t.type,
          count: t.count,
          look: KNOWN_LOOKS[t.id] ?? genericLook(generic++),
        });
      }
    } else {
      entries.push({
        ...common,
        id: info.id,
        layer: info.id,
        schemeType: null,
        label: info.name,
        shortLabel: info.name,
        description: null,
        unitLabel: UNIT_LABELS[info.id] ?? info.name,
        count: info.count,
        look: KNOWN_LOOKS[info.id] ?? genericLook(generic++),
      });
    }
  }
  return entries.sort(compareEntries);
}

export const DEFAULT_LAYERS = ['departement', 'cls', 'asv', 'clsm', 'ptsm'];

/** The entry a territory of the API belongs to (a scheme goes to its type's entry). */
export function entryFor(entries: LayerEntry[], layer: string, type?: string | null): LayerEntry | undefined {
  return entries.find((e) => e.layer === layer && (e.schemeType === null || e.schemeType === type));
}

/** "Intercommunalité", "CLS", "Commune": what a search result or a membership is. */
export function unitLabel(entries: LayerEntry[], item: Pick<SearchResult | Membership, 'layer' | 'type'>): string {
  return entryFor(entries, item.layer, item.type)?.unitLabel ?? UNIT_LABELS[item.layer] ?? item.layer;
}

/** "Source (vintage, vintage)" for each source of the given layers or entries (the printed map's credits). */
export function sourcesOf(entries: LayerEntry[], used: string[]): string[] {
  const wanted = new Set(used);
  const bySource = new Map<string, Set<string>>();
  for (const e of entries) {
    if (!wanted.has(e.id) && !wanted.has(e.layer)) continue;
    bySource.set(e.source, (bySource.get(e.source) ?? new Set()).add(e.vintage));
  }
  return [...bySource].map(([source, vintages]) => `${source} (${[...vintages].join(', ')})`);
}
