// SQL for the scheme registry (read side).
import type { Queryable } from '../../core/db/db.ts';

export interface SchemeListRow {
  code: string;
  type: string;
  name: string;
  status: string | null;
  bearerType: string | null;
  bearerName: string | null;
  startDate: string | null;
  coordinationFte: number | null;
  communeCount: number;
  population: number | null;
  areaKm2: number | null;
  perimeterKnown: boolean;
}

export async function listSchemes(db: Queryable, type: string | null): Promise<SchemeListRow[]> {
  return db.query<SchemeListRow>(
    `SELECT s.code, s.type, s.name, s.status, s.bearer_type AS "bearerType", s.bearer_name AS "bearerName",
       s.signature_date AS "startDate", s.coordination_fte AS "coordinationFte",
       p.commune_count AS "communeCount", round(p.population)::float8 AS population,
       round(p.area_km2::numeric, 2)::float8 AS "areaKm2", p.commune_count > 0 AS "perimeterKnown"
     FROM registry.scheme s JOIN atlas.perimeter p ON p.layer = 'scheme' AND p.code = s.code
     WHERE $1::text IS NULL OR s.type = $1
     ORDER BY s.type, s.name`,
    [type],
  );
}
