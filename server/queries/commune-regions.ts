// SQL: the région of each commune of a perimeter, for the rule that keeps a
// coordinator's scheme inside its région (contract/permissions.ts), and the majority
// région of a perimeter, for a planner's right to create there.
import type { Queryable } from '../../core/db/db.ts';

export async function communeRegions(db: Queryable, communes: { code: string }[]): Promise<{ code: string; region: string | null }[]> {
  if (!communes.length) return [];
  const codes = communes.map((c) => c.code);
  return db.query<{ code: string; region: string | null }>(
    `SELECT x.code, c.region FROM unnest($1::text[]) AS x(code) LEFT JOIN atlas.commune c ON c.code = x.code ORDER BY x.code`,
    [codes],
  );
}

/** Majority région of a set of communes, by population counted with each commune's share. */
export async function majorityRegion(tx: Queryable, communes: { code: string; share: number }[]): Promise<string | null> {
  const [row] = await tx.query<{ region: string }>(
    `SELECT c.region FROM jsonb_to_recordset($1::jsonb) AS x(code text, share double precision)
     JOIN atlas.commune c ON c.code = x.code GROUP BY c.region ORDER BY sum(c.population * x.share) DESC, c.region LIMIT 1`,
    [JSON.stringify(communes)],
  );
  return row?.region ?? null;
}
