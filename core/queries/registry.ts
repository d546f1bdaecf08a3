// SQL for the scheme registry (write side): schemes with their communes, perimeter
// resolution, history, elected health referents.
import type { Queryable } from '../db/db.ts';

export interface SchemeRecord {
  code: string;
  type: string;
  name: string;
  bearerType: string | null;
  bearerName: string | null;
  perimeterRef: string | null;
  signatureDate: string | null;
  generation: number | null;
  status: string;
  endDate: string | null;
  coordinationFte: number | null;
  themes: string[];
  signatories: string[];
  region: string | null;
  source: string | null;
  /** reference | saisie | import | signalement */
  sourceKind: string;
  /** AAAA-MM-JJ the source was recorded. */
  sourceDate: string | null;
  remark: string | null;
  version: number;
  communes: { code: string; share: number }[];
}

export interface Provenance {
  kind: 'saisie' | 'import' | 'signalement';
  /** AAAA-MM-JJ; today when omitted. */
  date?: string | null;
}

/** The select list of a SchemeRecord over registry.scheme s. */
export const SCHEME_RECORD = `s.code, s.type, s.name, s.bearer_type AS "bearerType", s.bearer_name AS "bearerName",
  s.perimeter_ref AS "perimeterRef", s.signature_date AS "signatureDate", s.generation, s.status, s.end_date AS "endDate",
  s.coordination_fte AS "coordinationFte", s.themes, s.signatories, s.region, s.source,
  s.source_kind AS "sourceKind", to_char(s.source_date, 'YYYY-MM-DD') AS "sourceDate", s.remark, s.version,
  coalesce((SELECT json_agg(json_build_object('code', sc.commune, 'share', sc.share) ORDER BY sc.commune)
            FROM registry.scheme_commune sc WHERE sc.scheme = s.code), '[]'::json) AS communes`;

export async function getScheme(db: Queryable, code: string, forUpdate = false): Promise<SchemeRecord | null> {
  const [row] = await db.query<SchemeRecord>(
    `SELECT ${SCHEME_RECORD} FROM registry.scheme s WHERE s.code = $1 ${forUpdate ? 'FOR UPDATE' : ''}`,
    [code],
  );
  return row ?? null;
}

export async function allSchemes(db: Queryable): Promise<SchemeRecord[]> {
  return db.query<SchemeRecord>(`SELECT ${SCHEME_RECORD} FROM registry.scheme s ORDER BY s.code`);
}

export interface ResolvedPerimeter {
  members: { code: string; share: number }[];
  unknown: string[];
  rekeyed: { from: string; to: string }[];
}

/**
 * Communes of a perimeter given as picked communes, whole EPCI / PETR / PNR, and pasted
 * codes of any vintage (former codes lead to the current commune).
 */
export async function resolvePerimeter(
  db: Queryable,
  input: { communes: string[]; groups: { layer: string; code: string }[] },
): Promise<ResolvedPerimeter> {
  const codes = [...new Set(input.communes)];
  const found = await db.query<{ input: string; current: string | null; via_alias: boolean }>(
    `SELECT i AS input, coalesce(c.code, a.code) AS current, c.code IS NULL AND a.code IS NOT NULL AS via_alias
     FROM unnest($1::text[]) AS i
     LEFT JOIN atlas.commune c ON c.code = i
     LEFT JOIN LATERAL (SELECT code FROM atlas.commune_alias WHERE old_code = i ORDER BY code LIMIT 1) a ON true`,
    [codes],
  );
  const shares = new Map<string, number>();
  const unknown: string[] = [];
  const rekeyed: { from: string; to: string }[] = [];
  for (const f of found) {
    if (!f.current) unknown.push(f.input);
    else {
      if (f.via_alias) rekeyed.push({ from: f.input, to: f.current });
      shares.set(f.current, 1);
    }
  }
  for (const g of input.groups) {
    const members = await db.query<{ commune: string; share: number | null }>(
      `SELECT commune, share FROM atlas.membership WHERE layer = $1 AND code = $2`,
      [g.layer, g.code],
    );
    if (!members.length) unknown.push(`${g.layer}:${g.code}`);
    for (const m of members) shares.set(m.commune, Math.max(shares.get(m.commune) ?? 0, m.share ?? 1));
  }
  return {
    members: [...shares].map(([code, share]) => ({ code, share })).sort((a, b) => a.code.localeCompare(b.code)),
    unknown: unknown.sort(),
    rekeyed,
  };
}

export type SchemeFields = Omit<SchemeRecord, 'version' | 'communes' | 'region' | 'sourceKind' | 'sourceDate'>;

/** A scheme's fields as $1…$15 of insertScheme and updateScheme. */
const fieldParams = (s: SchemeFields) => [
  s.code,
  s.type,
  s.name,
  s.bearerType,
  s.bearerName,
  s.perimeterRef,
  s.signatureDate,
  s.generation,
  s.status,
  s.endDate,
  s.coordinationFte,
  s.themes,
  s.signatories,
  s.source,
  s.remark,
];

export async function insertScheme(tx: Queryable, s: SchemeFields, provenance: Provenance = { kind: 'saisie' }): Promise<void> {
  await tx.query(
    `INSERT INTO registry.scheme (code, type, name, bearer_type, bearer_name, perimeter_ref, signature_date, generation,
       status, end_date, coordination_fte, themes, signatories, source, remark, source_kind, source_date)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::text[], $13::text[], $14, $15, $16,
       coalesce($17::date, current_date))`,
    [...fieldParams(s), provenance.kind, provenance.date ?? null],
  );
}

/** Records where a scheme's current content comes from (an import, a signalling…). */
export async function setProvenance(tx: Queryable, code: string, source: string, provenance: Provenance): Promise<void> {
  await tx.query(
    `UPDATE registry.scheme SET source = $2, source_kind = $3, source_date = coalesce($4::date, current_date) WHERE code = $1`,
    [code, source, provenance.kind, provenance.date ?? null],
  );
}

/** Updates the fields and bumps the version; false when the version moved meanwhile. */
export async function updateScheme(tx: Queryable, s: SchemeFields, expectedVersion: number): Promise<boolean> {
  const rows = await tx.query(
    `UPDATE registry.scheme SET type = $2, name = $3, bearer_type = $4, bearer_name = $5, perimeter_ref = $6,
       signature_date = $7, generation = $8, status = $9, end_date = $10, coordination_fte = $11,
       themes = $12::text[], signatories = $13::text[], source = $14, remark = $15,
       version = version + 1, updated_at = now()
     WHERE code = $1 AND version = $16 RETURNING version`,
    [...fieldParams(s), expectedVersion],
  );
  return rows.length === 1;
}

export async function replaceCommunes(tx: Queryable, code: string, members: { code: string; share: number }[]) {
  await tx.query(`DELETE FROM registry.scheme_commune WHERE scheme = $1`, [code]);
  await tx.query(
    `INSERT INTO registry.scheme_commune (scheme, commune, share)
     SELECT $1, code, share FROM jsonb_to_recordset($2::jsonb) AS x(code text, share double precision)`,
    [code, JSON.stringify(members)],
  );
}

export async function bumpVersion(tx: Queryable, code: string): Promise<void> {
  await tx.query(`UPDATE registry.scheme SET version = version + 1, updated_at = now() WHERE code = $1`, [code]);
}

export async function addHistory(
  tx: Queryable,
  entry: {
    scheme: string;
    version: number;
    userId: number | null;
    userEmail: string | null;
    action: string;
    before: unknown;
    after: unknown;
  },
) {
  await tx.query(
    `INSERT INTO registry.history (scheme, version, user_id, user_email, action, before, after)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb)`,
    [entry.scheme, entry.version, entry.userId, entry.userEmail, entry.action, JSON.stringify(entry.before), JSON.stringify(entry.after)],
  );
}

export interface HistoryRow {
  id: number;
  version: number;
  at: string;
  /** The editor's account name and role (null: the reference import, or a deleted account). */
  userName: string | null;
  userRole: string | null;
  userEmail: string | null;
  action: string;
  before: SchemeRecord | Record<string, unknown> | null;
  after: SchemeRecord | Record<string, unknown> | null;
}

export async function listHistory(db: Queryable, code: string): Promise<HistoryRow[]> {
  return db.query<HistoryRow>(
    `SELECT h.id, h.version, h.at, u.name AS "userName", u.role AS "userRole",
       coalesce(u.email, h.user_email) AS "userEmail", h.action, h.before, h.after
     FROM registry.history h LEFT JOIN registry.app_user u ON u.id = h.user_id
     WHERE h.scheme = $1 ORDER BY h.id`,
    [code],
  );
}

export interface ReferentRow {
  commune: string;
  communeName: string;
  population: number;
  name: string | null;
  delegation: string | null;
  email: string | null;
  phone: string | null;
  hasCommittee: boolean;
  geometry?: string;
}

/** Every member commune of a scheme with its referent, if any. */
export async function listReferents(db: Queryable, code: string, withGeometry = false): Promise<ReferentRow[]> {
  return db.query<ReferentRow>(
    `SELECT sc.commune, c.name AS "communeName", c.population, r.name, r.delegation, r.email, r.phone,
       coalesce(r.has_committee, false) AS "hasCommittee"
       ${withGeometry ? ', ST_AsGeoJSON(c.geom, 5) AS geometry' : ''}
     FROM registry.scheme_commune sc
     JOIN atlas.commune c ON c.code = sc.commune
     LEFT JOIN registry.referent r ON r.scheme = sc.scheme AND r.commune = sc.commune
     WHERE sc.scheme = $1
     ORDER BY c.population DESC, sc.commune`,
    [code],
  );
}

export async function upsertReferent(
  tx: Queryable,
  code: string,
  commune: string,
  r: { name: string | null; delegation: string | null; email: string | null; phone: string | null; hasCommittee: boolean },
) {
  await tx.query(
    `INSERT INTO registry.referent (scheme, commune, name, delegation, email, phone, has_committee)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (scheme, commune) DO UPDATE SET name = excluded.name, delegation = excluded.delegation,
       email = excluded.email, phone = excluded.phone, has_committee = excluded.has_committee, updated_at = now()`,
    [code, commune, r.name, r.delegation, r.email, r.phone, r.hasCommittee],
  );
}

/** A commune's referent as the history keeps it: without contact details. */
export async function referentForHistory(
  tx: Queryable,
  code: string,
  commune: string,
): Promise<{ name: string | null; delegation: string | null; hasCommittee: boolean } | null> {
  const [row] = await tx.query<{ name: string | null; delegation: string | null; hasCommittee: boolean }>(
    `SELECT name, delegation, has_committee AS "hasCommittee" FROM registry.referent WHERE scheme = $1 AND commune = $2`,
    [code, commune],
  );
  return row ?? null;
}

/** The région of a scheme with no commune yet: its creator's. */
export async function setSchemeRegion(tx: Queryable, code: string, region: string): Promise<void> {
  await tx.query(`UPDATE registry.scheme SET region = $2 WHERE code = $1`, [code, region]);
}

export async function deleteReferent(tx: Queryable, code: string, commune: string): Promise<boolean> {
  return (await tx.query(`DELETE FROM registry.referent WHERE scheme = $1 AND commune = $2 RETURNING 1`, [code, commune])).length > 0;
}

/** The communes of a scheme as they were at a version (from the history), or null. */
export async function pastSchemeCommunes(db: Queryable, code: string, version: number): Promise<{ code: string; share: number }[] | null> {
  const [row] = await db.query<{ communes: { code: string; share: number }[] | null }>(
    `SELECT after->'communes' AS communes FROM registry.history
     WHERE scheme = $1 AND version <= $2 AND after ? 'communes' ORDER BY version DESC, id DESC LIMIT 1`,
    [code, version],
  );
  const [current] = await db.query<{ version: number }>(`SELECT version FROM registry.scheme WHERE code = $1`, [code]);
  if (!current || version < 1 || version > current.version) return null;
  return row?.communes ?? null;
}
