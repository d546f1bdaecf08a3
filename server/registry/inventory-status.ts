// How complete the registry is for a zone, and how a coverage figure must be worded
// because of it: "communes sans CLS" only where every département of the zone has a
// complete inventory; elsewhere "sans CLS connu", with the number of schemes known.
// Pure functions, so the rule is unit-tested without a database.

export const INVENTORY_TYPES = ['CLS', 'ASV', 'CLSM', 'PTSM', 'CPTS'] as const;
export type InventoryType = (typeof INVENTORY_TYPES)[number];
export type InventoryStatus = 'inconnu' | 'partiel' | 'complet';

export interface InventoryEntry {
  status: InventoryStatus;
  /** ISO date (AAAA-MM-JJ) of a complete inventory. */
  completeAt: string | null;
}

export interface ZoneInventory extends InventoryEntry {
  /** Schemes of the type(s) recorded in the zone. */
  known: number;
  /** What the coverage figure is, in French, ready to show. */
  wording: string;
}

const UNKNOWN: InventoryEntry = { status: 'inconnu', completeAt: null };

/** A département's status for one type: its own row or its région's, whichever says more. */
export function departementStatus(
  entries: ReadonlyMap<string, InventoryEntry>,
  departement: string,
  region: string,
  type: string,
): InventoryEntry {
  const own = entries.get(`departement:${departement}|${type}`) ?? UNKNOWN;
  const reg = entries.get(`region:${region}|${type}`) ?? UNKNOWN;
  const rank = { inconnu: 0, partiel: 1, complet: 2 } as const;
  return rank[own.status] >= rank[reg.status] ? own : reg;
}

/**
 * Status of a zone made of these départements for these types: complete only when every
 * département is complete for every type (dated by the oldest of them), unknown when none
 * says anything, partial otherwise. A zone with no département is unknown.
 */
export function combineStatus(list: InventoryEntry[]): InventoryEntry {
  if (!list.length) return UNKNOWN;
  if (list.every((e) => e.status === 'complet')) {
    const dates = list.map((e) => e.completeAt!).sort();
    return { status: 'complet', completeAt: dates[0]! };
  }
  if (list.every((e) => e.status === 'inconnu')) return UNKNOWN;
  return { status: 'partiel', completeAt: null };
}

const FEMININE = new Set(['CPTS']);

/** "30/11/2026" from "2026-11-30". */
export function frenchDate(iso: string): string {
  const [y, m, d] = iso.slice(0, 10).split('-');
  return d ? `${d}/${m}/${y}` : iso;
}

/**
 * The words of a coverage figure. `subject` is what is counted ("communes", "QPV"),
 * `types` the scheme types whose absence is counted (["ASV", "CLS"] for QPV).
 */
export function coverageWording(subject: string, types: string[], inventory: InventoryEntry & { known: number }): string {
  const list = types.join(' ni ');
  if (inventory.status === 'complet') return `${subject} sans ${list} (inventaire complet au ${frenchDate(inventory.completeAt!)})`;
  const plural = types.length > 1;
  const feminine = types.every((t) => FEMININE.has(t));
  const known = `connu${feminine ? 'e' : ''}${plural ? 's' : ''}`;
  const registre = inventory.status === 'partiel' ? 'registre partiel' : 'exhaustivité du registre inconnue';
  const recorded = `recensé${feminine ? 'e' : ''}${inventory.known > 1 ? 's' : ''}`;
  return `${subject} sans ${list} ${known} — ${registre} : ${inventory.known} ${types.join(' ou ')} ${recorded} dans la zone`;
}

/** The status and wording of a zone for the given types, from the départements it spans. */
export function zoneInventory(
  entries: ReadonlyMap<string, InventoryEntry>,
  departements: { departement: string; region: string }[],
  types: string[],
  known: number,
  subject: string,
): ZoneInventory {
  const combined = combineStatus(departements.flatMap((d) => types.map((t) => departementStatus(entries, d.departement, d.region, t))));
  return { ...combined, known, wording: coverageWording(subject, types, { ...combined, known }) };
}
