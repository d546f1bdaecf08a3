// The registry (schema registry) is where schemes are edited; the atlas serves them as
// perimeters of layer 'scheme'. This module seeds the registry from the reference CSV
// the first time, and materialises registry schemes into an atlas schema: perimeter
// rows, commune memberships, then derived geometry and statistics.
import { derivePerimeters, type AtlasSchema } from '../perimeters/derive.ts';
import type { MembershipRow, SchemeRow } from '../model.ts';
import type { Queryable } from '../db/db.ts';
import { addHistory, allSchemes } from '../queries/registry.ts';
import { searchKey } from '../search-key.ts';

export async function seedRegistryIfEmpty(tx: Queryable, schemes: SchemeRow[], members: MembershipRow[]): Promise<boolean> {
  const [row] = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM registry.scheme');
  if (row && row.n > 0) return false;
  await tx.query(
    `INSERT INTO registry.scheme (code, type, name, bearer_type, bearer_name, perimeter_ref, signature_date, generation,
       status, coordination_fte, source, remark)
     SELECT code, type, name, bearer_type, bearer_name, perimeter_ref, signature_date, generation,
       coalesce(status, 'en_cours'), coordination_fte, source, remark
     FROM jsonb_to_recordset($1::jsonb) AS x(code text, type text, name text, bearer_type text, bearer_name text,
       perimeter_ref text, signature_date text, generation int, status text, coordination_fte double precision,
       source text, remark text)`,
    [
      JSON.stringify(
        schemes.map((s) => ({
          code: s.code,
          type: s.type,
          name: s.name,
          bearer_type: s.bearerType,
          bearer_name: s.bearerName,
          perimeter_ref: s.perimeterRef,
          signature_date: s.startDate,
          generation: s.generation,
          status: s.status,
          coordination_fte: s.coordinationFte,
          source: s.source,
          remark: s.remark,
        })),
      ),
    ],
  );
  await tx.query(
    `INSERT INTO registry.scheme_commune (scheme, commune, share)
     SELECT code, commune, coalesce(share, 1) FROM jsonb_to_recordset($1::jsonb) AS x(code text, commune text, share double precision)
     ON CONFLICT DO NOTHING`,
    [JSON.stringify(members)],
  );
  for (const scheme of await allSchemes(tx)) {
    await addHistory(tx, {
      scheme: scheme.code,
      version: 1,
      userId: null,
      userEmail: null,
      action: 'création (registre de référence)',
      before: null,
      after: scheme,
    });
  }
  return true;
}

/** Région holding most of the scheme's population: the ARS region that oversees it. */
export async function updateSchemeRegions(tx: Queryable, schema: AtlasSchema, codes: string[] | null) {
  await tx.query(
    `UPDATE registry.scheme s SET region = r.region
     FROM (SELECT DISTINCT ON (sc.scheme) sc.scheme, c.region
           FROM registry.scheme_commune sc JOIN ${schema}.commune c ON c.code = sc.commune
           -- only the schemes asked for: an edit costs its scheme, not the whole registry
           WHERE $1::text[] IS NULL OR sc.scheme = ANY($1::text[])
           GROUP BY sc.scheme, c.region
           ORDER BY sc.scheme, sum(c.population * sc.share) DESC, c.region) r
     WHERE s.code = r.scheme AND ($1::text[] IS NULL OR s.code = ANY($1::text[]))`,
    [codes],
  );
}

/** Rewrites the 'scheme' perimeters of an atlas schema from the registry (all, or some codes). */
export async function materializeSchemes(tx: Queryable, schema: AtlasSchema, codes: string[] | null) {
  await updateSchemeRegions(tx, schema, codes);
  await tx.query(`DELETE FROM ${schema}.membership WHERE layer = 'scheme' AND ($1::text[] IS NULL OR code = ANY($1::text[]))`, [codes]);
  await tx.query(`DELETE FROM ${schema}.perimeter WHERE layer = 'scheme' AND ($1::text[] IS NULL OR code = ANY($1::text[]))`, [codes]);
  const schemes = await tx.query<{ code: string; name: string; type: string; status: string; members: number }>(
    `SELECT s.code, s.name, s.type, s.status, (SELECT count(*)::int FROM registry.scheme_commune sc WHERE sc.scheme = s.code) AS members
     FROM registry.scheme s WHERE $1::text[] IS NULL OR s.code = ANY($1::text[])`,
    [codes],
  );
  await tx.query(
    `INSERT INTO ${schema}.perimeter (layer, code, name, subtype, attrs, search_key)
     SELECT 'scheme', code, name, type, attrs, search_key
     FROM jsonb_to_recordset($1::jsonb) AS x(code text, name text, type text, attrs jsonb, search_key text)`,
    [
      JSON.stringify(
        schemes.map((s) => ({
          code: s.code,
          name: s.name,
          type: s.type,
          attrs: { status: s.status, perimeterKnown: s.members > 0 },
          search_key: searchKey(s.name),
        })),
      ),
    ],
  );
  await tx.query(
    `INSERT INTO ${schema}.membership (layer, code, commune, share)
     SELECT 'scheme', sc.scheme, sc.commune, sc.share
     FROM registry.scheme_commune sc JOIN ${schema}.commune c ON c.code = sc.commune
     WHERE $1::text[] IS NULL OR sc.scheme = ANY($1::text[])`,
    [codes],
  );
  await derivePerimeters(tx, schema, ['scheme'], () => {}, { layer: 'scheme', codes: schemes.map((s) => s.code) });
  // every instance forgets its scheme tiles once the transaction commits (data-changes.ts)
  if (schema === 'atlas') await tx.query(`INSERT INTO public.data_change (layer) VALUES ('scheme')`);
}
