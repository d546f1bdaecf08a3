// Who is signed in, for every component at once: the user (null: a visitor) read from
// GET /api/auth/session at start, set by the sign-in dialog, cleared on sign-out. The
// CSRF token stays in lib/http.ts's memory; what a user may do is contract/permissions.
import { canImport, searchRegion, session as sessionApi, type User } from '../lib/registry.ts';

class Session {
  user = $state<User | null>(null);

  /** May create schemes and import perimeters. */
  get canImport(): boolean {
    return canImport(this.user);
  }

  /** The région the comparison search keeps to by default (a planner's); null: all of France. */
  get searchRegion(): string | null {
    return searchRegion(this.user);
  }

  /** The user's région (a planner's or a regional admin's), for "Ma région" shortcuts. */
  get region(): string | null {
    return this.user?.region ?? null;
  }

  /** Reads the current session (a failure counts as a visitor). */
  async load(): Promise<void> {
    try {
      this.user = (await sessionApi.me())?.user ?? null;
    } catch {
      this.user = null;
    }
  }

  set(user: User | null): void {
    this.user = user;
  }
}

export const session = new Session();
