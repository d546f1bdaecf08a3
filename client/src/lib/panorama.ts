// The panorama view's plumbing: the answer's type (contract/panorama.ts), its URLs (JSON
// and each block's CSV), the choropleth classes drawn on the région or département tiles,
// and the zone's parent for the breadcrumb. Pure, so it is unit-tested.
import type { PanoramaBody } from '../../../contract/panorama.ts';
import type { MapHighlight } from './highlight.ts';
import { formatShare } from './format.ts';

export type Panorama = PanoramaBody;
export type PanoramaBlock = 'types' | 'areas' | 'scales' | 'bands' | 'coordination' | 'qpv' | 'growth' | 'schemes';

export function panoramaUrl(within: string, fictif: boolean, block?: PanoramaBlock): string {
  const q = new URLSearchParams({ within });
  if (fictif) q.set('includeFictif', 'true');
  if (block) {
    q.set('format', 'csv');
    q.set('block', block);
  }
  return `/api/panorama?${q.toString().replace(/%3A/g, ':')}`;
}

/** Sequential, colour-blind safe (ColorBrewer Blues), readable in grey: share of population covered. */
export const CHOROPLETH = [
  { max: 0, color: '#f7fbff', label: 'aucune couverture connue' },
  { max: 0.1, color: '#c6dbef', label: '< 10 %' },
  { max: 0.25, color: '#6baed6', label: '10 – 25 %' },
  { max: 0.5, color: '#2171b5', label: '25 – 50 %' },
  { max: Infinity, color: '#08306b', label: '≥ 50 %' },
] as const;

export function choroplethColor(share: number): string {
  return CHOROPLETH.find((c) => (c.max === 0 ? share <= 0 : share < c.max))!.color;
}

/** The sub-areas coloured by the share of their population covered by a type. */
export function panoramaHighlight(p: Panorama, type: string): MapHighlight {
  const colors: Record<string, string> = {};
  for (const a of p.areas) colors[a.code] = choroplethColor(a.types.find((t) => t.type === type)?.populationShare ?? 0);
  return {
    communes: new Map(),
    classes: [],
    areas: [{ layer: p.areaLevel, colors, fillOpacity: 0.75, width: 1 }],
    legend: {
      title: `Population couverte par un ${type} connu${p.fiction.included && p.fiction.count ? ' (fictifs compris)' : ''}`,
      items: CHOROPLETH.map((c) => ({ label: c.label, color: c.color, kind: 'fill' as const, opacity: 0.75 })),
    },
  };
}

/** "partiel", "complet au 30/11/2026", "inconnu". */
export function statusText(s: { status: string; completeAt: string | null } | undefined): string {
  if (!s) return 'inconnu';
  if (s.status === 'complet' && s.completeAt) return `complet au ${s.completeAt.split('-').reverse().join('/')}`;
  return s.status;
}

/** A share shown only with what it is a share of: "12,5 % (connus)". */
export function shareText(share: number, complete: boolean): string {
  return complete ? formatShare(share) : `${formatShare(share)} (connus)`;
}

/** The zone a sub-area row drills down to, or null at the bottom (a département). */
export function drillZone(p: Pick<Panorama, 'areaLevel' | 'within'>, code: string): string | null {
  if (p.within.kind === 'departement') return null;
  return `${p.areaLevel}:${code}`;
}
