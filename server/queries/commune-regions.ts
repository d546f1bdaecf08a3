// SQL: the région of each commune of a perimeter, for the rule that keeps a
// coordinator's scheme inside its région (contract/permissions.ts).
import type { Queryable } from '../db/db.ts';

export async function communeRegions(db: Queryable, communes: { code: string }[]): Promise<{ code: string; region: string | null }[]> {
  if (!communes.length) return [];
  const codes = communes.map((c) => c.code);
  return db.query<{ code: string; region: string | null }>(
    `SELECT x.code, c.region FROM unnest($1::text[]) AS x(code) LEFT JOIN atlas.commune c ON c.code = x.code ORDER BY x.code`,
    [codes],
  );
}
