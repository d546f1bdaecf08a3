// Who may do what with the registry: a pure function of the user and the scheme, so
// the whole matrix is unit-tested without a server, and the client asks the same rule
// before offering an action (the server has the final word).
//   visitor      reads everything except personal contact details
//   coordinator  edits the schemes they are attached to (fields, perimeter, referents),
//                the perimeter staying inside the scheme's région; never closes one
//   planner      (ARS) creates, edits and closes every scheme of their région, and
//                imports perimeter files (CPTS, psychiatric sectors…)
//   admin        everything, and manages accounts

import type { Role } from './domain.ts';

export type { Role };

export interface SessionUser {
  id: number;
  email: string;
  name: string;
  role: Role;
  region: string | null;
  schemes: string[];
}

export type Action = 'create' | 'edit' | 'close' | 'referents' | 'contacts' | 'manage-users' | 'import-registry' | 'import-perimeters';

export interface SchemeScope {
  code: string;
  /** Région overseeing the scheme (majority of its population). */
  region: string | null;
}

export function can(user: SessionUser | null, action: Action, scheme?: SchemeScope): boolean {
  if (!user) return false;
  if (user.role === 'admin') return true;
  if (action === 'contacts') return true;
  if (action === 'manage-users' || action === 'import-registry') return false;
  if (action === 'import-perimeters') return user.role === 'planner';
  const inRegion = !!scheme && !!user.region && scheme.region === user.region;
  if (user.role === 'planner') return inRegion;
  // coordinator
  if (action === 'create' || action === 'close') return false;
  return !!scheme && user.schemes.includes(scheme.code);
}

/**
 * What a change of status needs: moving a scheme to or from "termine" is closing (or
 * reopening) it, the same permission as DELETE, whichever route asks for it.
 */
export function statusAction(before: string, after: string | undefined): Action {
  return after !== undefined && after !== before && (after === 'termine' || before === 'termine') ? 'close' : 'edit';
}

/**
 * Whether the user may give a scheme a perimeter made of these communes: a
 * coordinator keeps it inside the scheme's région, within their planner's reach.
 * (Planners are held to their own région by the majority rule of `can`.)
 */
export function canPlacePerimeter(user: SessionUser | null, scheme: SchemeScope, communes: { region: string | null }[]): boolean {
  if (!user) return false;
  if (user.role !== 'coordinator') return true;
  return scheme.region !== null && communes.every((c) => c.region === scheme.region);
}
