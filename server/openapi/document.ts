// The OpenAPI 3.1 description of the whole service, generated from the contract's
// endpoint descriptors (contract/index.ts) with zod's own JSON Schema output, so the
// document cannot say other than what the routes parse and answer.
import { z } from 'zod';
import { ENDPOINTS } from '../../contract/index.ts';
import type { Endpoint } from '../../contract/endpoint.ts';

type JsonSchema = Record<string, unknown> & { properties?: Record<string, JsonSchema>; required?: string[]; description?: string };

/** `/api/territories/:layer/:code` → `/api/territories/{layer}/{code}`. */
export function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z]\w*)/g, '{$1}');
}

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _s, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
  return rest;
}

function parameters(schema: z.ZodType | undefined, where: 'path' | 'query') {
  if (!schema) return [];
  const s = jsonSchema(schema, 'input');
  const required = new Set(s.required ?? []);
  return Object.entries(s.properties ?? {}).map(([name, p]) => ({
    name,
    in: where,
    required: where === 'path' || required.has(name),
    ...(p.description ? { description: p.description } : {}),
    schema: p,
  }));
}

function operation(e: Endpoint) {
  const status = String(e.status ?? 200);
  const content: Record<string, { schema: JsonSchema }> = {};
  if (e.response) content['application/json'] = { schema: jsonSchema(e.response, 'output') };
  for (const type of e.produces ?? []) content[type] ??= { schema: type.includes('json') ? { type: 'object' } : { type: 'string' } };
  const problem = {
    description: 'Erreur, en français (RFC 9457)',
    content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
  };
  return {
    tags: [e.tag],
    summary: e.summary,
    ...(e.description ? { description: e.description } : {}),
    operationId: `${e.method}${openApiPath(e.path).replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase())}`,
    parameters: [...parameters(e.params, 'path'), ...parameters(e.query, 'query')],
    ...(e.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(e.body, 'input') } } } } : {}),
    responses: {
      [status]: { description: status === '204' ? 'Fait, sans contenu' : 'Réponse', ...(Object.keys(content).length ? { content } : {}) },
      '4XX': problem,
      '5XX': problem,
    },
  };
}

/** The document served at /api/openapi.json. */
export function openApiDocument(endpoints: readonly Endpoint[] = ENDPOINTS) {
  const paths: Record<string, Record<string, ReturnType<typeof operation>>> = {};
  for (const e of endpoints) (paths[openApiPath(e.path)] ??= {})[e.method] = operation(e);
  return {
    openapi: '3.1.0',
    info: {
      title: 'Millefeuille — API de l’atlas des démarches territoriales de santé',
      version: '1',
      description:
        'Couches, territoires, recherche, analyses (comparaison, enchevêtrement, zones blanches, charge de coordination, panorama), ' +
        'registre des démarches, imports, signalements, comptes, tuiles vectorielles et OGC API – Features. ' +
        'Les erreurs sont des problèmes RFC 9457 (application/problem+json) dont le champ « detail » est en français. ' +
        'Les écritures demandent une session (cookie) et l’en-tête X-CSRF-Token. Les chiffres du registre disent ce qui est connu.',
    },
    tags: [...new Set(endpoints.map((e) => e.tag))].map((name) => ({ name })),
    paths,
    components: {
      schemas: {
        Problem: {
          type: 'object',
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string', description: 'Explication en français' },
            invalidParams: {
              type: 'array',
              description: 'Paramètres ou champs refusés (erreurs de validation) : nom technique et raison en français',
              items: {
                type: 'object',
                properties: { name: { type: 'string' }, reason: { type: 'string' } },
                required: ['name', 'reason'],
              },
            },
          },
          required: ['status', 'detail'],
        },
      },
    },
  };
}
