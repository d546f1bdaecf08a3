// Typed access to the Millefeuille API's read side: each function calls one endpoint of
// the contract (contract/*.ts) through lib/http.ts, and the payload types are the
// contract's. Errors carry the server's French `detail` (RFC 9457 problem+json).
import { endpoints as analysis } from '../../../contract/analysis.ts';
import { endpoints as search } from '../../../contract/search.ts';
import { endpoints as system } from '../../../contract/system.ts';
import { endpoints as territories } from '../../../contract/territories.ts';
import type { SearchHit } from '../../../contract/search.ts';
import type { z } from 'zod';
import { endpoints as schemeEndpoints, type schemeSummarySchema } from '../../../contract/schemes.ts';
import { ApiError, fetchJson, NO_ANSWER } from './http.ts';

export { ApiError };
export type { LayerInfo, Membership, MemberCommune, SchemeDetails, Territory } from '../../../contract/territories.ts';
export type { Entanglement, EntanglementLayer, EntanglementUnit } from '../../../contract/territories.ts';
export type {
  AreaGap,
  ComparePart,
  ComparePerimeter,
  Comparison,
  GapCommune,
  GapLevel,
  GapTotals,
  Gaps,
  LoadCommune,
  QpvGap,
  QpvGaps,
  SchemeLoad,
} from '../../../contract/analysis.ts';
export type SchemeSummary = z.infer<typeof schemeSummarySchema>;

/** One search result: the contract's type (contract/search.ts). */
export type SearchResult = SearchHit;

/** JSON of a URL built elsewhere (e.g. lib/panorama.ts), with the same French errors as `call`. */
export async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, { headers: { Accept: 'application/json' }, signal });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, NO_ANSWER);
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
  gaps: (layer: string, within: Zone, format?: 'csv' | 'geojson', by?: 'departement' | 'epci') =>
    `/api/gaps?${gapsQuery(layer, within)}${format ? `&format=${format}` : ''}${by ? `&by=${by}` : ''}`,
  qpvGaps: (within: Zone, format?: 'csv') => {
    const query = [within === 'france' ? '' : `within=${ref(within)}`, format ? `format=${format}` : ''].filter(Boolean).join('&');
    return `/api/gaps/qpv${query ? `?${query}` : ''}`;
  },
  load: (schemes: string[], format?: 'csv') =>
    `/api/load?${schemes.map((s) => `scheme=${seg(s)}`).join('&')}${format ? `&format=${format}` : ''}`,
};

export const api = {
  /** tilesUrl: base URL of static PMTiles archives (null: the live /tiles). */
  config: () => fetchJson(system.config),
  layers: () => fetchJson(territories.layers).then((r) => r.layers),
  /** Search by name or code, optionally only in some layers (scheme types accepted) or in one région. */
  search: (q: string, where: { layers?: string[]; region?: string | null } = {}, signal?: AbortSignal, limit = 10) =>
    fetchJson(search.search, {
      query: { q, layers: where.layers?.join(','), region: where.region ?? undefined, limit },
      signal,
    }).then((r) => r.results),
  territory: (layer: string, code: string, signal?: AbortSignal) => fetchJson(territories.territory, { params: { layer, code }, signal }),
  communes: (layer: string, code: string, signal?: AbortSignal) =>
    fetchJson(territories.communes, { params: { layer, code }, signal }).then((r) => r.communes),
  schemes: () => fetchJson(schemeEndpoints.list).then((r) => r.schemes),
  compare: (perimeters: { layer: string; code: string }[], signal?: AbortSignal) =>
    fetchJson(analysis.compare, { query: { p: perimeters.map((p) => `${p.layer}:${p.code}`) }, signal }),
  entanglement: (layer: string, code: string, signal?: AbortSignal) =>
    fetchJson(territories.entanglement, { params: { layer, code }, signal }),
  gaps: (layer: string, within: Zone, signal?: AbortSignal) =>
    fetchJson(analysis.gaps, { query: { layer, within: within === 'france' ? undefined : `${within.layer}:${within.code}` }, signal }),
  qpvGaps: (within: Zone, signal?: AbortSignal) =>
    fetchJson(analysis.qpvGaps, { query: { within: within === 'france' ? undefined : `${within.layer}:${within.code}` }, signal }),
  load: (schemes: string[], signal?: AbortSignal) =>
    fetchJson(analysis.load, { query: { scheme: schemes }, signal }).then((r) => r.schemes),
};

export function communesDownloadUrl(layer: string, code: string, format: 'csv' | 'geojson'): string {
  return `/api/territories/${seg(layer)}/${seg(code)}/communes?format=${format}`;
}
