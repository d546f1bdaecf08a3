// What a coverage answer must say about itself: how complete the registry is in the zone
// (inventory status, schemes known, the wording of the figure) and whether it used
// fictitious units. Shared by the gap routes (communes, QPV, referents) and their CSV.
import type { Queryable } from '../../core/db/db.ts';
import { inventoryEntries, unitsInZone, zoneDepartements } from '../queries/inventory.ts';
import { zoneInventory, type ZoneInventory } from './inventory-status.ts';

export interface Fiction {
  fictitious: boolean;
  count: number;
  wording: string | null;
}

export interface CoverageContext {
  inventory: ZoneInventory | null;
  fiction: Fiction;
}

type Zone = { layer: string; code: string } | null;

const SCHEME_TYPES = ['CLS', 'ASV', 'CLSM', 'PTSM'];

/** The scheme types whose inventory a layer's coverage depends on, or null (a reference layer). */
export function inventoryTypes(layer: string, schemeType: string | null): string[] | null {
  if (layer === 'scheme') return schemeType ? [schemeType] : SCHEME_TYPES;
  if (layer === 'cpts') return ['CPTS'];
  return null;
}

export function fictionWording(label: string, count: number, known: number): string | null {
  if (!count) return null;
  const all = count === known;
  return `${all ? `Les ${count}` : `${count} des ${known}`} ${label} de la zone ${count > 1 ? 'sont des exemples fictifs' : 'est un exemple fictif'}, générés pour la démonstration : cette réponse ne décrit pas la réalité.`;
}

/** What a coverage question's context reads from the data (not the inventory declarations): one data version's worth. */
export interface ZoneFacts {
  units: { known: number; fictitious: number };
  /** The départements of the zone, when the layer's coverage depends on an inventory. */
  departements: { departement: string; region: string }[] | null;
}

/** The scheme types whose inventory decides this question's honesty (null: the layer has no inventory). */
function inventoriedTypes(q: { layer: string; schemeTypes: string[] | null }) {
  return q.layer === 'scheme' ? (q.schemeTypes ?? SCHEME_TYPES) : inventoryTypes(q.layer, null);
}

export async function zoneFacts(db: Queryable, q: { layer: string; schemeTypes: string[] | null; zone: Zone }): Promise<ZoneFacts> {
  const zl = q.zone?.layer ?? null;
  const zc = q.zone?.code ?? null;
  const types = inventoriedTypes(q);
  const [units, departements] = await Promise.all([
    unitsInZone(db, q.layer, q.schemeTypes, zl, zc),
    types ? zoneDepartements(db, zl, zc) : null,
  ]);
  return { units, departements };
}

/**
 * Inventory and fiction of a coverage question: communes (or `subject`) of `zone` without
 * a unit of `layer` (of `schemeTypes`). `facts` may come from a cache of the same data
 * version (zoneFacts); the inventory declarations are read every time.
 */
export async function coverageContext(
  db: Queryable,
  q: { layer: string; schemeTypes: string[] | null; label: string; subject: string; zone: Zone },
  facts?: ZoneFacts,
): Promise<CoverageContext> {
  const { units, departements } = facts ?? (await zoneFacts(db, q));
  const types = inventoriedTypes(q);
  let inventory: ZoneInventory | null = null;
  if (types && departements) {
    const entries = await inventoryEntries(db, types);
    inventory = zoneInventory(entries, departements, types, units.known, q.subject);
  }
  return {
    inventory,
    fiction: { fictitious: units.fictitious > 0, count: units.fictitious, wording: fictionWording(q.label, units.fictitious, units.known) },
  };
}

// moved to the CSV module, kept here for the routes that import them from the registry
export { csvPreamble, withPreamble } from '../../core/csv/write.ts';
