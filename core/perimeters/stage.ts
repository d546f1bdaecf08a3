// The costly part of a polygon import, done before its transaction in short statements:
// checking and making the contours valid, then intersecting them with the communes one
// département at a time, into staging tables (migration 011). On the embedded database
// (one connection) a transaction holds every other request until it ends; between these
// statements, other requests run. The import's transaction then only copies the staged
// rows (write.ts), and nothing of the atlas changes before it: a failed, killed or dry run
// leaves the previous data as it was. The staged rows are removed at the end either way.
import { randomUUID } from 'node:crypto';
import type { Queryable } from '../db/db.ts';
import { CONTOUR, polygonShareSelect } from './derive.ts';
import { geometryText, type WirePlan } from './read-file.ts';

/** Contours made valid per statement: a few large ones at most. */
const CONTOURS_PER_STATEMENT = 20;

export interface StageProgress {
  (step: string, done?: number, total?: number | null): void;
}

export interface Staged {
  /** The import's rows in the staging tables. */
  key: string;
  invalid: { perimeter: string; feature: number; reason: string }[];
}

const SQL = {
  invalid: `SELECT s.code, s.idx AS feature, (ST_IsValidDetail(s.g)).reason AS reason
    FROM (SELECT x.code, x.idx, ST_SetSRID(ST_GeomFromGeoJSON(x.geometry), 4326) AS g
          FROM jsonb_to_recordset($1::jsonb) AS x(code text, idx int, geometry text)) s
    WHERE NOT (ST_IsValidDetail(s.g)).valid
    ORDER BY s.idx`,
  contour: `INSERT INTO public.import_stage_perimeter (key, code, geom)
    SELECT $1, x.code, ${CONTOUR} FROM jsonb_to_recordset($2::jsonb) AS x(code text, geometry text)`,
  // départements whose communes' boxes meet a contour's box: cheap, on the spatial index
  departements: `SELECT DISTINCT c.departement FROM atlas.commune c
    JOIN public.import_stage_perimeter s ON s.key = $1 AND s.geom && c.geom ORDER BY c.departement`,
  memberships: `INSERT INTO public.import_stage_membership (key, code, commune, share)
    SELECT $1, code, commune, share FROM (${polygonShareSelect(
      `(SELECT ''::text AS layer, code, geom FROM public.import_stage_perimeter WHERE key = $1 AND geom IS NOT NULL)`,
      `(SELECT code, geom FROM atlas.commune WHERE departement = $2)`,
      'true',
    )}) m`,
  dropPerimeters: `DELETE FROM public.import_stage_perimeter WHERE key = $1`,
  dropMemberships: `DELETE FROM public.import_stage_membership WHERE key = $1`,
  staleMemberships: `DELETE FROM public.import_stage_membership WHERE created_at <= now() - make_interval(secs => $1)`,
  stalePerimeters: `DELETE FROM public.import_stage_perimeter WHERE created_at <= now() - make_interval(secs => $1)
    RETURNING key`,
};

/** Stages the contours of a polygon plan (GeoJSON text) and their communes; returns the key write.ts reads them by. */
export async function stagePolygons(
  db: Queryable,
  plan: Pick<WirePlan, 'perimeters' | 'features'>,
  geometries: Uint8Array,
  progress: StageProgress,
): Promise<Staged> {
  const text = (ref: Parameters<typeof geometryText>[1]) => geometryText(geometries, ref);
  const key = randomUUID();
  const invalid: Staged['invalid'] = [];
  try {
    progress('contrôle des géométries', 0, plan.features.length);
    for (let i = 0; i < plan.features.length; i += CONTOURS_PER_STATEMENT) {
      const slice = plan.features.slice(i, i + CONTOURS_PER_STATEMENT);
      const rows = await db.query<{ code: string; feature: number; reason: string }>(SQL.invalid, [
        JSON.stringify(slice.map((f) => ({ code: f.code, idx: f.index, geometry: text(f.geometry) }))),
      ]);
      invalid.push(...rows.map((r) => ({ perimeter: r.code, feature: r.feature, reason: r.reason })));
      progress('contrôle des géométries', i + slice.length, plan.features.length);
    }
    const contoured = plan.perimeters.filter((p) => p.geometry);
    progress('contours rendus valides', 0, contoured.length);
    for (let i = 0; i < contoured.length; i += CONTOURS_PER_STATEMENT) {
      const slice = contoured.slice(i, i + CONTOURS_PER_STATEMENT);
      await db.query(SQL.contour, [key, JSON.stringify(slice.map((p) => ({ code: p.code, geometry: text(p.geometry!) })))]);
      progress('contours rendus valides', i + slice.length, contoured.length);
    }
    const departements = (await db.query<{ departement: string }>(SQL.departements, [key])).map((r) => r.departement);
    progress('communes recoupées', 0, departements.length);
    for (const [i, dep] of departements.entries()) {
      await db.query(SQL.memberships, [key, dep]);
      progress('communes recoupées', i + 1, departements.length);
    }
  } catch (err) {
    await unstage(db, key).catch(() => undefined);
    throw err;
  }
  return { key, invalid };
}

/** Removes an import's staged rows. */
export async function unstage(db: Queryable, key: string): Promise<void> {
  await db.query(SQL.dropMemberships, [key]);
  await db.query(SQL.dropPerimeters, [key]);
}

/** Removes the staged rows of imports older than `seconds` (a crashed process left them); returns their keys. */
export async function removeStaleStages(db: Queryable, seconds: number): Promise<string[]> {
  await db.query(SQL.staleMemberships, [seconds]);
  return [...new Set((await db.query<{ key: string }>(SQL.stalePerimeters, [seconds])).map((r) => r.key))];
}
