// Who may do what with the registry: a pure function of the user and the scheme, so
// the whole matrix is unit-tested without a server.
//   visitor      reads everything except personal contact details
//   coordinator  edits the schemes they are attached to (fields, perimeter, referents)
//   planner      (ARS) creates, edits and closes every scheme of their région, and
//                imports perimeter files (CPTS, psychiatric sectors…)
//   admin        everything, and manages accounts

export type Role = 'admin' | 'planner' | 'coordinator';

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
