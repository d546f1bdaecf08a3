// COG re-keying: brings commune codes of any vintage since 2003 to the current COG,
// using INSEE's history of mergers, and tells when a list covers only part of a
// commune nouvelle (some of its former communes listed, not all).

export interface CogIndex {
  /** Current commune codes. */
  current: Set<string>;
  /** Any former code (merged commune, commune déléguée or associée, arrondissement municipal) -> current code. */
  formerToCurrent: Map<string, string>;
  /** Current code -> the distinct former codes it was made of (itself included when it existed alone). */
  formerCodes: Map<string, Set<string>>;
}

export interface Passage {
  from: string;
  to: string;
}

export function buildCogIndex(currentCodes: Iterable<string>, passages: Iterable<Passage>): CogIndex {
  const current = new Set(currentCodes);
  const formerToCurrent = new Map<string, string>();
  const formerCodes = new Map<string, Set<string>>();
  for (const { from, to } of passages) {
    if (!current.has(to)) continue;
    if (from !== to) formerToCurrent.set(from, to);
    let set = formerCodes.get(to);
    if (!set) formerCodes.set(to, (set = new Set()));
    set.add(from);
  }
  return { current, formerToCurrent, formerCodes };
}

export type RekeyStatus = 'current' | 'rekeyed' | 'unknown';

export function rekey(index: CogIndex, code: string): { code: string | null; status: RekeyStatus } {
  const c = normaliseCommuneCode(code);
  if (c && index.current.has(c)) return { code: c, status: 'current' };
  const to = c ? index.formerToCurrent.get(c) : undefined;
  if (to) return { code: to, status: 'rekeyed' };
  return { code: null, status: 'unknown' };
}

/** '1001' -> '01001' (spreadsheets drop leading zeros); Corsica as 2A/2B. */
export function normaliseCommuneCode(code: string): string | null {
  const c = code.trim().toUpperCase();
  if (/^\d{4}$/.test(c)) return `0${c}`;
  if (/^(\d{5}|2[AB]\d{3})$/.test(c)) return c;
  return null;
}

export interface RekeyedMember {
  code: string;
  /** 1 = the whole commune; less when only some of its former communes were listed. */
  share: number;
}

export interface RekeyReport {
  members: RekeyedMember[];
  rekeyed: { from: string; to: string }[];
  unknown: string[];
  partial: { code: string; share: number; listed: string[] }[];
  duplicates: string[];
}

/**
 * Re-keys a list of commune codes. A current code in the list stands for the whole
 * commune; former codes alone stand for their part of it, estimated as the number of
 * former communes listed over the number it was made of.
 */
export function rekeyList(index: CogIndex, codes: readonly string[]): RekeyReport {
  const listed = new Map<string, Set<string>>();
  const whole = new Set<string>();
  const seen = new Set<string>();
  const report: RekeyReport = { members: [], rekeyed: [], unknown: [], partial: [], duplicates: [] };
  for (const raw of codes) {
    const input = normaliseCommuneCode(raw) ?? raw.trim();
    if (seen.has(input)) {
      report.duplicates.push(input);
      continue;
    }
    seen.add(input);
    const { code, status } = rekey(index, input);
    if (!code) {
      report.unknown.push(input);
      continue;
    }
    if (status === 'rekeyed') report.rekeyed.push({ from: input, to: code });
    else whole.add(code);
    let set = listed.get(code);
    if (!set) listed.set(code, (set = new Set()));
    set.add(input);
  }
  for (const [code, inputs] of listed) {
    const formers = index.formerCodes.get(code);
    let share = 1;
    if (!whole.has(code) && formers && formers.size > 1) {
      share = Math.min(1, inputs.size / formers.size);
      if (share < 1) report.partial.push({ code, share, listed: [...inputs].sort() });
    }
    report.members.push({ code, share });
  }
  return report;
}
