// From the analysis answers of the API to what the views show: part colours, the map
// highlight of each analysis, entanglement rows (schemes split by type). Pure.
// Length: one small pure function per analysis view, together because they share the colour scales.
import type { Comparison, Entanglement, EntanglementUnit, GapLevel, Gaps, QpvGaps, SchemeLoad } from './api.ts';
import {
  GAP_COLORS,
  GAP_SHARE_BANDS,
  gapShareColor,
  PERIMETER_COLORS,
  partColors,
  unitColor,
  type HighlightArea,
  type LegendItem,
  type MapHighlight,
} from './highlight.ts';
import { entryFor, type LayerEntry } from './layers.ts';
import { formatInteger } from './format.ts';

// ─── Compare ──────────────────────────────────────────────────────────────────────

export interface ColouredComparison extends Comparison {
  /** Colour of each part, in the order of `parts`. */
  colors: string[];
}

export function colourComparison(c: Comparison): ColouredComparison {
  return {
    ...c,
    colors: partColors(
      c.parts.map((p) => p.members),
      c.perimeters.length,
    ),
  };
}

export function compareHighlight(c: ColouredComparison): MapHighlight {
  const communes = new Map<string, number>();
  // a commune split between parts takes the colour of its largest piece
  const best = new Map<string, number>();
  c.parts.forEach((part, i) => {
    for (const commune of part.communes) {
      // a part of unknown size (no contour) colours the commune only if nothing else does
      const share = commune.share ?? 0;
      if ((best.get(commune.code) ?? -1) < share) {
        best.set(commune.code, share);
        communes.set(commune.code, i);
      }
    }
  });
  const dashes: Record<string, number[] | undefined> = {
    A: undefined,
    B: [3, 1.5],
    C: [1, 1],
    D: [4, 1, 1, 1],
    E: [6, 2],
    F: [2, 2],
    G: [5, 1, 1, 1, 1, 1],
    H: [1, 3],
  };
  return {
    communes,
    classes: c.parts.map((p, i) => ({ label: p.label, color: c.colors[i]!, opacity: 0.6 })),
    areas: c.perimeters.map((p) => ({
      layer: p.layer,
      colors: { [p.code]: darker(PERIMETER_COLORS[p.key]!) },
      fillOpacity: 0,
      width: 2.5,
      dash: dashes[p.key],
    })),
    legend: {
      title: 'Comparaison',
      items: [
        ...c.parts.map((p, i) => ({
          label: `${p.label} (${formatInteger(p.communeCount)} comm.)`,
          color: c.colors[i]!,
          kind: 'fill' as const,
          opacity: 0.6,
        })),
        ...c.perimeters.map((p) => ({
          label: `${p.key} : ${p.name}`,
          color: darker(PERIMETER_COLORS[p.key]!),
          kind: 'line' as const,
          dash: dashes[p.key],
        })),
      ],
    },
  };
}

/** The same hue, darker: outlines must stand out from their own fill. */
function darker(hex: string, k = 0.7): string {
  const n = parseInt(hex.slice(1), 16);
  const c = [(n >> 16) & 255, (n >> 8) & 255, n & 255].map((v) => Math.round(v * k));
  return `#${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}

/** "A seul" parts, by perimeter: the communes in one perimeter and no other. */
export function differences(
  c: Comparison,
): { key: string; name: string; communes: { code: string; name: string; share: number | null }[] }[] {
  if (c.perimeters.length < 2) return [];
  return c.perimeters.map((p) => ({
    key: p.key,
    name: p.name,
    communes: c.parts.find((part) => !part.unknownShare && part.members.length === 1 && part.members[0] === p.key)?.communes ?? [],
  }));
}

// ─── Entanglement ─────────────────────────────────────────────────────────────────

export interface EntanglementRow {
  /** Entry id ('epci', 'cls'…) or the layer id when the catalogue does not know it. */
  id: string;
  layer: string;
  label: string;
  fictif: boolean;
  unitCount: number;
  cutCount: number;
  /** null when a unit's part is unknown (no contour). */
  coverage: number | null;
  fragmentation: number | null;
  units: (EntanglementUnit & { color: string })[];
}

/** The effective number of pieces of the covered part, (Σ p)² / Σ p²: the server's
 *  1 / Σ p² when the layer covers the whole territory, and still between 1 and the
 *  number of units when it covers only part of it (two QPV on a fifth of a CLS would
 *  otherwise count as twenty pieces). */
export function fragmentation(shares: (number | null)[]): number | null {
  if (shares.includes(null)) return null;
  const sum = shares.reduce((s, p) => s! + p!, 0)!;
  const sumSq = shares.reduce((s, p) => s! + p! ** 2, 0)!;
  return sumSq > 0 ? sum ** 2 / sumSq : 0;
}

function summarise(units: EntanglementUnit[]) {
  return {
    unitCount: units.length,
    cutCount: units.filter((u) => u.cut).length,
    coverage: units.some((u) => u.shareOfTerritory === null)
      ? null
      : Math.min(
          1,
          units.reduce((s, u) => s + u.shareOfTerritory!, 0),
        ),
    fragmentation: fragmentation(units.map((u) => u.shareOfTerritory)),
  };
}

/** Health perimeters first, then the territorial projects, the administrative cuts,
 *  and the (sub-communal) priority neighbourhoods last. */
const ROW_GROUPS = [
  'Démarches territoriales de santé',
  'Autres périmètres de santé',
  'Intercommunalités et projets de territoire',
  'Découpages administratifs',
  'Politique de la ville',
];

/** One row per layer; schemes split by type (a CLS and a CLSM are different scales). */
export function entanglementRows(e: Entanglement, entries: LayerEntry[]): EntanglementRow[] {
  const rows: EntanglementRow[] = [];
  for (const l of e.layers) {
    const groups = new Map<string, EntanglementUnit[]>();
    for (const u of l.units) {
      const id = entryFor(entries, u.layer, u.type)?.id ?? u.layer;
      groups.set(id, [...(groups.get(id) ?? []), u]);
    }
    for (const [id, units] of groups) {
      const entry = entries.find((x) => x.id === id);
      const own = units.filter((u) => !(u.layer === e.territory.layer && u.code === e.territory.code));
      if (!own.length) continue;
      const figures = {
        ...(groups.size === 1 && own.length === units.length ? l : summarise(own)),
        fragmentation: fragmentation(own.map((u) => u.shareOfTerritory)),
      };
      rows.push({
        id,
        layer: l.layer,
        label: entry?.label ?? l.layer,
        fictif: entry?.fictif || own.some((u) => u.fictif),
        unitCount: figures.unitCount,
        cutCount: figures.cutCount,
        coverage: figures.coverage,
        fragmentation: figures.fragmentation,
        units: own.map((u, i) => ({ ...u, color: unitColor(i) })),
      });
    }
  }
  const order = (id: string) => {
    const e = entries.find((x) => x.id === id);
    const g = e ? ROW_GROUPS.indexOf(e.group) : -1;
    return [g < 0 ? ROW_GROUPS.length : g, e?.look.rank ?? 99] as const;
  };
  return rows.sort((a, b) => {
    const [ga, ra] = order(a.id);
    const [gb, rb] = order(b.id);
    return ga - gb || ra - rb;
  });
}

/** The row drawn first: the first layer that splits the territory (QPV aside). */
export function defaultRow(rows: EntanglementRow[]): EntanglementRow | undefined {
  return rows.find((r) => r.unitCount > 1 && r.layer !== 'qpv') ?? rows.find((r) => r.layer !== 'qpv') ?? rows[0];
}

export function entanglementHighlight(e: Entanglement, row: EntanglementRow | undefined): MapHighlight {
  const t = e.territory;
  return {
    communes: new Map(),
    classes: [],
    areas: [
      ...(row
        ? [{ layer: row.layer, colors: Object.fromEntries(row.units.map((u) => [u.code, u.color])), fillOpacity: 0.3, width: 2 }]
        : []),
      { layer: t.layer, colors: { [t.code]: '#1a1a1a' }, fillOpacity: 0, width: 3.5 },
    ],
    legend: {
      title: 'Enchevêtrement',
      items: [
        { label: t.name, color: '#1a1a1a', kind: 'line' },
        ...(row?.units ?? []).slice(0, 12).map((u) => ({ label: u.name, color: u.color, kind: 'fill' as const, opacity: 0.45 })),
        ...(row && row.units.length > 12
          ? [{ label: `… et ${row.units.length - 12} autres`, color: '#888888', kind: 'fill' as const, opacity: 0.3 }]
          : []),
      ],
    },
  };
}

// ─── Gaps ─────────────────────────────────────────────────────────────────────────

/** From these zooms up, the gaps are drawn by EPCI, then by commune (smaller, the
 *  communes are specks); below, by département. */
export const GAP_LEVEL_ZOOMS = { epci: 6, commune: 7 };

export function gapLevel(zoom: number): GapLevel {
  return zoom < GAP_LEVEL_ZOOMS.epci ? 'departement' : zoom < GAP_LEVEL_ZOOMS.commune ? 'epci' : 'commune';
}

export const GAP_LEVEL_LABELS: Record<GapLevel, string> = { departement: 'par département', epci: 'par EPCI', commune: 'par commune' };

/** The map of the gaps at one level: a choropleth of départements or EPCI by share of
 *  the population without the layer, or the communes by class; the QPV without ASV
 *  nor CLS always on top, with their own outline. `layerLabel` says "connu" if need be. */
export function gapsHighlight(g: Gaps, qpv: QpvGaps | null, layerLabel: string, level: GapLevel = 'commune'): MapHighlight {
  const communes = new Map<string, number>();
  if (level === 'commune') {
    for (const c of g.uncovered.communes) communes.set(c.code, 0);
    for (const c of g.partlyCovered.communes) communes.set(c.code, 1);
  }
  const qpvCodes = qpv?.uncovered.qpv.map((q) => q.code) ?? [];
  const choropleth: HighlightArea[] =
    level === 'commune'
      ? []
      : [
          {
            layer: level,
            colors: Object.fromEntries(g.areas[level].map((a) => [a.code, gapShareColor(a.share)])),
            fillOpacity: 0.7,
            width: 0.6,
          },
        ];
  const levelItems: LegendItem[] =
    level === 'commune'
      ? [
          {
            label: `Commune sans ${layerLabel} (${formatInteger(g.uncovered.communeCount)})`,
            color: GAP_COLORS.uncovered,
            kind: 'fill',
            opacity: 0.6,
          },
          ...(g.partlyCovered.communeCount
            ? [
                {
                  label: `Commune en partie couverte (${formatInteger(g.partlyCovered.communeCount)})`,
                  color: GAP_COLORS.partly,
                  kind: 'fill' as const,
                  opacity: 0.7,
                },
              ]
            : []),
        ]
      : GAP_SHARE_BANDS.map((b) => ({ label: b.label, color: b.color, kind: 'fill' as const, opacity: 0.7 }));
  return {
    communes,
    classes:
      level === 'commune'
        ? [
            { label: `Sans ${layerLabel}`, color: GAP_COLORS.uncovered, opacity: 0.6 },
            { label: `En partie couverte`, color: GAP_COLORS.partly, opacity: 0.7 },
          ]
        : [],
    areas: [
      ...choropleth,
      ...(g.within ? [{ layer: g.within.layer, colors: { [g.within.code]: GAP_COLORS.zone }, fillOpacity: 0, width: 3 }] : []),
      ...(qpvCodes.length
        ? [
            {
              layer: 'qpv',
              colors: Object.fromEntries(qpvCodes.map((c) => [c, GAP_COLORS.qpvOutline])),
              fillOpacity: 0.85,
              fillColor: GAP_COLORS.qpv,
              width: 2,
              onTop: true,
            },
          ]
        : []),
    ],
    legend: {
      title:
        level === 'commune'
          ? `Lacunes : ${layerLabel} — ${GAP_LEVEL_LABELS[level]}`
          : `Population sans ${layerLabel} — ${GAP_LEVEL_LABELS[level]}`,
      items: [
        ...levelItems,
        ...(qpvCodes.length
          ? [
              {
                label: `QPV sans ASV ni CLS (${formatInteger(qpvCodes.length)})`,
                color: GAP_COLORS.qpv,
                kind: 'fill' as const,
                opacity: 0.85,
              },
            ]
          : []),
        ...(g.within ? [{ label: `Zone : ${g.within.name}`, color: GAP_COLORS.zone, kind: 'line' as const }] : []),
      ],
    },
  };
}

// ─── Coordination load ────────────────────────────────────────────────────────────

/** Distance bands to the central town, light (near) to dark (far). */
export const DISTANCE_BANDS: { max: number; label: string; color: string }[] = [
  { max: 10, label: 'moins de 10 km', color: '#FDDBC7' },
  { max: 20, label: '10 à 20 km', color: '#F4A582' },
  { max: 30, label: '20 à 30 km', color: '#D6604D' },
  { max: Infinity, label: '30 km et plus', color: '#8E0152' },
];

export function distanceBand(km: number): number {
  return DISTANCE_BANDS.findIndex((b) => km < b.max);
}

export function loadHighlight(schemes: SchemeLoad[]): MapHighlight {
  const communes = new Map<string, number>();
  for (const s of schemes) for (const c of s.communes) communes.set(c.code, distanceBand(c.distanceKm));
  return {
    communes,
    classes: DISTANCE_BANDS.map((b) => ({ label: b.label, color: b.color, opacity: 0.75 })),
    areas: [{ layer: 'scheme', colors: Object.fromEntries(schemes.map((s) => [s.code, '#1a1a1a'])), fillOpacity: 0, width: 2.5 }],
    legend: {
      title: 'Distance à la ville-centre',
      items: [
        ...DISTANCE_BANDS.map((b) => ({ label: b.label, color: b.color, kind: 'fill' as const, opacity: 0.75 })),
        { label: 'Périmètre de la démarche', color: '#1a1a1a', kind: 'line' as const },
      ],
    },
  };
}
