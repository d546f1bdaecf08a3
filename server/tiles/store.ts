// Vector tiles for every layer, cut by geojson-vt and encoded by vt-pbf in a worker
// thread (cutter.ts): the same code and the same bytes on PostGIS and on the embedded
// database (whose PostGIS has no ST_AsMVT). The main thread reads the layers from the
// database, keeps the encoded tiles and answers from them. Each layer has a version:
// invalidate(layer) after an edit, and neither its index nor any cached tile that
// contains it is served again.
import type { Queryable } from '../../core/db/db.ts';
import { layerFeatures } from '../queries/tiles.ts';
import { ByteLru } from './cache.ts';
import { TileCutter, type CutterOptions } from './cutter.ts';

export { MAX_ZOOM } from './layer-index.ts';

/** Loads of every layer a start attempts: enough for the cutter's heap to double from 384 MB to its 4 GB cap. */
const MAX_WARM_ATTEMPTS = 5;

/** Encoded tiles kept in memory (gzipped bytes). */
const CACHE_BYTES = 96 * 2 ** 20;

export interface TileStoreOptions extends CutterOptions {
  /** Bytes of encoded tiles kept in memory. */
  cacheBytes?: number;
  /** Told when the cutter's thread stopped unexpectedly (it restarts by itself). */
  onCutterLost?: (why: string) => void;
}

export interface EncodedTile {
  /** The tile gzipped, as sent to browsers (which all accept gzip). */
  gzipped: Buffer;
  etag: string;
}

export interface TileStoreStats {
  /** Tiles the worker's indexes hold below their pre-cut pyramids. */
  drilledTiles: number;
  cutterHeapMb: number;
  cachedTiles: number;
  cachedBytes: number;
}

export class TileStore {
  /** Layers loaded into the cutter (or being loaded). */
  private loaded = new Map<string, Promise<void>>();
  private versions = new Map<string, number>();
  /** null: a tile where no layer has anything, cached too as it costs a cut like any tile. */
  private cache: ByteLru<EncodedTile | null>;
  private cutting = new Map<string, Promise<EncodedTile | null>>();
  private readonly cutter: TileCutter;

  constructor(
    private readonly db: Queryable,
    { cacheBytes = CACHE_BYTES, onCutterLost, ...cutterOptions }: TileStoreOptions = {},
  ) {
    this.cache = new ByteLru(cacheBytes, (t) => 64 + (t?.gzipped.length ?? 0));
    const lost = (why: string) => {
      this.loaded.clear();
      onCutterLost?.(why);
    };
    this.cutter = new TileCutter(lost, cutterOptions);
  }

  version(layer: string): number {
    return this.versions.get(layer) ?? 0;
  }

  /** Forget a layer's index and the cached tiles holding it (after an import or a registry edit). */
  invalidate(layer?: string): void {
    const layers = layer ? [layer] : [...new Set([...this.loaded.keys(), ...this.versions.keys()])];
    for (const l of layers) {
      // the cutter keeps the old index until the layer is loaded again, which replaces it
      this.loaded.delete(l);
      this.versions.set(l, this.version(l) + 1);
    }
    if (!layer) this.cache.clear();
    else
      this.cache.deleteWhere((key) =>
        key
          .split('/')[0]!
          .split(',')
          .some((k) => k.startsWith(`${layer}@`)),
      );
  }

  private load(layer: string): Promise<void> {
    let loading = this.loaded.get(layer);
    if (!loading) {
      const current: Promise<void> = layerFeatures(this.db, layer).then((rows) => this.cutter.load(layer, rows));
      loading = current;
      this.loaded.set(layer, current);
      current.catch(() => {
        if (this.loaded.get(layer) === current) this.loaded.delete(layer);
      });
    }
    return loading;
  }

  /**
   * Builds the indexes of these layers now rather than on the first tile request. A cutter
   * that runs out of memory restarts with twice the heap (cutter.ts) and forgets every
   * layer: they are all loaded again, so that what the data weighs never stops a start.
   */
  async warm(layers: string[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        // one after the other: loading them all at once holds every layer's rows at the same time
        for (const layer of layers) await this.load(layer);
        if (layers.every((l) => this.loaded.has(l))) return;
      } catch (err) {
        if (attempt >= MAX_WARM_ATTEMPTS || !String((err as Error).message).startsWith('tile cutter stopped')) throw err;
      }
      if (attempt >= MAX_WARM_ATTEMPTS) throw new Error('tile cutter kept restarting while loading the layers');
    }
  }

  async stats(): Promise<TileStoreStats> {
    const cutter = await this.cutter.stats();
    return {
      drilledTiles: cutter.drilledTiles,
      cutterHeapMb: cutter.heapUsedMb,
      cachedTiles: this.cache.size,
      cachedBytes: this.cache.bytes,
    };
  }

  /** Stops the cutter's thread (a later tile request starts it again). */
  close(): Promise<void> {
    this.loaded.clear();
    return this.cutter.close();
  }

  private key(layers: string[], z: number, x: number, y: number): string {
    return `${layers.map((l) => `${l}@${this.version(l)}`).join(',')}/${z}/${x}/${y}`;
  }

  /** A tile already encoded: the tile, null (nothing there), or undefined when it must be cut. */
  cached(layers: string[], z: number, x: number, y: number): EncodedTile | null | undefined {
    return this.cache.get(this.key(layers, z, x, y));
  }

  /** The encoded tile of several layers; null when no layer has anything there. */
  async tile(layers: string[], z: number, x: number, y: number): Promise<EncodedTile | null> {
    const key = this.key(layers, z, x, y);
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached;
    // several visitors asking for the same new tile share one cut
    let pending = this.cutting.get(key);
    if (!pending) {
      pending = this.cut(key, layers, z, x, y).finally(() => this.cutting.delete(key));
      this.cutting.set(key, pending);
    }
    return pending;
  }

  private async cut(key: string, layers: string[], z: number, x: number, y: number): Promise<EncodedTile | null> {
    const versions = layers.map((l) => this.version(l));
    for (const layer of layers) await this.load(layer);
    const cut = await this.cutter.cut(key, layers, z, x, y);
    const tile = cut && { gzipped: Buffer.from(cut.gzipped.buffer, cut.gzipped.byteOffset, cut.gzipped.byteLength), etag: cut.etag };
    // a layer invalidated while this tile was being cut: answer, but do not keep it
    if (layers.every((l, i) => this.version(l) === versions[i])) this.cache.set(key, tile);
    return tile;
  }
}
