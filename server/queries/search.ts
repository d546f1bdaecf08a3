// SQL for search: name keys built by server/search/normalize.ts, matched as substrings;
// an exact code first (a former commune code leads to its current commune), then exact
// names, names starting with the query, and by population.
import type { Queryable } from '../db/db.ts';

export interface SearchHit {
  layer: string;
  code: string;
  name: string;
  type: string | null;
  population: number | null;
  detail: string | null;
}

export async function searchTerritories(
  db: Queryable,
  key: string,
  code: string | null,
  layers: string[] | null,
  limit: number,
): Promise<SearchHit[]> {
  return db.query<SearchHit>(
    `WITH former AS (SELECT code FROM atlas.commune_alias WHERE old_code = $2),
     entries AS (
       SELECT 'commune' AS layer, c.code, c.name, NULL::text AS type, c.population::float8 AS population,
              d.name || ' (' || c.departement || ')' AS detail, c.search_key,
              c.code IN (SELECT code FROM former) AS former
       FROM atlas.commune c LEFT JOIN atlas.perimeter d ON d.layer = 'departement' AND d.code = c.departement
       UNION ALL
       SELECT p.layer, p.code, p.name, p.subtype, p.population,
              CASE WHEN p.fictif THEN 'exemple fictif' END, p.search_key, false
       FROM atlas.perimeter p
     )
     SELECT layer, code, name, type, round(population)::float8 AS population, detail FROM entries
     WHERE ($4::text[] IS NULL OR layer = ANY($4::text[]))
       AND (code = $2 OR former OR ($1 <> '' AND search_key LIKE '%' || $1 || '%'))
     ORDER BY (code = $2 OR former) DESC, (search_key = $1) DESC, (search_key LIKE $1 || '%') DESC,
              (layer IN ('arrondissement', 'region', 'departement')) ASC,
              population DESC NULLS LAST, name
     LIMIT $3`,
    [key, code, limit, layers],
  );
}
