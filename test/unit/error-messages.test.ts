// Validation messages speak of what the person typed ("la recherche", "les couches"),
// never of raw parameter names or routes; programs still find the raw name in the
// problem's invalidParams member.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { FIELD_LABELS, fieldLabel, UNKNOWN_FIELD_LABEL } from '../../contract/field-labels.ts';
import { searchQuery } from '../../contract/search.ts';
import { describeZodError, problemOf } from '../../server/errors.ts';
import { openApiDocument } from '../../server/openapi/document.ts';

const failure = (schema: z.ZodType, input: unknown) => schema.safeParse(input).error!;

describe('validation messages', () => {
  it('names the search by what it is, keeps the raw name for programs', () => {
    const problem = problemOf(failure(searchQuery, { q: 'a'.repeat(201) }))!;
    expect(problem.status).toBe(400);
    expect(problem.detail).toBe('La recherche : trop longue (200 caractères au plus).');
    expect(problem.extra).toEqual({ invalidParams: [{ name: 'q', reason: 'trop longue (200 caractères au plus)' }] });
    expect(problemOf(failure(searchQuery, { layers: 'A;B' }))!.detail).toBe('Les couches : liste invalide (exemple : commune,epci).');
    expect(problemOf(failure(searchQuery, { limit: '1000' }))!.detail).toBe('Le nombre de résultats : un entier de 1 à 50 attendu.');
  });

  it('labels nested fields and list positions, and never shows an unknown raw name', () => {
    const schema = z.object({ communes: z.array(z.string().length(5, { message: 'code à 5 caractères' })), secret_field: z.string() });
    expect(describeZodError(failure(schema, { communes: ['63178', '1'], secret_field: 1 }))).toMatch(
      /^les communes \(n° 2\) : code à 5 caractères ; un paramètre : /,
    );
    expect(fieldLabel(['referents', 0, 'email'])).toBe('l’adresse électronique');
    expect(fieldLabel([])).toBe(UNKNOWN_FIELD_LABEL);
    expect(fieldLabel(['toString'])).toBe(UNKNOWN_FIELD_LABEL);
    // a refinement on the whole object has no field: the message alone, as a sentence
    const whole = z.object({ a: z.number() }).refine(() => false, { message: 'indiquez le périmètre' });
    expect(problemOf(failure(whole, { a: 1 }))!.detail).toBe('Indiquez le périmètre.');
  });

  it('has a French label for every parameter and body field of the API', () => {
    const doc = openApiDocument() as any;
    const names = new Set<string>();
    const walk = (s: any) => {
      if (!s || typeof s !== 'object') return;
      for (const [k, v] of Object.entries(s.properties ?? {})) {
        names.add(k);
        walk(v);
      }
      for (const k of ['items', 'anyOf', 'oneOf', 'allOf', 'additionalProperties']) [s[k]].flat().forEach(walk);
    };
    for (const ops of Object.values<any>(doc.paths)) {
      for (const op of Object.values<any>(ops)) {
        for (const p of op.parameters ?? []) names.add(p.name);
        walk(op.requestBody?.content?.['application/json']?.schema);
      }
    }
    expect(names.size).toBeGreaterThan(40);
    expect([...names].filter((n) => !Object.hasOwn(FIELD_LABELS, n))).toEqual([]);
  });
});
