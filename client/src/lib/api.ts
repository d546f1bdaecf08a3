// Typed access to the Millefeuille API. Errors carry the server's French `detail`
// (RFC 9457 problem+json) so the interface can show it as is.

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

export interface SearchResult {
  layer: string;
  code: string;
  name: string;
  type: string | null;
  population: number | null;
  detail: string | null;
}

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

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
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
  return (await res.json()) as T;
}

const seg = encodeURIComponent;

export const api = {
  config: () => getJson<{ basemapStyleUrl: string | null }>('/api/config'),
  layers: () => getJson<{ layers: LayerInfo[] }>('/api/layers').then((r) => r.layers),
  search: (q: string, signal?: AbortSignal, limit = 10) =>
    getJson<{ query: string; results: SearchResult[] }>(`/api/search?q=${seg(q)}&limit=${limit}`, signal).then((r) => r.results),
  territory: (layer: string, code: string, signal?: AbortSignal) =>
    getJson<Territory>(`/api/territories/${seg(layer)}/${seg(code)}`, signal),
  communes: (layer: string, code: string, signal?: AbortSignal) =>
    getJson<{ communes: MemberCommune[] }>(`/api/territories/${seg(layer)}/${seg(code)}/communes`, signal).then((r) => r.communes),
  schemes: () => getJson<{ schemes: SchemeSummary[] }>('/api/schemes').then((r) => r.schemes),
};

export function communesDownloadUrl(layer: string, code: string, format: 'csv' | 'geojson'): string {
  return `/api/territories/${seg(layer)}/${seg(code)}/communes?format=${format}`;
}
