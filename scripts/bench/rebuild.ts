// What a data change costs the tiles (issue 15): in process, a layer is loaded, invalidated
// as an import or a registry edit does, then tiles never cut yet are asked one after the
// other until the background rebuild is done. The longest wait is what a visitor meets.
import type { Queryable } from '../../core/db/db.ts';
import { TileStore } from '../../server/tiles/store.ts';
import type { TileRequest } from './tile-list.ts';

export interface RebuildResult {
  layer: string;
  /** The first tile asked after the change. */
  firstMs: number;
  /** The longest wait of a tile asked during the rebuild. */
  maxWaitMs: number;
  /** Tiles cut while the rebuild was under way. */
  tilesDuring: number;
  /** From the change to the new indexes serving (the first tile's wait for a registry layer). */
  rebuildMs: number;
}

export async function measureRebuilds(
  db: Queryable,
  list: TileRequest[],
  layers = ['scheme', 'epci', 'commune'],
): Promise<RebuildResult[]> {
  const out: RebuildResult[] = [];
  // distinct tiles, deepest first: each one a cut, none in the cache
  const tiles = [...new Map(list.map((r) => [`${r.z}/${r.x}/${r.y}`, r])).values()].sort((a, b) => b.z - a.z);
  const store = new TileStore(db);
  try {
    let next = 0;
    for (const layer of layers) {
      await store.warm([layer]);
      await store.tile([layer], 5, 16, 11);
      const t0 = performance.now();
      store.invalidate(layer);
      let done = false;
      const rebuilt = store.rebuilt().then(() => {
        done = true;
        return performance.now() - t0;
      });
      const waits: number[] = [];
      do {
        const r = tiles[next++ % tiles.length]!;
        const t = performance.now();
        await store.tile([layer], r.z, r.x, r.y);
        waits.push(performance.now() - t);
        // a tile from the cache answers without leaving the microtask queue: let the rebuild's I/O in
        await new Promise((resolve) => setImmediate(resolve));
      } while (!done);
      const rebuildMs = await rebuilt;
      out.push({
        layer,
        firstMs: waits[0]!,
        maxWaitMs: waits.reduce((a, b) => Math.max(a, b), 0),
        tilesDuring: waits.length,
        rebuildMs: rebuildMs > waits[0]! ? rebuildMs : waits[0]!,
      });
    }
  } finally {
    await store.close();
  }
  return out;
}
