// Fictitious example layers: CPTS and adult and child psychiatric sectors for the
// départements 46 (Lot), 63 (Puy-de-Dôme) and 59 (Nord), so the atlas shows these
// layers before any real file is imported. Flagged fictif (atlas.layer and every
// atlas.perimeter row), named "CPTS exemple fictif — Cahors", coded FICTIF-CPTS-46-01.
//
// How they are drawn (see partition.ts and README.md): commune adjacency (a shared
// border of positive length, within the département) is computed once in SQL; each
// layer is a deterministic partition of the département's communes into contiguous
// groups grown around the most populous unassigned commune:
//   - CPTS: 20,000-100,000 inhabitants (growth stops at 35,000);
//   - adult sectors: about 70,000 (growth stops at 65,000, 40,000-110,000);
//   - child sectors: adult sectors merged two or three at a time (stops at 130,000,
//     100,000-220,000), so each child sector is a union of adult sectors.
// Tolerances: a commune above the maximum (Lille, Clermont-Ferrand) stands alone; a
// merged leftover may take a group up to 20 % over the maximum; Nord's enclave
// (Boursies, Doignies, Mœuvres) joins the nearest group.
// ensureExampleLayers draws examples only in the example départements where the layer
// has no real (non-fictif) unit — not a single real member commune: real data and
// examples never share a département. A real import replaces the examples of its scope;
// the examples never come back over real data.
import type { Db, Queryable } from '../../core/db/db.ts';
import { derivePerimeters } from '../../core/perimeters/derive.ts';
import { HEALTH_LAYERS } from '../../core/perimeters/layers.ts';
import { withinScopeSql } from '../../core/perimeters/scope.ts';
import { replaceScope, type LayerRowMeta, type WritePlan } from '../../core/perimeters/write.ts';
import { partition, groupAdjacency, type Group, type Sizes, type Unit } from './partition.ts';

export const EXAMPLE_DEPARTEMENTS = ['46', '63', '59'] as const;

export const EXAMPLE_SIZES = {
  cpts: { min: 20_000, target: 35_000, max: 100_000 },
  'secteur-psy-adulte': { min: 40_000, target: 65_000, max: 110_000 },
  'secteur-psy-enfant': { min: 100_000, target: 130_000, max: 220_000 },
} as const satisfies Record<string, Sizes>;

type ExampleLayerId = keyof typeof EXAMPLE_SIZES;
const EXAMPLE_LAYERS: ExampleLayerId[] = ['cpts', 'secteur-psy-adulte', 'secteur-psy-enfant'];

const NAME_PREFIX: Record<ExampleLayerId, string> = {
  cpts: 'CPTS exemple fictif',
  'secteur-psy-adulte': 'Secteur de psychiatrie adulte exemple fictif',
  'secteur-psy-enfant': 'Secteur de psychiatrie infanto-juvénile exemple fictif',
};

export interface ExampleLayerReport {
  id: string;
  status: 'generated' | 'real-data-kept' | 'no-communes';
  /** Example départements left without examples because the layer has real data there. */
  realDataIn: string[];
  perimeters: number;
  communes: number;
  /** Population of the smallest and largest example perimeter. */
  population: { min: number; max: number } | null;
}

export interface ExampleReport {
  durationMs: number;
  layers: ExampleLayerReport[];
}

export interface ExamplePerimeter {
  code: string;
  name: string;
  departement: string;
  communes: string[];
  population: number;
}

interface CommuneUnit extends Unit {
  name: string;
  departement: string;
}

/** Communes of the example départements, with a rounded centre (km) for stable ordering. */
async function loadCommunes(db: Queryable): Promise<CommuneUnit[]> {
  const rows = await db.query<{ code: string; name: string; departement: string; population: number; lon: number; lat: number }>(
    `SELECT code, name, departement, population,
       round(ST_X(ST_Centroid(geom))::numeric, 5)::float8 AS lon, round(ST_Y(ST_Centroid(geom))::numeric, 5)::float8 AS lat
     FROM atlas.commune WHERE departement = ANY($1::text[]) AND geom IS NOT NULL ORDER BY code`,
    [EXAMPLE_DEPARTEMENTS],
  );
  return rows.map((r) => ({
    code: r.code,
    name: r.name,
    departement: r.departement,
    population: r.population,
    x: r.lon * 111.32 * Math.cos((46.5 * Math.PI) / 180),
    y: r.lat * 110.57,
  }));
}

/** Communes sharing a border (not just a point) within a département. */
export async function loadAdjacency(db: Queryable, departements: readonly string[]): Promise<Map<string, Set<string>>> {
  const rows = await db.query<{ a: string; b: string }>(
    `SELECT a.code AS a, b.code AS b
     FROM atlas.commune a
     JOIN atlas.commune b ON b.departement = a.departement AND a.code < b.code AND a.geom && b.geom
     WHERE a.departement = ANY($1::text[]) AND ST_Intersects(a.geom, b.geom)
       AND ST_Dimension(ST_Intersection(a.geom, b.geom)) >= 1
     ORDER BY a.code, b.code`,
    [departements],
  );
  const adj = new Map<string, Set<string>>();
  const add = (x: string, y: string) => {
    let s = adj.get(x);
    if (!s) adj.set(x, (s = new Set()));
    s.add(y);
  };
  for (const { a, b } of rows) {
    add(a, b);
    add(b, a);
  }
  return adj;
}

/** The three example layers as plain groups of communes (pure once the data is loaded). */
export function buildExamples(communes: readonly CommuneUnit[], adjacency: ReadonlyMap<string, ReadonlySet<string>>) {
  const out: Record<ExampleLayerId, ExamplePerimeter[]> = { cpts: [], 'secteur-psy-adulte': [], 'secteur-psy-enfant': [] };
  const byCode = new Map(communes.map((c) => [c.code, c]));
  for (const dep of EXAMPLE_DEPARTEMENTS) {
    const units = communes.filter((c) => c.departement === dep);
    if (units.length === 0) continue;
    const named = (layer: ExampleLayerId, groups: Group[], seedCommune: (g: Group) => string) =>
      groups.map((g, i) => ({
        code: `FICTIF-${HEALTH_LAYERS[layer].tag}-${dep}-${String(i + 1).padStart(2, '0')}`,
        name: `${NAME_PREFIX[layer]} — ${byCode.get(seedCommune(g))!.name}`,
        departement: dep,
        communes: g.members,
        population: g.population,
      }));
    out.cpts.push(...named('cpts', partition(units, adjacency, EXAMPLE_SIZES.cpts), (g) => g.seed));

    const adult = partition(units, adjacency, EXAMPLE_SIZES['secteur-psy-adulte']);
    out['secteur-psy-adulte'].push(...named('secteur-psy-adulte', adult, (g) => g.seed));

    // Child sectors: adult sectors as units, centred on their population-weighted centre.
    const sectorUnits: Unit[] = adult.map((g) => {
      const w = g.population || 1;
      const members = g.members.map((m) => byCode.get(m)!);
      const weight = (c: CommuneUnit) => (g.population ? c.population : 1);
      return {
        code: g.seed,
        population: g.population,
        x: members.reduce((s, c) => s + c.x * weight(c), 0) / w,
        y: members.reduce((s, c) => s + c.y * weight(c), 0) / w,
      };
    });
    const sectorAdjacency = groupAdjacency(adult, adjacency, (g) => g.seed);
    const membersOf = new Map(adult.map((g) => [g.seed, g.members]));
    const child = partition(sectorUnits, sectorAdjacency, EXAMPLE_SIZES['secteur-psy-enfant']).map((g) => ({
      ...g,
      members: g.members.flatMap((s) => membersOf.get(s)!).sort(),
    }));
    out['secteur-psy-enfant'].push(...named('secteur-psy-enfant', child, (g) => g.seed));
  }
  return out;
}

function examplePlan(perimeters: ExamplePerimeter[]): WritePlan {
  return {
    kind: 'list',
    perimeters: perimeters.map((p) => ({
      code: p.code,
      name: p.name,
      attrs: { departement: p.departement, generateur: 'geodata/examples' },
    })),
    memberships: perimeters.flatMap((p) => p.communes.map((commune) => ({ code: p.code, commune, share: 1 }))),
    features: [],
  };
}

/**
 * (Re)generates the examples of each example layer in the example départements where it
 * has no real data, and removes examples from those where it has. One transaction.
 */
export async function ensureExampleLayers(db: Db): Promise<ExampleReport> {
  const started = Date.now();
  const real = await db.query<{ layer: string; departement: string }>(
    `SELECT DISTINCT p.layer, c.departement
     FROM atlas.perimeter p
     JOIN atlas.membership m ON m.layer = p.layer AND m.code = p.code
     JOIN atlas.commune c ON c.code = m.commune
     WHERE p.layer = ANY($1::text[]) AND NOT p.fictif AND c.departement = ANY($2::text[])`,
    [EXAMPLE_LAYERS, EXAMPLE_DEPARTEMENTS],
  );
  const realIn = (id: string): string[] => EXAMPLE_DEPARTEMENTS.filter((d) => real.some((r) => r.layer === id && r.departement === d));
  const todo = EXAMPLE_LAYERS.filter((id) => realIn(id).length < EXAMPLE_DEPARTEMENTS.length);
  const reports = new Map<string, ExampleLayerReport>(
    EXAMPLE_LAYERS.filter((id) => !todo.includes(id)).map((id) => [
      id,
      { id, status: 'real-data-kept', perimeters: 0, communes: 0, population: null, realDataIn: realIn(id) },
    ]),
  );
  const communes = todo.length ? await loadCommunes(db) : [];
  if (todo.length && communes.length === 0) {
    for (const id of todo) reports.set(id, { id, status: 'no-communes', perimeters: 0, communes: 0, population: null, realDataIn: [] });
    return { durationMs: Date.now() - started, layers: EXAMPLE_LAYERS.map((id) => reports.get(id)!) };
  }
  const examples = todo.length ? buildExamples(communes, await loadAdjacency(db, EXAMPLE_DEPARTEMENTS)) : null;
  await db.transaction(async (tx) => {
    for (const id of EXAMPLE_LAYERS) {
      // examples left in a département that now has real data go
      for (const dep of realIn(id)) {
        await tx.query(
          `DELETE FROM atlas.membership m USING atlas.perimeter p
           WHERE m.layer = p.layer AND m.code = p.code AND p.layer = $1 AND p.fictif AND ${withinScopeSql('2', '3')}`,
          [id, 'departement', dep],
        );
        await tx.query(
          `DELETE FROM atlas.perimeter p WHERE p.layer = $1 AND p.fictif AND NOT EXISTS
          (SELECT 1 FROM atlas.membership m WHERE m.layer = p.layer AND m.code = p.code)`,
          [id],
        );
      }
    }
    for (const id of todo) {
      const layer = HEALTH_LAYERS[id];
      const meta: LayerRowMeta = {
        ...layer,
        vintage: 'exemple fictif (COG actuel)',
        source: 'Millefeuille : exemples fictifs générés (geodata/examples), départements 46, 63 et 59',
        licence: 'Licence Ouverte 2.0',
        fictif: true,
      };
      const skip = realIn(id);
      const list = examples![id].filter((p) => !skip.includes(p.departement));
      for (const dep of EXAMPLE_DEPARTEMENTS.filter((d) => !skip.includes(d))) {
        await replaceScope(
          tx,
          meta,
          examplePlan(list.filter((p) => p.departement === dep)),
          { kind: 'departement', code: dep },
          { derive: false },
        );
      }
      const pops = list.map((p) => p.population);
      reports.set(id, {
        id,
        status: 'generated',
        perimeters: list.length,
        communes: list.reduce((n, p) => n + p.communes.length, 0),
        population: { min: Math.min(...pops), max: Math.max(...pops) },
        realDataIn: skip,
      });
    }
    if (todo.length) await derivePerimeters(tx, 'atlas', todo);
  });
  return { durationMs: Date.now() - started, layers: EXAMPLE_LAYERS.map((id) => reports.get(id)!) };
}

export function formatExampleReport(r: ExampleReport): string {
  const fmt = (n: number) => n.toLocaleString('fr-FR');
  const lines = [`Exemples fictifs (départements ${EXAMPLE_DEPARTEMENTS.join(', ')}) en ${(r.durationMs / 1000).toFixed(1)} s`];
  for (const l of r.layers) {
    const text = {
      generated: `${l.perimeters} périmètres, ${fmt(l.communes)} communes, de ${fmt(l.population?.min ?? 0)} à ${fmt(l.population?.max ?? 0)} habitants${l.realDataIn.length ? ` (aucun dans ${l.realDataIn.join(', ')} : données réelles)` : ''}`,
      'real-data-kept': 'données réelles présentes : exemples non générés',
      'no-communes': "aucune commune chargée : lancez d'abord l'import de référence",
    }[l.status];
    lines.push(`  ${l.id.padEnd(20)} ${text}`);
  }
  return lines.join('\n');
}
