// The partition behind the example CPTS and sectors, on small grids: deterministic,
// contiguous, sized as asked, leftovers merged, islands attached to the nearest group.
import { describe, expect, it } from 'vitest';
import { groupAdjacency, partition, type Unit } from '../../geodata/examples/partition.ts';

/** A w x h grid of units (code "r-c"), 4-neighbour adjacency, population from a function. */
function grid(w: number, h: number, pop: (r: number, c: number) => number) {
  const units: Unit[] = [];
  const adjacency = new Map<string, Set<string>>();
  const code = (r: number, c: number) => `${String(r).padStart(2, '0')}-${String(c).padStart(2, '0')}`;
  for (let r = 0; r < h; r++) {
    for (let c = 0; c < w; c++) {
      units.push({ code: code(r, c), population: pop(r, c), x: c, y: r });
      const n = new Set<string>();
      if (r > 0) n.add(code(r - 1, c));
      if (r < h - 1) n.add(code(r + 1, c));
      if (c > 0) n.add(code(r, c - 1));
      if (c < w - 1) n.add(code(r, c + 1));
      adjacency.set(code(r, c), n);
    }
  }
  return { units, adjacency };
}

function connected(members: string[], adjacency: Map<string, Set<string>>) {
  const set = new Set(members);
  const seen = new Set([members[0]!]);
  const todo = [members[0]!];
  while (todo.length) {
    for (const n of adjacency.get(todo.pop()!) ?? []) {
      if (set.has(n) && !seen.has(n)) {
        todo.push(n);
        seen.add(n);
      }
    }
  }
  return seen.size === set.size;
}

describe('partition', () => {
  const { units, adjacency } = grid(10, 10, (r, c) => 1000 + ((r * 7 + c * 13) % 10) * 500);
  const sizes = { min: 8000, target: 12000, max: 20000 };

  it('assigns every unit once, to contiguous groups within the bounds', () => {
    const groups = partition(units, adjacency, sizes);
    const all = groups.flatMap((g) => g.members).sort();
    expect(all).toEqual(units.map((u) => u.code).sort());
    for (const g of groups) {
      expect(connected(g.members, adjacency)).toBe(true);
      expect(g.population).toBe(g.members.reduce((n, m) => n + units.find((u) => u.code === m)!.population, 0));
      expect(g.population).toBeGreaterThanOrEqual(sizes.min);
      expect(g.population).toBeLessThanOrEqual(sizes.max * 1.2);
    }
    expect(groups.length).toBeGreaterThan(5);
  });

  it('is deterministic and independent of the input order', () => {
    const a = partition(units, adjacency, sizes);
    const b = partition([...units].reverse(), adjacency, sizes);
    expect(b).toEqual(a);
  });

  it('seeds on the most populous unit, and leaves a unit above the maximum alone', () => {
    const { units: u, adjacency: adj } = grid(4, 1, (_r, c) => [5_000, 50_000, 800, 900][c]!);
    const groups = partition(u, adj, { min: 1000, target: 2000, max: 10_000 });
    expect(groups).toEqual([
      { seed: '00-01', members: ['00-01'], population: 50_000 },
      { seed: '00-00', members: ['00-00'], population: 5_000 },
      { seed: '00-03', members: ['00-02', '00-03'], population: 1_700 },
    ]);
  });

  it('merges a leftover into its least populous neighbour, and an island into the nearest group', () => {
    // 00-00 (big) | 00-01 | 00-02, plus an island 09-09 with no neighbour
    const u: Unit[] = [
      { code: 'a', population: 10_000, x: 0, y: 0 },
      { code: 'b', population: 6_000, x: 1, y: 0 },
      { code: 'c', population: 500, x: 2, y: 0 },
      { code: 'i', population: 300, x: 2.5, y: 3 },
    ];
    const adj = new Map([
      ['a', new Set(['b'])],
      ['b', new Set(['a', 'c'])],
      ['c', new Set(['b'])],
    ]);
    const groups = partition(u, adj, { min: 5_000, target: 6_000, max: 12_000 });
    expect(groups).toEqual([
      { seed: 'a', members: ['a'], population: 10_000 },
      { seed: 'b', members: ['b', 'c', 'i'], population: 6_800 },
    ]);
  });
});

describe('groupAdjacency', () => {
  it('joins groups whose units touch', () => {
    const { units, adjacency } = grid(3, 1, () => 1);
    const groups = [
      { seed: units[0]!.code, members: [units[0]!.code], population: 1 },
      { seed: units[1]!.code, members: [units[1]!.code], population: 1 },
      { seed: units[2]!.code, members: [units[2]!.code], population: 1 },
    ];
    const adj = groupAdjacency(groups, adjacency, (g) => g.seed);
    expect([...adj.get('00-00')!]).toEqual(['00-01']);
    expect([...adj.get('00-01')!].sort()).toEqual(['00-00', '00-02']);
  });
});
