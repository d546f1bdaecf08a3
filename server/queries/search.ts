// SQL for the search index (server/search/index.ts): every commune with its département,
// its other names and former codes, and every perimeter with the département holding
// most of its population and all the départements (hence régions) it lies in, read in
// four statements when the data changes. The registry's schemes are read apart from the
// reference territories (server/search/parts.ts): an edit reloads only them.
import type { Queryable } from '../../core/db/db.ts';
import type { SearchEntry } from '../search/index.ts';

/** `reference`: communes and every perimeter but the schemes; `registry`: the schemes; `all`: both. */
export type SearchPart = 'reference' | 'registry' | 'all';

/** The registry's layer, the only one users edit. */
export const REGISTRY_LAYER = 'scheme';

interface CommuneRow {
  code: string;
  name: string;
  population: number | null;
  departement: string;
  region: string;
}

export async function loadSearchEntries(db: Queryable, part: SearchPart = 'all'): Promise<SearchEntry[]> {
  // the registry part needs only where each département lies, and the names of départements and régions
  const communes =
    part === 'registry'
      ? await db.query<CommuneRow>(`SELECT DISTINCT departement, region FROM atlas.commune`)
      : await db.query<CommuneRow>(`SELECT code, name, population::float8 AS population, departement, region FROM atlas.commune`);
  const aliases =
    part === 'registry'
      ? []
      : await db.query<{ old_code: string; code: string; kind: string; name: string | null }>(
          `SELECT old_code, code, kind, name FROM atlas.commune_alias`,
        );
  // $1: the layer to read (null: all), $2: the layer to leave out (null: none)
  const [only, without] = part === 'registry' ? [REGISTRY_LAYER, null] : part === 'reference' ? [null, REGISTRY_LAYER] : [null, null];
  const perimeters = await db.query<{
    layer: string;
    code: string;
    name: string;
    subtype: string | null;
    population: number | null;
    fictif: boolean;
  }>(
    `SELECT layer, code, name, subtype, population, fictif FROM atlas.perimeter
     WHERE ($1::text IS NULL OR layer = $1 OR layer IN ('departement', 'region')) AND ($2::text IS NULL OR layer <> $2)`,
    [only, without],
  );
  // the département holding most of each perimeter's population, and all those it spans
  const places = await db.query<{ layer: string; code: string; departement: string; departements: string[] }>(
    `WITH w AS (
       SELECT m.layer, m.code, c.departement, sum(coalesce(c.population, 0) * coalesce(m.share, 1)) AS pop
       FROM atlas.membership m JOIN atlas.commune c ON c.code = m.commune
       WHERE m.layer NOT IN ('departement', 'region') AND ($1::text IS NULL OR m.layer = $1) AND ($2::text IS NULL OR m.layer <> $2)
       GROUP BY m.layer, m.code, c.departement
     )
     SELECT DISTINCT ON (layer, code) layer, code, departement,
            array_agg(departement) OVER (PARTITION BY layer, code) AS departements
     FROM w ORDER BY layer, code, pop DESC, departement`,
    [only, without],
  );

  const deptName = new Map<string, string>();
  const regionName = new Map<string, string>();
  for (const p of perimeters) {
    if (p.layer === 'departement') deptName.set(p.code, p.name);
    if (p.layer === 'region') regionName.set(p.code, p.name);
  }
  const deptRegion = new Map(communes.map((c) => [c.departement, c.region]));
  const regionDepts = new Map<string, string[]>();
  for (const [dept, region] of deptRegion) regionDepts.set(region, [...(regionDepts.get(region) ?? []), dept]);
  const regionsOf = (depts: string[]) => [...new Set(depts.map((d) => deptRegion.get(d)).filter((r): r is string => !!r))].sort();
  const where = (dept: string) => `${deptName.get(dept) ?? 'département'} (${dept})`;

  const byCommune = new Map<string, SearchEntry>();
  const entries: SearchEntry[] = (part === 'registry' ? [] : communes).map((c) => {
    const e: SearchEntry = {
      layer: 'commune',
      code: c.code,
      name: c.name,
      type: null,
      population: c.population,
      detail: where(c.departement),
      aliases: [],
      formerCodes: [],
      departements: [c.departement],
      regions: [c.region],
    };
    byCommune.set(c.code, e);
    return e;
  });
  for (const a of aliases) {
    const e = byCommune.get(a.code);
    if (!e) continue;
    e.formerCodes.push(a.old_code);
    if (a.name) e.aliases.push({ name: a.name, kind: a.kind });
  }

  const place = new Map(places.map((p) => [`${p.layer}:${p.code}`, p]));
  for (const p of perimeters) {
    // read for their names only
    if (only !== null && p.layer !== only) continue;
    let detail: string | null = null;
    let departements: string[] = [];
    if (p.layer === 'departement') {
      detail = regionName.get(deptRegion.get(p.code) ?? '') ?? null;
      departements = [p.code];
    } else if (p.layer === 'region') departements = regionDepts.get(p.code) ?? [];
    else {
      const at = place.get(`${p.layer}:${p.code}`);
      if (at) {
        const n = at.departements.length;
        detail = n > 1 ? `${where(at.departement)} et ${n - 1} autre${n > 2 ? 's' : ''}` : where(at.departement);
        departements = at.departements;
      }
    }
    if (p.fictif) detail = detail ? `${detail} · exemple fictif` : 'exemple fictif';
    entries.push({
      layer: p.layer,
      code: p.code,
      name: p.name,
      type: p.subtype,
      population: p.population,
      detail,
      aliases: [],
      formerCodes: [],
      departements: [...departements].sort(),
      regions: p.layer === 'region' ? [p.code] : regionsOf(departements),
    });
  }
  return entries;
}
