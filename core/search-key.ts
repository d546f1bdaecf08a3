// Search keys: accent-, case-, hyphen- and apostrophe-insensitive, with the usual
// abbreviations of French place names expanded ("st etienne" finds Saint-Étienne).
// The same function builds the stored keys at import and the keys of queries.

const LIGATURES: Record<string, string> = { œ: 'oe', æ: 'ae', ß: 'ss' };
const ABBREVIATIONS: Record<string, string> = { st: 'saint', ste: 'sainte', sts: 'saints', stes: 'saintes' };

export function searchKey(text: string): string {
  const folded = text
    .toLowerCase()
    .replace(/[œæß]/g, (c) => LIGATURES[c] ?? c)
    .normalize('NFD')
    .replace(/\p{Mn}/gu, '');
  return folded
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
    .map((word) => ABBREVIATIONS[word] ?? word)
    .join(' ');
}

/** A commune, EPCI or other code typed as such: kept as typed, upper-cased (2A, QN…). */
export function asCode(text: string): string | null {
  const t = text.trim().toUpperCase();
  return /^[0-9A-Z][0-9A-Z-]{1,29}$/.test(t) && /\d/.test(t) ? t : null;
}
