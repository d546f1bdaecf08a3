// SQL for the bulk scheme import: the communes and EPCI a name may designate within a
// département or a région, and the région holding most of each perimeter's population.
import type { Queryable } from '../../core/db/db.ts';

export interface NameCandidate {
  kind: 'commune' | 'epci';
  code: string;
  name: string;
  /** Folded name (core/search-key.ts). */
  key: string;
}

/** Communes of the scope and the EPCI having a commune in it, with their search keys. */
export async function scopeCandidates(db: Queryable, kind: 'region' | 'departement', code: string): Promise<NameCandidate[]> {
  return db.query<NameCandidate>(
    `WITH c AS (SELECT code, name, search_key FROM atlas.commune WHERE CASE WHEN $1 = 'region' THEN region ELSE departement END = $2)
     SELECT 'commune' AS kind, code, name, search_key AS key FROM c
     UNION ALL
     SELECT DISTINCT 'epci', p.code, p.name, p.search_key FROM atlas.perimeter p
     JOIN atlas.membership m ON m.layer = p.layer AND m.code = p.code
     WHERE p.layer = 'epci' AND m.commune IN (SELECT code FROM c)`,
    [kind, code],
  );
}

/** Région holding most of the population of each perimeter. */
export async function majorityRegions(
  db: Queryable,
  items: { code: string; members: { code: string; share: number }[] }[],
): Promise<Map<string, string>> {
  if (!items.length) return new Map();
  const rows = await db.query<{ code: string; region: string }>(
    `SELECT DISTINCT ON (x.scheme) x.scheme AS code, c.region
     FROM jsonb_to_recordset($1::jsonb) AS x(scheme text, commune text, share double precision)
     JOIN atlas.commune c ON c.code = x.commune
     GROUP BY x.scheme, c.region
     ORDER BY x.scheme, sum(c.population * x.share) DESC, c.region`,
    [JSON.stringify(items.flatMap((i) => i.members.map((m) => ({ scheme: i.code, commune: m.code, share: m.share }))))],
  );
  return new Map(rows.map((r) => [r.code, r.region]));
}
