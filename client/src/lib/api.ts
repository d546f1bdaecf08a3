// Typed access to the Millefeuille API. Errors carry the server's French `detail`
// (RFC 9457 problem+json) so the interface can show it as is.
import type { SearchHit } from '../../../contract/search.ts';

export interface SchemeTypeInfo {
  id: string;
  type: string;
  count: number;
}

export interface LayerInfo {
  id: string;
  name: string;
  kind: string;
  vintage: string;
  source: string;
  licence: string;
  fictif: boolean;
  count: number;
  types?: SchemeTypeInfo[];
}

/** One search result: the contract's type (contract/search.ts). */
export type SearchResult = SearchHit;

export interface SchemeDetails {
  type: string;
  bearerType: string | null;
  bearerName: string | null;
  startDate: string | null;
  generation: number | null;
  coordinationFte: number | null;
  status: string | null;
  source: string | null;
  remark: string | null;
}

export interface Membership {
  layer: string;
  code: string;
  name: string;
  type: string | null;
  /** Part of the sheet's territory inside that perimeter (null: unknown). */
  share: number | null;
  /** Part of that perimeter inside the sheet's territory. */
  shareOfOther: number | null;
  fictif: boolean;
}

export interface Territory {
  layer: string;
  code: string;
  name: string;
  type: string | null;
  fictif: boolean;
  population: number | null;
  areaKm2: number | null;
  communeCount: number | null;
  bbox: [number, number, number, number] | null;
  attributes: Record<string, unknown>;
  scheme?: SchemeDetails;
  memberships: Membership[];
}

export interface MemberCommune {
  code: string;
  name: string;
  population: number | null;
  share: number | null;
  departement: string | null;
}

export interface SchemeSummary {
  code: string;
  type: string;
  name: string;
  status: string | null;
  bearerType: string | null;
  bearerName: string | null;
  startDate: string | null;
  coordinationFte: number | null;
  communeCount: number | null;
  population: number | null;
  areaKm2: number | null;
  perimeterKnown: boolean;
}

// The analyses (issue 4): compare, entanglement, coverage gaps, coordination load.

export interface ComparePerimeter {
  key: string;
  layer: string;
  code: string;
  name: string;
  type: string | null;
  fictif: boolean;
  communeCount: number | null;
  population: number | null;
}

export interface ComparePart {
  /** Keys of the perimeters this part lies in: ['A'] is "A seul", ['A', 'B'] "A ∩ B". */
  members: string[];
  label: string;
  communeCount: number;
  /** Communes where some perimeter's part is unknown (no contour): figures are null. */
  unknownShare: boolean;
  /** One mark per perimeter, in order: ■ inside, □ outside. */
  pattern: string;
  /** Communes counted by the share of each that falls in the part. */
  communeEquivalent: number | null;
  population: number | null;
  areaKm2: number | null;
  communes: { code: string; name: string; share: number | null }[];
}

export interface Comparison {
  perimeters: ComparePerimeter[];
  parts: ComparePart[];
  alignments: { a: string; b: string; alignment: number | null; reason: string | null }[];
  unknownShares: { reason: string; communeCount: number; perimeters: string[]; detail: string } | null;
  method: string;
}

export interface EntanglementUnit {
  layer: string;
  code: string;
  name: string;
  type: string | null;
  fictif: boolean;
  /** Part of the territory (by population) lying in the unit (null: unknown, no contour). */
  shareOfTerritory: number | null;
  /** Part of the unit lying inside the territory (null: unknown). */
  insideShare: number | null;
  cut: boolean | null;
}

export interface EntanglementLayer {
  layer: string;
  unitCount: number;
  cutCount: number;
  coverage: number | null;
  fragmentation: number | null;
  unknownCount: number;
  reason: string | null;
  units: EntanglementUnit[];
}

export interface Entanglement {
  territory: { layer: string; code: string; name: string; type: string | null; population: number | null; communeCount: number | null };
  method: string;
  layers: EntanglementLayer[];
}

export interface GapTotals {
  communeCount: number;
  population: number;
  areaKm2: number;
}

export interface GapCommune {
  code: string;
  name: string;
  population: number;
  areaKm2: number;
}

export interface Gaps {
  layer: string;
  within: { layer: string; code: string; name: string } | null;
  zone: GapTotals;
  uncovered: GapTotals & { share: number; communes: GapCommune[] };
  partlyCovered: GapTotals & { communes: (GapCommune & { covered: number | null })[] };
}

export interface QpvGap {
  code: string;
  name: string;
  generation: string | null;
  communes: string[];
  population: number | null;
}

export interface QpvGaps {
  within: { layer: string; code: string; name: string } | null;
  qpvCount: number;
  uncovered: { count: number; share: number; qpv: QpvGap[] };
}

export interface LoadCommune {
  code: string;
  name: string;
  population: number;
  areaKm2: number;
  share: number;
  distanceKm: number;
}

export interface SchemeLoad {
  code: string;
  name: string;
  type: string | null;
  fictif: boolean;
  communeCount: number;
  population: number;
  areaKm2: number;
  coordinationFte: number | null;
  perFte: { communes: number; population: number; areaKm2: number } | null;
  centralTown: { code: string; name: string; reason: 'porteur' | 'plus-peuplee' } | null;
  distanceKm: { median: number; max: number } | null;
  communes: LoadCommune[];
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, { headers: { Accept: 'application/json' }, signal });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'Le serveur ne répond pas. Vérifiez votre connexion puis réessayez.');
  }
  if (!res.ok) {
    let detail = `Erreur ${res.status} du serveur.`;
    try {
      const body = (await res.json()) as { detail?: unknown };
      if (typeof body.detail === 'string') detail = body.detail;
    } catch {
      // not a problem+json body: keep the generic message
    }
    throw new ApiError(res.status, detail);
  }
  return (await readJson(res)) as T;
}

/** The JSON body of an answer; a cut or garbled one is a French error, not the parser's English. */
export async function readJson(res: Response): Promise<unknown> {
  try {
    return await res.json();
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'La réponse du serveur est incomplète ou illisible. Réessayez.');
  }
}

const seg = encodeURIComponent;

/** "layer:code" as the analyses take it. */
const ref = (r: { layer: string; code: string }) => `${r.layer}:${seg(r.code)}`;

export type Zone = { layer: string; code: string } | 'france';

function gapsQuery(layer: string, within: Zone): string {
  return `layer=${seg(layer)}${within === 'france' ? '' : `&within=${ref(within)}`}`;
}

export const analysisUrls = {
  compare: (perimeters: { layer: string; code: string }[], format?: 'csv' | 'geojson') =>
    `/api/compare?${perimeters.map((p) => `p=${ref(p)}`).join('&')}${format ? `&format=${format}` : ''}`,
  entanglement: (layer: string, code: string, format?: 'csv') =>
    `/api/territories/${seg(layer)}/${seg(code)}/entanglement${format ? `?format=${format}` : ''}`,
  gaps: (layer: string, within: Zone, format?: 'csv' | 'geojson') =>
    `/api/gaps?${gapsQuery(layer, within)}${format ? `&format=${format}` : ''}`,
  qpvGaps: (within: Zone, format?: 'csv') => {
    const query = [within === 'france' ? '' : `within=${ref(within)}`, format ? `format=${format}` : ''].filter(Boolean).join('&');
    return `/api/gaps/qpv${query ? `?${query}` : ''}`;
  },
  load: (schemes: string[], format?: 'csv') =>
    `/api/load?${schemes.map((s) => `scheme=${seg(s)}`).join('&')}${format ? `&format=${format}` : ''}`,
};

export const api = {
  /** tilesUrl: base URL of static PMTiles archives (absent or null: the live /tiles). */
  config: () => getJson<{ basemapStyleUrl: string | null; tilesUrl?: string | null }>('/api/config'),
  layers: () => getJson<{ layers: LayerInfo[] }>('/api/layers').then((r) => r.layers),
  search: (q: string, signal?: AbortSignal, limit = 10) =>
    getJson<{ query: string; results: SearchResult[] }>(`/api/search?q=${seg(q)}&limit=${limit}`, signal).then((r) => r.results),
  territory: (layer: string, code: string, signal?: AbortSignal) =>
    getJson<Territory>(`/api/territories/${seg(layer)}/${seg(code)}`, signal),
  communes: (layer: string, code: string, signal?: AbortSignal) =>
    getJson<{ communes: MemberCommune[] }>(`/api/territories/${seg(layer)}/${seg(code)}/communes`, signal).then((r) => r.communes),
  schemes: () => getJson<{ schemes: SchemeSummary[] }>('/api/schemes').then((r) => r.schemes),
  searchIn: (q: string, layers: string[], signal?: AbortSignal, limit = 10) =>
    getJson<{ query: string; results: SearchResult[] }>(`/api/search?q=${seg(q)}&layers=${layers.join(',')}&limit=${limit}`, signal).then(
      (r) => r.results,
    ),
  compare: (perimeters: { layer: string; code: string }[], signal?: AbortSignal) =>
    getJson<Comparison>(analysisUrls.compare(perimeters), signal),
  entanglement: (layer: string, code: string, signal?: AbortSignal) =>
    getJson<Entanglement>(analysisUrls.entanglement(layer, code), signal),
  gaps: (layer: string, within: Zone, signal?: AbortSignal) => getJson<Gaps>(analysisUrls.gaps(layer, within), signal),
  qpvGaps: (within: Zone, signal?: AbortSignal) => getJson<QpvGaps>(analysisUrls.qpvGaps(within), signal),
  load: (schemes: string[], signal?: AbortSignal) =>
    getJson<{ schemes: SchemeLoad[] }>(analysisUrls.load(schemes), signal).then((r) => r.schemes),
};

export function communesDownloadUrl(layer: string, code: string, format: 'csv' | 'geojson'): string {
  return `/api/territories/${seg(layer)}/${seg(code)}/communes?format=${format}`;
}
