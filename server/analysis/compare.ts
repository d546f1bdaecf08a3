// Comparing 2 to 4 perimeters over their communes. Each commune belongs to each
// perimeter with a share (1 = whole). Within a commune the parts are taken as nested
// (the smaller share lies inside the larger), so a commune with A = 1 and B = 0.4
// puts 0.4 of itself in "A ∩ B" and 0.6 in "A only".
//
// Alignment of a pair = population-weighted Jaccard index:
//   Σ_c pop(c) · min(sA, sB)  /  Σ_c pop(c) · max(sA, sB)
// 1 = the same perimeter, 0 = disjoint. When both perimeters have no inhabitants at
// all, the same formula is applied to areas.

export interface CommuneFacts {
  code: string;
  name: string;
  population: number;
  areaKm2: number;
}

export interface PerimeterInput {
  key: string;
  /** commune code -> share of the commune in the perimeter (0..1]. */
  shares: Map<string, number>;
}

export interface ComparePart {
  /** Keys of the perimeters this part lies in (e.g. ["A"] or ["A","B"]). */
  members: string[];
  communeCount: number;
  /** Communes counted by their share in the part. */
  communeEquivalent: number;
  population: number;
  areaKm2: number;
  communes: { code: string; name: string; share: number }[];
}

export interface PairAlignment {
  a: string;
  b: string;
  alignment: number;
}

export interface CompareResult {
  parts: ComparePart[];
  alignments: PairAlignment[];
}

/** The nested split of one commune between perimeters: [set of keys, fraction][]. */
export function splitCommune(shares: { key: string; share: number }[]): { members: string[]; fraction: number }[] {
  const present = shares.filter((s) => s.share > 0).sort((x, y) => y.share - x.share || x.key.localeCompare(y.key));
  const out: { members: string[]; fraction: number }[] = [];
  for (let i = 0; i < present.length; i++) {
    const upper = Math.min(1, present[i]!.share);
    const lower = i + 1 < present.length ? Math.min(1, present[i + 1]!.share) : 0;
    const fraction = upper - lower;
    if (fraction > 1e-9) out.push({ members: present.slice(0, i + 1).map((s) => s.key), fraction });
  }
  return out;
}

export function alignment(a: Map<string, number>, b: Map<string, number>, facts: Map<string, CommuneFacts>): number {
  const weigh = (by: 'population' | 'areaKm2') => {
    let inter = 0;
    let union = 0;
    for (const code of new Set([...a.keys(), ...b.keys()])) {
      const w = facts.get(code)?.[by] ?? 0;
      const sa = a.get(code) ?? 0;
      const sb = b.get(code) ?? 0;
      inter += w * Math.min(sa, sb);
      union += w * Math.max(sa, sb);
    }
    return { inter, union };
  };
  let { inter, union } = weigh('population');
  if (union === 0) ({ inter, union } = weigh('areaKm2'));
  return union === 0 ? 0 : inter / union;
}

export function comparePerimeters(perimeters: PerimeterInput[], facts: Map<string, CommuneFacts>): CompareResult {
  const order = new Map(perimeters.map((p, i) => [p.key, i]));
  const parts = new Map<string, ComparePart>();
  const allCodes = new Set(perimeters.flatMap((p) => [...p.shares.keys()]));
  for (const code of [...allCodes].sort()) {
    const f = facts.get(code) ?? { code, name: code, population: 0, areaKm2: 0 };
    const split = splitCommune(perimeters.map((p) => ({ key: p.key, share: p.shares.get(code) ?? 0 })));
    for (const { members, fraction } of split) {
      const sorted = [...members].sort((x, y) => order.get(x)! - order.get(y)!);
      const id = sorted.join('+');
      let part = parts.get(id);
      if (!part) {
        part = { members: sorted, communeCount: 0, communeEquivalent: 0, population: 0, areaKm2: 0, communes: [] };
        parts.set(id, part);
      }
      part.communeCount += 1;
      part.communeEquivalent += fraction;
      part.population += f.population * fraction;
      part.areaKm2 += f.areaKm2 * fraction;
      part.communes.push({ code, name: f.name, share: fraction });
    }
  }
  const alignments: PairAlignment[] = [];
  for (let i = 0; i < perimeters.length; i++) {
    for (let j = i + 1; j < perimeters.length; j++) {
      const a = perimeters[i]!;
      const b = perimeters[j]!;
      alignments.push({ a: a.key, b: b.key, alignment: alignment(a.shares, b.shares, facts) });
    }
  }
  // Shared parts first (most perimeters), then in the order the perimeters were given.
  const rank = (p: ComparePart) => p.members.map((m) => order.get(m)!).join(',');
  const sortedParts = [...parts.values()].sort((x, y) => y.members.length - x.members.length || rank(x).localeCompare(rank(y)));
  return { parts: sortedParts, alignments };
}
