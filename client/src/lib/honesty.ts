// The client side of an honest registry: what a coverage answer says about itself
// (inventory status, fiction), the inventory declarations of a région, the public
// "Signaler une démarche" form and its moderation queue. Types come from contract/.
import type { z } from 'zod';
import {
  listInventory,
  putInventory,
  type fictionSchema,
  type inventoryRowSchema,
  type setInventorySchema,
  type zoneInventorySchema,
} from '../../../contract/inventory.ts';
import {
  acceptContribution,
  type CONTRIBUTION_STATUSES,
  listContributions,
  rejectContribution,
  submitContribution,
  type contributionInputSchema,
  type contributionSchema,
} from '../../../contract/contributions.ts';
import { fetchJson } from './http.ts';

export type ZoneInventory = z.infer<typeof zoneInventorySchema>;
export type Fiction = z.infer<typeof fictionSchema>;
export type InventoryRow = z.infer<typeof inventoryRowSchema>;
export type ContributionInput = z.input<typeof contributionInputSchema>;
export type Contribution = z.infer<typeof contributionSchema>;

/** What every coverage answer carries besides its figures. */
export interface Honest {
  inventory?: ZoneInventory | null;
  fiction?: Fiction;
}

/** A share may be shown bare only when the registry of the zone is declared complete. */
export function shareIsFact(h: Honest): boolean {
  return !h.inventory || h.inventory.status === 'complet';
}

export const INVENTORY_LABELS: Record<string, string> = { inconnu: 'inconnu', partiel: 'partiel', complet: 'complet' };

export const inventoryApi = {
  region: (region: string) => fetchJson(listInventory, { query: { region } }).then((r) => r.entries),
  set: (zone: string, type: string, body: { status: string; completeAt: string | null; comment: string }) =>
    fetchJson(putInventory, {
      params: { zone, type: type as InventoryRow['type'] },
      body: body as z.input<typeof setInventorySchema>,
    }).then((r) => r.entry),
};

export const contributionsApi = {
  submit: (input: ContributionInput) => fetchJson(submitContribution, { body: input }),
  queue: (status: (typeof CONTRIBUTION_STATUSES)[number] = 'en_attente') =>
    fetchJson(listContributions, { query: { status } }).then((r) => r.contributions),
  accept: (id: number) => fetchJson(acceptContribution, { params: { id }, body: {} }).then((r) => r.scheme),
  reject: (id: number, reason: string) => fetchJson(rejectContribution, { params: { id }, body: { reason } }).then((r) => r.contribution),
};
