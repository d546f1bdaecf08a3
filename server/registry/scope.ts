// Who may act where in the registry beyond the role matrix of contract/permissions.ts: the
// région a planner answers for bounds what they import, moderate, declare complete and
// whose contacts they read. Pure functions of the user and a région.
import type { SessionUser } from '../../contract/permissions.ts';
import { HttpError } from '../errors.ts';

/** An admin acts everywhere; a planner in their own région only; a coordinator nowhere. */
export function actsInRegion(user: SessionUser | null, region: string | null): boolean {
  if (!user) return false;
  if (user.role === 'admin') return true;
  return user.role === 'planner' && !!user.region && region === user.region;
}

/** Throws the French 403 of a planner acting outside their région. */
export function requireRegion(user: SessionUser, region: string | null, what: string): void {
  if (actsInRegion(user, region)) return;
  if (user.role === 'planner') {
    throw new HttpError(
      403,
      `Vous ne pouvez ${what} que dans votre région (${user.region ?? 'aucune région rattachée'})${region ? ` ; ceci concerne la région ${region}` : ''}.`,
    );
  }
  throw new HttpError(403, `Votre rôle ne permet pas de ${what}.`);
}

/**
 * Referents' contact details: a coordinator for their own schemes, a planner for the
 * schemes of their région, an admin for all; visitors never.
 */
export function canSeeContacts(user: SessionUser | null, scheme: { code: string; region: string | null }): boolean {
  if (!user) return false;
  if (user.role === 'coordinator') return user.schemes.includes(scheme.code);
  return actsInRegion(user, scheme.region);
}

/** E-mail addresses in free text (a scheme's source, a history snapshot), masked for the public. */
export function maskEmails<T>(value: T): T {
  return JSON.parse(JSON.stringify(value), (_k, v: unknown) =>
    typeof v === 'string' ? v.replace(/[^\s@()<>"',;]+@[^\s@()<>"',;]+\.[^\s@()<>"',;]+/g, '[adresse masquée]') : v,
  ) as T;
}
