// The client's one way to call the API: `call(endpoint, input)` builds the URL from the
// contract's endpoint descriptor (path parameters, query), sends the session's CSRF token
// on writes, and types the answer by the endpoint's answer schema. Every failure is an
// `ApiError` carrying the server's French problem+json `detail` and its body.
import type { z } from 'zod';
import type { Endpoint } from '../../../contract/endpoint.ts';

/** An API error: the HTTP status (0: no answer), the French detail and the problem's body. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const NO_ANSWER = 'Le serveur ne répond pas. Vérifiez votre connexion puis réessayez.';

/** The CSRF token of the session, kept in memory only (read again from /api/auth/me on load). */
let csrfToken: string | null = null;
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

type Input<S> = S extends z.ZodType ? z.input<S> : never;
type AnyEndpoint = Endpoint<z.ZodType, z.ZodType, z.ZodType, z.ZodType>;
export type Answer<E> = E extends Endpoint<z.ZodType, z.ZodType, z.ZodType, infer R> ? z.output<R> : never;

export interface CallInput<E extends AnyEndpoint> {
  params?: Input<E['params']>;
  query?: Partial<Input<E['query']>>;
  body?: Input<E['body']>;
  /** A file sent as is (uploads). */
  raw?: Blob;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** The URL of an endpoint: path parameters filled in, query parameters appended (lists repeated). */
export function endpointUrl(e: { path: string }, params: object = {}, query: object = {}): string {
  const values = params as Record<string, unknown>;
  const path = e.path.replace(/:([A-Za-z]\w*)/g, (_m, k: string) => encodeURIComponent(String(values[k])));
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query))
    for (const item of Array.isArray(v) ? v : [v]) if (item !== undefined && item !== null) q.append(k, String(item));
  const text = q.toString().replace(/%3A/g, ':').replace(/%2C/g, ',');
  return text ? `${path}?${text}` : path;
}

async function problem(res: Response): Promise<ApiError> {
  let detail = `Erreur ${res.status} du serveur.`;
  let body: Record<string, unknown> = {};
  try {
    body = (await res.json()) as Record<string, unknown>;
    if (typeof body.detail === 'string') detail = body.detail;
  } catch {
    // not a problem+json body: keep the generic message
  }
  return new ApiError(res.status, detail, body);
}

/** Calls an endpoint of the contract; the answer (undefined for 204) and its ETag. */
export async function call<E extends AnyEndpoint>(e: E, input: CallInput<E> = {}): Promise<{ data: Answer<E>; etag: string | null }> {
  const method = e.method.toUpperCase();
  const headers: Record<string, string> = { Accept: 'application/json', ...input.headers };
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let body: BodyInit | undefined;
  if (input.raw) {
    body = input.raw;
    headers['Content-Type'] = 'application/octet-stream';
  } else if (input.body !== undefined) {
    body = JSON.stringify(input.body);
    headers['Content-Type'] = 'application/json';
  }
  let res: Response;
  try {
    res = await fetch(endpointUrl(e, input.params ?? {}, input.query ?? {}), {
      method,
      headers,
      body,
      credentials: 'same-origin',
      signal: input.signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, NO_ANSWER);
  }
  if (!res.ok) throw await problem(res);
  const data = (res.status === 204 ? undefined : await res.json()) as Answer<E>;
  return { data, etag: res.headers.get('ETag') };
}

/** The answer alone. */
export const fetchJson = <E extends AnyEndpoint>(e: E, input?: CallInput<E>): Promise<Answer<E>> => call(e, input).then((r) => r.data);
