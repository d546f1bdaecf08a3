// Comparing 2 to 8 perimeters over their communes. Each commune belongs to each
// perimeter with a share (1 = whole). Within a commune the parts are taken as nested
// (the smaller share lies inside the larger), so a commune with A = 1 and B = 0.4
// puts 0.4 of itself in "A ∩ B" and 0.6 in "A only". A share may be unknown (null: a
// QPV known only by its communes, without contour): such a commune is never counted as
// whole — it goes to a part of its own whose figures are unknown, and every alignment
// touching it is unknown too.
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
  /** commune code -> share of the commune in the perimeter (0..1]; null = unknown. */
  shares: Map<string, number | null>;
}

export interface ComparePart {
  /** Keys of the perimeters this part lies in (e.g. ["A"] or ["A","B"]). */
  members: string[];
  /** True for the communes where some perimeter's share is unknown: figures are null. */
  unknownShare: boolean;
  communeCount: number;
  /** Communes counted by their share in the part (null when unknown). */
  communeEquivalent: number | null;
  population: number | null;
  areaKm2: number | null;
  communes: { code: string; name: string; share: number | null }[];
}

export interface PairAlignment {
  a: string;
  b: string;
  /** null when a commune of either perimeter has an unknown share. */
  alignment: number | null;
}

export interface CompareResult {
  parts: ComparePart[];
  alignments: PairAlignment[];
}

export const UNKNOWN_SHARE_REASON = 'part inconnue (pas de contour)';

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

export function alignment(a: Map<string, number | null>, b: Map<string, number | null>, facts: Map<string, CommuneFacts>): number | null {
  const codes = new Set([...a.keys(), ...b.keys()]);
  for (const code of codes) if (a.get(code) === null || b.get(code) === null) return null;
  const weigh = (by: 'population' | 'areaKm2') => {
    let inter = 0;
    let union = 0;
    for (const code of codes) {
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
  const byOrder = (x: string, y: string) => order.get(x)! - order.get(y)!;
  for (const code of [...allCodes].sort()) {
    const f = facts.get(code) ?? { code, name: code, population: 0, areaKm2: 0 };
    const shares = perimeters.map((p) => ({ key: p.key, share: p.shares.has(code) ? p.shares.get(code)! : 0 }));
    if (shares.some((s) => s.share === null)) {
      // some perimeter holds an unknown part of this commune: no figure can be split
      const members = shares.filter((s) => s.share === null || s.share > 0).map((s) => s.key);
      const id = `?${members.sort(byOrder).join('+')}`;
      let part = parts.get(id);
      if (!part) {
        part = { members, unknownShare: true, communeCount: 0, communeEquivalent: null, population: null, areaKm2: null, communes: [] };
        parts.set(id, part);
      }
      part.communeCount += 1;
      part.communes.push({ code, name: f.name, share: null });
      continue;
    }
    const split = splitCommune(shares as { key: string; share: number }[]);
    for (const { members, fraction } of split) {
      const sorted = [...members].sort(byOrder);
      const id = sorted.join('+');
      let part = parts.get(id);
      if (!part) {
        part = { members: sorted, unknownShare: false, communeCount: 0, communeEquivalent: 0, population: 0, areaKm2: 0, communes: [] };
        parts.set(id, part);
      }
      part.communeCount += 1;
      part.communeEquivalent! += fraction;
      part.population! += f.population * fraction;
      part.areaKm2! += f.areaKm2 * fraction;
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
  const sortedParts = [...parts.values()].sort(
    (x, y) => Number(x.unknownShare) - Number(y.unknownShare) || y.members.length - x.members.length || rank(x).localeCompare(rank(y)),
  );
  return { parts: sortedParts, alignments };
}
