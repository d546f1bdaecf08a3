// The current publication, rebuilt only when the published data changed: one cheap
// query per request tells whether the files built last time are still right.
import type { Queryable } from '../../core/db/db.ts';
import { publicationState } from '../queries/open-data.ts';
import { buildOpenData, type OpenDataBundle } from './build.ts';

export interface OpenDataPublication {
  current(): Promise<OpenDataBundle>;
}

export function openDataPublication(db: Queryable): OpenDataPublication {
  let cached: { key: string; bundle: Promise<OpenDataBundle> } | null = null;
  return {
    async current() {
      const state = await publicationState(db);
      if (cached?.key !== state.key) {
        const entry = { key: state.key, bundle: buildOpenData(db, state.modified ?? new Date().toISOString()) };
        cached = entry;
        // a failed build is not kept: the next request tries again
        entry.bundle.catch(() => {
          if (cached === entry) cached = null;
        });
      }
      return cached.bundle;
    },
  };
}
