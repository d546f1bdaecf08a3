// SQL for the open-data publication: the registry's public fields (never referents,
// editors or reporters), the inventory status of each scheme's région, the communes of
// each perimeter in the current COG, and the dissolved perimeter geometries.
import type { Queryable } from '../../core/db/db.ts';

export interface PublishedScheme {
  code: string;
  type: string;
  name: string;
  bearerType: string | null;
  bearerName: string | null;
  perimeterRef: string | null;
  status: string;
  signatureDate: string | null;
  endDate: string | null;
  generation: number | null;
  coordinationFte: number | null;
  themes: string[];
  region: string | null;
  inventoryStatus: string;
  inventoryCompleteAt: string | null;
  communes: string[];
  source: string | null;
  sourceKind: string | null;
  /** YYYY-MM-DD (UTC) of the record's last change. */
  updatedAt: string;
}

export async function publishedSchemes(db: Queryable): Promise<PublishedScheme[]> {
  return db.query<PublishedScheme>(
    `SELECT s.code, s.type, s.name, s.bearer_type AS "bearerType", s.bearer_name AS "bearerName",
       s.perimeter_ref AS "perimeterRef", s.status, s.signature_date AS "signatureDate", s.end_date AS "endDate",
       s.generation, s.coordination_fte AS "coordinationFte", s.themes, s.region,
       coalesce(i.status, 'inconnu') AS "inventoryStatus", to_char(i.complete_at, 'YYYY-MM-DD') AS "inventoryCompleteAt",
       coalesce((SELECT array_agg(sc.commune ORDER BY sc.commune)
                 FROM registry.scheme_commune sc JOIN atlas.commune c ON c.code = sc.commune
                 WHERE sc.scheme = s.code), '{}'::text[]) AS communes,
       s.source, s.source_kind AS "sourceKind", to_char(s.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS "updatedAt"
     FROM registry.scheme s
     LEFT JOIN registry.inventory i ON i.zone = 'region:' || s.region AND i.scheme_type = s.type
     ORDER BY s.code`,
  );
}

export interface PublishedMember {
  scheme: string;
  commune: string;
  name: string;
  share: number;
}

/** (scheme, commune, share) for the communes of the current COG. */
export async function publishedMembers(db: Queryable): Promise<PublishedMember[]> {
  return db.query<PublishedMember>(
    `SELECT sc.scheme, sc.commune, c.name, sc.share
     FROM registry.scheme_commune sc JOIN atlas.commune c ON c.code = sc.commune
     JOIN registry.scheme s ON s.code = sc.scheme
     ORDER BY sc.scheme, sc.commune`,
  );
}

/** Each scheme's perimeter as the union of its communes (GeoJSON text, 6 decimals), null when unknown. */
export async function schemeGeometries(db: Queryable): Promise<Map<string, string | null>> {
  const rows = await db.query<{ code: string; geometry: string | null }>(
    `SELECT code, ST_AsGeoJSON(geom, 6) AS geometry FROM atlas.perimeter WHERE layer = 'scheme'`,
  );
  return new Map(rows.map((r) => [r.code, r.geometry]));
}

/** Year of the COG the atlas's communes are in (last successful reference import). */
export async function cogVintage(db: Queryable): Promise<string | null> {
  const [row] = await db.query<{ vintage: string }>(`SELECT vintage FROM public.import_run WHERE status = 'ok' ORDER BY id DESC LIMIT 1`);
  return row?.vintage ?? null;
}

/**
 * A cheap key that changes whenever anything published may have changed (a scheme, its
 * communes — an edit bumps the scheme's version —, an inventory status, a reference
 * import), and the latest of those changes.
 */
export async function publicationState(db: Queryable): Promise<{ key: string; modified: string | null }> {
  const [row] = await db.query<{ key: string; modified: string | null }>(
    `SELECT concat_ws('|', s.n, s.versions, s.at, i.n, i.at, r.id) AS key,
       to_char(greatest(s.at, i.at, r.at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS modified
     FROM (SELECT count(*) AS n, coalesce(sum(version), 0) AS versions, max(updated_at) AS at FROM registry.scheme) s,
          (SELECT count(*) AS n, max(updated_at) AS at FROM registry.inventory) i,
          (SELECT max(id) AS id, max(finished_at) AS at FROM public.import_run WHERE status = 'ok') r`,
  );
  return row!;
}
