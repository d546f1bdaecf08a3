// One tile cutter (a worker thread) and the layers loaded into it, each at a data version.
// The tile store serves from one generation and builds the next one beside it after an
// import, so that tiles keep coming from the previous data while the new indexes are built
// (store.ts): a tile is always cut by one generation, so never from two data versions.
import type { Queryable } from '../../core/db/db.ts';
import { layerFeaturePages } from '../queries/tiles.ts';
import { TileCutter, type CutterOptions } from './cutter.ts';

export class Generation {
  readonly cutter: TileCutter;
  /** Layer → the data version loaded (or being loaded) into the cutter. */
  private layers = new Map<string, { version: number; loading: Promise<void> }>();

  constructor(
    private readonly db: Queryable,
    options: CutterOptions,
    onLost: (why: string) => void,
  ) {
    this.cutter = new TileCutter((why) => {
      // the worker took every index with it
      this.layers.clear();
      onLost(why);
    }, options);
  }

  /** The version of this layer loaded or being loaded; undefined if none. */
  versionOf(layer: string): number | undefined {
    return this.layers.get(layer)?.version;
  }

  loadedLayers(): string[] {
    return [...this.layers.keys()];
  }

  /** Loads the layer at this version unless it is there already (a newer one is kept). */
  load(layer: string, version: number): Promise<void> {
    const current = this.layers.get(layer);
    if (current && current.version >= version) return current.loading;
    const loading = this.cutter.load(layer, layerFeaturePages(this.db, layer));
    const entry = { version, loading };
    this.layers.set(layer, entry);
    loading.catch(() => {
      if (this.layers.get(layer) === entry) this.layers.delete(layer);
    });
    return loading;
  }

  forget(layer: string): void {
    this.layers.delete(layer);
  }

  /** Stops the cutter once the tiles already asked of it are cut. */
  retire(): void {
    this.layers.clear();
    this.cutter.retire();
  }

  close(): Promise<void> {
    this.layers.clear();
    return this.cutter.close();
  }
}
