// The client side of an honest registry: what a coverage answer says about itself
// (inventory status, fiction), the inventory declarations of a région, the public
// "Signaler une démarche" form and its moderation queue. Types come from contract/.
import type { z } from 'zod';
import type { fictionSchema, inventoryRowSchema, zoneInventorySchema } from '../../../contract/inventory.ts';
import type { contributionInputSchema, contributionSchema } from '../../../contract/contributions.ts';
import { call } from './registry.ts';

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

const seg = encodeURIComponent;

export const inventoryApi = {
  region: (region: string) =>
    call<{ region: string; entries: InventoryRow[] }>('GET', `/api/inventory?region=${seg(region)}`).then((r) => r.data.entries),
  set: (zone: string, type: string, body: { status: string; completeAt: string | null; comment: string }) =>
    call<{ entry: InventoryRow }>('PUT', `/api/inventory/${seg(zone)}/${seg(type)}`, { body }).then((r) => r.data.entry),
};

export const contributionsApi = {
  submit: (input: ContributionInput) =>
    call<{ received: true; message: string }>('POST', '/api/contributions', { body: input }).then((r) => r.data),
  queue: (status = 'en_attente') =>
    call<{ contributions: Contribution[] }>('GET', `/api/contributions?status=${seg(status)}`).then((r) => r.data.contributions),
  accept: (id: number) =>
    call<{ scheme: { code: string; name: string } }>('POST', `/api/contributions/${id}/accept`, { body: {} }).then((r) => r.data.scheme),
  reject: (id: number, reason: string) =>
    call<{ contribution: Contribution }>('POST', `/api/contributions/${id}/reject`, { body: { reason } }).then((r) => r.data.contribution),
};
