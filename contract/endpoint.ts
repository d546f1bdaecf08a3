// What crosses the wire, described once: every HTTP route of the API is an `Endpoint`
// (method, path, French summary, zod schemas of its parameters, query, body and answer).
// The server parses requests with these schemas, the client builds its typed fetch
// functions from them, and the OpenAPI document is generated from them. Nothing here may
// import Node modules: the client bundles this folder.
import type { z } from 'zod';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface Endpoint<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
  R extends z.ZodType = z.ZodType,
> {
  method: Method;
  /** Express-style path, e.g. `/api/territories/:layer/:code`. */
  path: string;
  /** One French sentence for the OpenAPI document and the reference page. */
  summary: string;
  /** Longer French description (optional). */
  description?: string;
  /** Group in the reference page (e.g. "Registre", "Analyses"). */
  tag: string;
  params?: P;
  query?: Q;
  body?: B;
  /** Schema of the JSON answer (200/201/202). Omit for non-JSON answers. */
  response?: R;
  /** Media types other than JSON this route can answer (e.g. text/csv, application/geo+json). */
  produces?: string[];
  /** Status of a success (200 unless said). */
  status?: number;
}

/** Identity helper that keeps the literal types of an endpoint. */
export function endpoint<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, R extends z.ZodType>(
  e: Endpoint<P, Q, B, R>,
): Endpoint<P, Q, B, R> {
  return e;
}
