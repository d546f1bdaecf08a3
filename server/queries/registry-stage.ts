// SQL of a registry CSV import in two parts (migration 013). Staging, outside any
// transaction and a few schemes per statement: each scheme's row, its région (the one
// holding most of its population, as core/registry/materialize.ts's updateSchemeRegions says) and its
// contour and statistics (as core/perimeters/derive.ts's derivePerimeters computes them: union of
// the member communes, count, population and area by share). Then, inside the import's
// transaction, a handful of set-wide statements copy the staged rows into the registry
// (with history) and the atlas' 'scheme' layer. Nothing visible changes before that
// transaction commits; the staged rows are removed at the end either way.
import type { Queryable } from '../../core/db/db.ts';
import type { RegistryCsvRow } from '../registry/csv.ts';
import { searchKey } from '../../core/search-key.ts';
import { SCHEME_RECORD } from '../../core/queries/registry.ts';

/** A scheme as staged: registry.scheme's columns (snake_case) and its communes. */
export interface StagedSchemeInput {
  ord: number;
  code: string;
  record: Record<string, unknown>;
  communes: { code: string; share: number }[];
  search_key: string;
}

/** Schemes staged per statement: each is the union of its communes, a few dozen at most. */
export const SCHEMES_PER_STATEMENT = 20;

/** A CSV row as the stage holds it: registry.scheme's columns, its communes and its search key. */
export function stagedScheme({ record }: RegistryCsvRow, ord: number): StagedSchemeInput {
  const { communes, ...f } = record;
  return {
    ord,
    code: f.code,
    communes,
    search_key: searchKey(f.name),
    record: {
      code: f.code,
      type: f.type,
      name: f.name,
      bearer_type: f.bearerType,
      bearer_name: f.bearerName,
      perimeter_ref: f.perimeterRef,
      signature_date: f.signatureDate,
      generation: f.generation,
      status: f.status,
      end_date: f.endDate,
      coordination_fte: f.coordinationFte,
      themes: f.themes,
      signatories: f.signatories,
      source: f.source,
      remark: f.remark,
    },
  };
}

const SQL = {
  stage: `INSERT INTO public.import_stage_scheme
      (key, ord, code, record, communes, search_key, region, geom, commune_count, population, area_km2)
    SELECT $1, x.ord, x.code, x.record, x.communes, x.search_key, r.region, g.geom, g.n, g.population,
      coalesce(g.area, ST_Area(g.geom::geography) / 1e6)
    FROM jsonb_to_recordset($2::jsonb) AS x(ord int, code text, record jsonb, communes jsonb, search_key text)
    CROSS JOIN LATERAL (
      SELECT count(*)::int AS n, ST_Multi(ST_CollectionExtract(ST_Union(c.geom), 3)) AS geom,
        sum(c.population * m.share) AS population, sum(c.area_km2 * m.share) AS area
      FROM jsonb_to_recordset(x.communes) AS m(code text, share double precision)
      JOIN atlas.commune c ON c.code = m.code) g
    LEFT JOIN LATERAL (
      SELECT c.region
      FROM jsonb_to_recordset(x.communes) AS m(code text, share double precision)
      JOIN atlas.commune c ON c.code = m.code
      GROUP BY c.region ORDER BY sum(c.population * m.share) DESC, c.region LIMIT 1) r ON true`,
  // the registry's records about to change, locked, kept for the history
  lock: `SELECT s.code FROM registry.scheme s
    WHERE s.code IN (SELECT code FROM public.import_stage_scheme WHERE key = $1) ORDER BY s.code FOR UPDATE`,
  keepBefore: `UPDATE public.import_stage_scheme st SET before = to_jsonb(r)
    FROM (SELECT ${SCHEME_RECORD} FROM registry.scheme s
          WHERE s.code IN (SELECT code FROM public.import_stage_scheme WHERE key = $1)) r
    WHERE st.key = $1 AND st.code = r.code`,
  upsert: `INSERT INTO registry.scheme (code, type, name, bearer_type, bearer_name, perimeter_ref, signature_date, generation,
      status, end_date, coordination_fte, themes, signatories, source, remark, region, source_kind, source_date)
    SELECT r.code, r.type, r.name, r.bearer_type, r.bearer_name, r.perimeter_ref, r.signature_date, r.generation,
      r.status, r.end_date, r.coordination_fte, coalesce(r.themes, '{}'), coalesce(r.signatories, '{}'),
      coalesce(r.source, $2), r.remark, st.region, 'import', current_date
    FROM public.import_stage_scheme st CROSS JOIN LATERAL jsonb_populate_record(NULL::registry.scheme, st.record) r
    WHERE st.key = $1
    ORDER BY st.ord
    ON CONFLICT (code) DO UPDATE SET type = excluded.type, name = excluded.name, bearer_type = excluded.bearer_type,
      bearer_name = excluded.bearer_name, perimeter_ref = excluded.perimeter_ref, signature_date = excluded.signature_date,
      generation = excluded.generation, status = excluded.status, end_date = excluded.end_date,
      coordination_fte = excluded.coordination_fte, themes = excluded.themes, signatories = excluded.signatories,
      source = excluded.source, remark = excluded.remark,
      -- a scheme without a known commune keeps the région it had
      region = coalesce(excluded.region, registry.scheme.region),
      source_kind = 'import', source_date = current_date, version = registry.scheme.version + 1, updated_at = now()`,
  deleteCommunes: `DELETE FROM registry.scheme_commune
    WHERE scheme IN (SELECT code FROM public.import_stage_scheme WHERE key = $1)`,
  insertCommunes: `INSERT INTO registry.scheme_commune (scheme, commune, share)
    SELECT st.code, m.code, m.share
    FROM public.import_stage_scheme st CROSS JOIN LATERAL jsonb_to_recordset(st.communes) AS m(code text, share double precision)
    WHERE st.key = $1`,
  // history rows in the file's order; `before` is JSON null for a created scheme, as addHistory writes it
  history: `INSERT INTO registry.history (scheme, version, user_id, user_email, action, before, after)
    SELECT st.code, r.version, $2, $3, 'import', coalesce(st.before, 'null'::jsonb), to_jsonb(r)
    FROM public.import_stage_scheme st
    JOIN (SELECT ${SCHEME_RECORD} FROM registry.scheme s
          WHERE s.code IN (SELECT code FROM public.import_stage_scheme WHERE key = $1)) r ON r.code = st.code
    WHERE st.key = $1
    ORDER BY st.ord`,
  counts: `SELECT count(*) FILTER (WHERE before IS NULL)::int AS created, count(*) FILTER (WHERE before IS NOT NULL)::int AS updated
    FROM public.import_stage_scheme WHERE key = $1`,
  deleteMemberships: `DELETE FROM atlas.membership
    WHERE layer = 'scheme' AND code IN (SELECT code FROM public.import_stage_scheme WHERE key = $1)`,
  deletePerimeters: `DELETE FROM atlas.perimeter
    WHERE layer = 'scheme' AND code IN (SELECT code FROM public.import_stage_scheme WHERE key = $1)`,
  // as materializeSchemes writes a scheme, its contour and statistics taken from the stage
  insertPerimeters: `INSERT INTO atlas.perimeter (layer, code, name, subtype, attrs, search_key, geom, commune_count, population, area_km2)
    SELECT 'scheme', s.code, s.name, s.type,
      jsonb_build_object('status', s.status, 'perimeterKnown', jsonb_array_length(st.communes) > 0),
      st.search_key, st.geom, st.commune_count, st.population, st.area_km2
    FROM public.import_stage_scheme st JOIN registry.scheme s ON s.code = st.code
    WHERE st.key = $1`,
  insertMemberships: `INSERT INTO atlas.membership (layer, code, commune, share)
    SELECT 'scheme', sc.scheme, sc.commune, sc.share
    FROM registry.scheme_commune sc JOIN atlas.commune c ON c.code = sc.commune
    WHERE sc.scheme IN (SELECT code FROM public.import_stage_scheme WHERE key = $1)`,
  // every instance forgets its scheme tiles once the transaction commits (data-changes.ts)
  dataChange: `INSERT INTO public.data_change (layer) VALUES ('scheme')`,
  unstage: `DELETE FROM public.import_stage_scheme WHERE key = $1`,
  stale: `DELETE FROM public.import_stage_scheme WHERE created_at <= now() - make_interval(secs => $1) RETURNING key`,
};

/** Stages a few schemes: their rows, région, contour and statistics. */
export async function stageSchemes(db: Queryable, key: string, schemes: StagedSchemeInput[]): Promise<void> {
  await db.query(SQL.stage, [key, JSON.stringify(schemes)]);
}

/**
 * Inside the import's transaction: writes the staged schemes into the registry (created
 * or replaced, with their communes, provenance and history) and the atlas' scheme layer.
 */
export async function writeStagedSchemes(
  tx: Queryable,
  key: string,
  user: { id: number | null; email: string | null; defaultSource: string },
): Promise<{ created: number; updated: number }> {
  await tx.query(SQL.lock, [key]);
  await tx.query(SQL.keepBefore, [key]);
  await tx.query(SQL.upsert, [key, user.defaultSource]);
  await tx.query(SQL.deleteCommunes, [key]);
  await tx.query(SQL.insertCommunes, [key]);
  await tx.query(SQL.history, [key, user.id, user.email]);
  await tx.query(SQL.deleteMemberships, [key]);
  await tx.query(SQL.deletePerimeters, [key]);
  await tx.query(SQL.insertPerimeters, [key]);
  await tx.query(SQL.insertMemberships, [key]);
  await tx.query(SQL.dataChange);
  const [counts] = await tx.query<{ created: number; updated: number }>(SQL.counts, [key]);
  return counts ?? { created: 0, updated: 0 };
}

/** Removes an import's staged schemes. */
export async function unstageSchemes(db: Queryable, key: string): Promise<void> {
  await db.query(SQL.unstage, [key]);
}

/** Removes the staged schemes of imports older than `seconds` (a crashed process left them); returns their keys. */
export async function removeStaleSchemeStages(db: Queryable, seconds: number): Promise<string[]> {
  return [...new Set((await db.query<{ key: string }>(SQL.stale, [seconds])).map((r) => r.key))];
}
