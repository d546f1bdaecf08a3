// SQL of the panorama: the zone and its sub-areas (régions of France, départements of a
// région), every scheme of the registry and every CPTS with their communes, the QPV of
// the 2024 generation in the zone and the coordinators. The figures are computed from
// these rows in analysis/panorama.ts.
import type { Queryable } from '../../core/db/db.ts';
import type { AreaTotal, CoordinatorRow, PanoramaType, PanoramaUnit, QpvRow, UnitCommune } from '../analysis/panorama.ts';

export type ZoneKind = 'france' | 'region' | 'departement';

/** The zone's name, or null when it does not exist. */
export async function zoneName(db: Queryable, kind: ZoneKind, code: string | null): Promise<string | null> {
  if (kind === 'france') return 'France entière';
  const [row] = await db.query<{ name: string }>(`SELECT name FROM atlas.perimeter WHERE layer = $1 AND code = $2`, [kind, code]);
  return row?.name ?? null;
}

/** Population and commune count of each sub-area of the zone (régions of France, départements otherwise). */
export async function areaTotals(db: Queryable, kind: ZoneKind, code: string | null): Promise<AreaTotal[]> {
  return db.query<AreaTotal>(
    `WITH a AS (
       SELECT CASE WHEN $1 = 'france' THEN c.region ELSE c.departement END AS code,
              sum(c.population)::float8 AS population, count(*)::int AS communes
       FROM atlas.commune c
       WHERE $1 = 'france' OR ($1 = 'region' AND c.region = $2) OR ($1 = 'departement' AND c.departement = $2)
       GROUP BY 1
     )
     SELECT a.code, coalesce(p.name, a.code) AS name, a.population, a.communes
     FROM a LEFT JOIN atlas.perimeter p ON p.layer = CASE WHEN $1 = 'france' THEN 'region' ELSE 'departement' END AND p.code = a.code
     ORDER BY a.code`,
    [kind, code],
  );
}

interface UnitRow {
  layer: string;
  code: string;
  name: string;
  type: PanoramaType;
  status: string | null;
  fictif: boolean;
  signatureDate: string | null;
  fte: number | null;
}
interface CommuneRow extends Omit<UnitCommune, 'area'> {
  layer: string;
  unit: string;
  region: string;
  departement: string;
}

/**
 * Every scheme of the registry (its communes from registry.scheme_commune) and every CPTS
 * (atlas.membership), each commune with what the scale and coverage need. A CPTS commune
 * shared with no finer split (share unknown) counts as wholly in each of its CPTS.
 */
export async function panoramaUnits(db: Queryable, kind: ZoneKind, code: string | null): Promise<PanoramaUnit[]> {
  const [units, communes] = await Promise.all([
    db.query<UnitRow>(
      `SELECT 'scheme' AS layer, s.code, s.name, s.type, s.status, false AS fictif, s.signature_date AS "signatureDate",
              s.coordination_fte AS fte
       FROM registry.scheme s
       UNION ALL
       SELECT p.layer, p.code, p.name, 'CPTS', NULL, p.fictif OR l.fictif, NULL, NULL
       FROM atlas.perimeter p JOIN atlas.layer l ON l.id = p.layer
       WHERE p.layer = 'cpts'
       ORDER BY 2`,
    ),
    db.query<CommuneRow>(
      `WITH uc AS (
         SELECT 'scheme' AS layer, scheme AS unit, commune, share FROM registry.scheme_commune
         UNION ALL
         SELECT 'cpts', code, commune, coalesce(share, 1) FROM atlas.membership WHERE layer = 'cpts'
       ),
       groups AS (
         SELECT m.commune,
                coalesce(array_agg(m.code) FILTER (WHERE m.layer = 'epci'), '{}') AS epci,
                coalesce(array_agg(m.code) FILTER (WHERE m.layer = 'petr'), '{}') AS petr,
                coalesce(array_agg(m.code) FILTER (WHERE m.layer = 'pnr'), '{}') AS pnr
         FROM atlas.membership m
         WHERE m.layer IN ('epci', 'petr', 'pnr') AND m.commune IN (SELECT commune FROM uc)
         GROUP BY m.commune
       )
       SELECT uc.layer, uc.unit, uc.commune AS code, uc.share, c.population::float8 AS population, c.region, c.departement,
              c.arrondissement, coalesce(g.epci, '{}') AS epci, coalesce(g.petr, '{}') AS petr, coalesce(g.pnr, '{}') AS pnr
       FROM uc JOIN atlas.commune c ON c.code = uc.commune
       LEFT JOIN groups g ON g.commune = uc.commune
       ORDER BY uc.layer, uc.unit, uc.commune`,
    ),
  ]);
  const byUnit = new Map<string, UnitCommune[]>();
  for (const { layer, unit, region, departement, ...c } of communes) {
    const inZone = kind === 'france' || (kind === 'region' ? region === code : departement === code);
    const key = `${layer}|${unit}`;
    const list = byUnit.get(key) ?? [];
    list.push({ ...c, area: inZone ? (kind === 'france' ? region : departement) : null });
    byUnit.set(key, list);
  }
  return units.map(({ layer, ...u }) => ({ ...u, communes: byUnit.get(`${layer}|${u.code}`) ?? [] }));
}

/** Member count of every EPCI, PETR, PNR and arrondissement, keyed "epci:200023737". */
export async function groupSizes(db: Queryable): Promise<Map<string, number>> {
  const rows = await db.query<{ layer: string; code: string; n: number }>(
    `SELECT 'arrondissement' AS layer, arrondissement AS code, count(*)::int AS n FROM atlas.commune
     WHERE arrondissement IS NOT NULL GROUP BY arrondissement
     UNION ALL
     SELECT layer, code, count(*)::int FROM atlas.membership WHERE layer IN ('epci', 'petr', 'pnr') GROUP BY layer, code`,
  );
  return new Map(rows.map((r) => [`${r.layer}:${r.code}`, r.n]));
}

/** QPV of the 2024 generation with the communes of the zone they lie in. */
export async function zoneQpv(db: Queryable, kind: ZoneKind, code: string | null): Promise<QpvRow[]> {
  return db.query<QpvRow>(
    `SELECT p.code, p.name, array_agg(m.commune ORDER BY m.commune) AS communes
     FROM atlas.perimeter p
     JOIN atlas.membership m ON m.layer = p.layer AND m.code = p.code
     JOIN atlas.commune c ON c.code = m.commune
     WHERE p.layer = 'qpv' AND p.subtype = '2024'
       AND ($1 = 'france' OR ($1 = 'region' AND c.region = $2) OR ($1 = 'departement' AND c.departement = $2))
     GROUP BY p.code, p.name ORDER BY p.code`,
    [kind, code],
  );
}

export async function coordinators(db: Queryable): Promise<CoordinatorRow[]> {
  return db.query<CoordinatorRow>(
    `SELECT scheme, coordinator_key AS key, name FROM registry.scheme_coordinator ORDER BY coordinator_key, scheme`,
  );
}

/** Vintage and source of the layers a panorama reads. */
export async function panoramaSources(
  db: Queryable,
): Promise<{ id: string; name: string; vintage: string; source: string; fictif: boolean }[]> {
  return db.query(
    `SELECT id, name, vintage, source, fictif FROM atlas.layer WHERE id IN ('commune', 'scheme', 'cpts', 'qpv') ORDER BY sort, id`,
  );
}
