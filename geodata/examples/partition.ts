// Deterministic partition of a territory into contiguous groups of a given population,
// used to draw the fictitious example CPTS and psychiatric sectors.
//
// Algorithm (units = communes, or adult sectors when building child sectors):
//  1. Seeds: the most populous unit not yet assigned (ties: smallest code).
//  2. Growth: the group takes, among the unassigned units adjacent to it (shared border),
//     the one whose centre is nearest to the seed's (ties: smallest code), skipping any
//     that would take it over `max`, until it reaches `target` or has no candidate left.
//  3. Leftovers: a group under `min` is merged into the least populous group adjacent to
//     it (ties: smallest seed code), smallest groups first, until none is left that can
//     merge. A group with no adjacent group (island, enclave) joins the nearest group.
//  4. Groups are numbered in the order their seeds were taken.
// Known exceptions, by construction: a single unit above `max` (a large city) is a group
// on its own; a merged leftover can take a group a little over `max`.
export interface Unit {
  code: string;
  population: number;
  /** Centre in kilometres on a local plane (x east, y north). */
  x: number;
  y: number;
}

export interface Sizes {
  min: number;
  target: number;
  max: number;
}

export interface Group {
  /** Code of the seed unit (gives the group its name). */
  seed: string;
  members: string[];
  population: number;
}

const byCode = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function partition(units: readonly Unit[], adjacency: ReadonlyMap<string, ReadonlySet<string>>, sizes: Sizes): Group[] {
  const unit = new Map(units.map((u) => [u.code, u]));
  const neighbours = (code: string) => [...(adjacency.get(code) ?? [])].filter((c) => unit.has(c));
  const seeds = [...units].sort((a, b) => b.population - a.population || byCode(a.code, b.code));
  const groupOf = new Map<string, number>();
  const groups: (Group & { order: number })[] = [];

  for (const seed of seeds) {
    if (groupOf.has(seed.code)) continue;
    const id = groups.length;
    const group = { seed: seed.code, members: [seed.code], population: seed.population, order: id };
    groups.push(group);
    groupOf.set(seed.code, id);
    const frontier = new Set(neighbours(seed.code).filter((c) => !groupOf.has(c)));
    const blocked = new Set<string>();
    const dist = (c: string) => {
      const u = unit.get(c)!;
      return (u.x - seed.x) ** 2 + (u.y - seed.y) ** 2;
    };
    while (group.population < sizes.target) {
      let best: string | null = null;
      for (const c of frontier) {
        if (blocked.has(c) || groupOf.has(c)) continue;
        if (best === null || dist(c) < dist(best) || (dist(c) === dist(best) && c < best)) best = c;
      }
      if (best === null) break;
      const u = unit.get(best)!;
      if (group.population + u.population > sizes.max) {
        blocked.add(best);
        continue;
      }
      group.members.push(best);
      group.population += u.population;
      groupOf.set(best, id);
      frontier.delete(best);
      for (const n of neighbours(best)) if (!groupOf.has(n)) frontier.add(n);
    }
  }

  // Merge leftovers under `min` into a neighbouring group.
  const alive = new Set(groups.map((g) => g.order));
  const adjacentGroups = (g: Group & { order: number }) => {
    const out = new Set<number>();
    for (const m of g.members)
      for (const n of neighbours(m)) {
        const k = groupOf.get(n);
        if (k !== undefined && k !== g.order) out.add(k);
      }
    return [...out];
  };
  const centre = (g: Group) => {
    let x = 0;
    let y = 0;
    for (const m of g.members) {
      x += unit.get(m)!.x;
      y += unit.get(m)!.y;
    }
    return { x: x / g.members.length, y: y / g.members.length };
  };
  for (;;) {
    const small = [...alive]
      .map((k) => groups[k]!)
      .filter((g) => g.population < sizes.min && alive.size > 1)
      .sort((a, b) => a.population - b.population || byCode(a.seed, b.seed));
    const g = small[0];
    if (!g) break;
    let candidates = adjacentGroups(g).map((k) => groups[k]!);
    if (candidates.length === 0) {
      // island or enclave: the nearest group
      const c = centre(g);
      const d = (o: Group) => (centre(o).x - c.x) ** 2 + (centre(o).y - c.y) ** 2;
      candidates = [...alive].filter((k) => k !== g.order).map((k) => groups[k]!);
      candidates.sort((a, b) => d(a) - d(b) || byCode(a.seed, b.seed));
      candidates = candidates.slice(0, 1);
    } else {
      candidates.sort((a, b) => a.population - b.population || byCode(a.seed, b.seed));
    }
    const into = candidates[0]!;
    into.members.push(...g.members);
    into.population += g.population;
    for (const m of g.members) groupOf.set(m, into.order);
    alive.delete(g.order);
  }
  return [...alive]
    .sort((a, b) => a - b)
    .map((k) => groups[k]!)
    .map((g) => ({ seed: g.seed, members: [...g.members].sort(byCode), population: g.population }));
}

/** Rook adjacency of groups, from the adjacency of their units. */
export function groupAdjacency(
  groups: readonly Group[],
  adjacency: ReadonlyMap<string, ReadonlySet<string>>,
  key: (g: Group, i: number) => string,
) {
  const owner = new Map<string, string>();
  groups.forEach((g, i) => g.members.forEach((m) => owner.set(m, key(g, i))));
  const out = new Map<string, Set<string>>();
  groups.forEach((g, i) => {
    const k = key(g, i);
    const set = new Set<string>();
    for (const m of g.members)
      for (const n of adjacency.get(m) ?? []) {
        const o = owner.get(n);
        if (o !== undefined && o !== k) set.add(o);
      }
    out.set(k, set);
  });
  return out;
}
