// The scope of a perimeter import: a département, a région or the whole country. An
// import replaces only the units of its layer that lie within its scope — units at least
// half of whose member communes are inside — and leaves every other unit untouched; the
// units it brings must lie within the scope by the same rule.
import type { Queryable } from '../db/db.ts';
import { PerimeterImportError } from './errors.ts';

export type Scope = { kind: 'departement' | 'region'; code: string } | { kind: 'pays'; code: null };

export interface ScopeInfo {
  kind: Scope['kind'];
  code: string | null;
  /** "Puy-de-Dôme (63)", "Auvergne-Rhône-Alpes (84)", "France entière". */
  label: string;
  /** Région of the scope (null for the country). */
  region: string | null;
}

export const SCOPE_SYNTAX = 'departement:63, region:84 ou pays';

/** "departement:63" | "region:84" | "pays" (also "france"); codes as INSEE writes them. */
export function parseScope(text: string): Scope {
  const t = text.trim().toLowerCase();
  if (t === 'pays' || t === 'france') return { kind: 'pays', code: null };
  const m = /^(departement|département|region|région):([0-9]{2,3}|2a|2b)$/.exec(t);
  if (!m) throw new PerimeterImportError(`Zone d'import illisible : « ${text} » (attendu : ${SCOPE_SYNTAX}).`);
  return { kind: m[1]!.startsWith('d') ? 'departement' : 'region', code: m[2]!.toUpperCase() };
}

export const formatScope = (s: Pick<Scope, 'kind' | 'code'>) => (s.kind === 'pays' ? 'pays' : `${s.kind}:${s.code}`);

/** Checks the scope names a real département or région of the atlas, and names it. */
export async function describeScope(db: Queryable, scope: Scope): Promise<ScopeInfo> {
  if (scope.kind === 'pays') return { kind: 'pays', code: null, label: 'France entière', region: null };
  const [row] = await db.query<{ name: string | null; region: string }>(
    `SELECT (SELECT name FROM atlas.perimeter WHERE layer = $1 AND code = $2) AS name, min(c.region) AS region
     FROM atlas.commune c WHERE (CASE WHEN $1 = 'region' THEN c.region ELSE c.departement END) = $2`,
    [scope.kind, scope.code],
  );
  if (!row?.region) {
    throw new PerimeterImportError(
      `${scope.kind === 'region' ? 'Région' : 'Département'} inconnu${scope.kind === 'region' ? 'e' : ''} : « ${scope.code} ».`,
    );
  }
  return { kind: scope.kind, code: scope.code, label: `${row.name ?? scope.code} (${scope.code})`, region: row.region };
}

/**
 * SQL condition "unit p lies within the scope ($kind, $code)": at least half of its member
 * communes inside (a unit without members is within no scope but the country's).
 */
export const withinScopeSql = (kind: string, code: string) => `($${kind}::text = 'pays' OR (
  SELECT count(*) > 0 AND count(*) FILTER (WHERE CASE WHEN $${kind}::text = 'region' THEN c.region ELSE c.departement END = $${code}::text) * 2 >= count(*)
  FROM atlas.membership sm JOIN atlas.commune c ON c.code = sm.commune
  WHERE sm.layer = p.layer AND sm.code = p.code))`;
