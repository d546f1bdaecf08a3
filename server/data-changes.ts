// Follows public.data_change, where every import and registry edit leaves a row: a running
// server learns of a change made by another process (`npm run import`, another instance)
// and forgets the tiles and cached analyses of the layers it replaced. On PostgreSQL the
// rows are announced by NOTIFY (migration 006) and read at once; the poll stays as the
// fallback (a lost connection) and is the only way on the embedded database, which one
// process holds.
import type { Db, Queryable } from '../core/db/db.ts';
import { dataChangesSince, lastDataChange } from './queries/data-changes.ts';
import type { TileStore } from './tiles/store.ts';

/**
 * What the data looks like now: a number that every write bumps (analyses cached against
 * an older one are dropped) and the tile store to tell which layer changed.
 */
export class DataVersion {
  private value = 0;
  /** Changes of all layers at once, and of each layer: what a cache of a few layers checks. */
  private everything = 0;
  private readonly byLayer = new Map<string, number>();

  constructor(private readonly tiles: TileStore) {}

  get current(): number {
    return this.value;
  }

  /** A key that changes whenever one of these layers does (a registry edit leaves the communes' unchanged). */
  of(layers: readonly string[]): string {
    return `${this.everything}:${layers.map((l) => this.byLayer.get(l) ?? 0).join(',')}`;
  }

  /** A key that changes whenever a layer other than this one does (the reference data, beside the registry). */
  excluding(layer: string): string {
    let others = 0;
    for (const [l, n] of this.byLayer) if (l !== layer) others += n;
    return `${this.everything}:${others}`;
  }

  /** A layer changed (null: all of them). */
  changed(layer: string | null): void {
    this.value++;
    if (layer === null) this.everything++;
    else this.byLayer.set(layer, (this.byLayer.get(layer) ?? 0) + 1);
    this.tiles.invalidate(layer ?? undefined);
  }
}

export interface DataChangeWatcher {
  stop(): void;
}

export function watchDataChanges(
  db: Queryable & Pick<Db, 'listen'>,
  onChange: (layer: string | null) => void,
  { intervalMs, onError }: { intervalMs: number; onError: (err: unknown) => void },
): DataChangeWatcher {
  // changes before the server started are already in what it loads
  let last: Promise<number> = lastDataChange(db).catch((err: unknown) => {
    // without a starting point, the first check reports every change: too many reloads, never stale tiles
    onError(err);
    return 0;
  });
  let running = false;
  let again = false;

  /** Reads the rows written since the last check and reports each changed layer (null: all). */
  const check = async (): Promise<void> => {
    if (running) {
      // a notification during a check: read once more after it
      again = true;
      return;
    }
    running = true;
    try {
      const since = await last;
      const rows = await dataChangesSince(db, since);
      if (rows.length === 0) return;
      last = Promise.resolve(rows.at(-1)!.id);
      const layers = new Set(rows.map((r) => r.layer));
      if (layers.has(null)) onChange(null);
      else for (const layer of layers) onChange(layer);
    } finally {
      running = false;
      if (again) {
        again = false;
        void check().catch(onError);
      }
    }
  };

  const timer = setInterval(() => void check().catch(onError), intervalMs);
  timer.unref();
  let stopped = false;
  const unlisten = db
    .listen?.('data_change', () => void check().catch(onError))
    .catch((err: unknown) => {
      onError(err);
      return undefined;
    });
  return {
    stop: () => {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      void unlisten?.then((stop) => stop?.());
    },
  };
}
