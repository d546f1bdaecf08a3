// Who may import or undo perimeters within a scope: an administrator anywhere (the whole
// country included); a planner only within their own région (the région itself or one of
// its départements). A pure function, unit-tested with the permission matrix.
import type { SessionUser } from '../../contract/permissions.ts';

/** `scopeRegion`: the région of the scope (null: the whole country). */
export function canTouchScope(user: SessionUser | null, scopeRegion: string | null): boolean {
  if (!user) return false;
  if (user.role === 'admin') return true;
  return user.role === 'planner' && !!user.region && scopeRegion === user.region;
}

export const SCOPE_FORBIDDEN =
  'Un planificateur ARS importe et annule des périmètres dans sa seule région (la région ou l’un de ses départements).';
