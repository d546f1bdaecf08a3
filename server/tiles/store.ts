// Vector tiles for every layer, cut (polygon-cut.ts, as geojson-vt cuts) and encoded
// (encode-mvt.ts) in a worker thread (cutter.ts): the same code and bytes on PostGIS and
// on the embedded database (whose PostGIS has no ST_AsMVT). The main thread reads the
// layers from the database, keeps the encoded tiles and answers from them. Each layer has
// a data version, bumped by invalidate(layer) after an edit or an import:
// - a registry edit (the scheme layer, small) is served at once: the next tile reloads it;
// - any other layer (communes take seconds to index) is rebuilt in the background, in a
//   second cutter (generation.ts) loaded with every layer, while the first one goes on
//   serving the previous data; the store then switches to the new one in one step.
import type { Queryable } from '../../core/db/db.ts';
import { ByteLru } from './cache.ts';
import type { CutterOptions } from './cutter.ts';
import { Generation } from './generation.ts';

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
  /** Told when a background rebuild failed (the layers are then reloaded before their next tile). */
  onRebuildFailed?: (err: unknown) => void;
}

export interface EncodedTile {
  /** The tile gzipped, as sent to browsers (which all accept gzip). */
  gzipped: Buffer;
  etag: string;
}

export interface TileStoreStats {
  cutterHeapMb: number;
  cachedTiles: number;
  cachedBytes: number;
}

/** Registry layers: small, and an edit must show at once, so they are reloaded before the next tile. */
const SYNC_LAYERS = new Set(['scheme']);

function isCutterLoss(err: unknown): boolean {
  return String((err as Error).message).startsWith('tile cutter stopped');
}

export class TileStore {
  /** The latest data version of each layer. */
  private versions = new Map<string, number>();
  /** The cutter tiles are cut by, with the layers it holds. */
  private active: Generation;
  /** The background rebuild under way, if any (see rebuild()). */
  private rebuilding: Promise<void> | null = null;
  /** The cutter being loaded by that rebuild. */
  private next: Generation | null = null;
  private closed = false;
  /** null: a tile where no layer has anything, cached too as it costs a cut like any tile. */
  private cache: ByteLru<EncodedTile | null>;
  private cutting = new Map<string, Promise<EncodedTile | null>>();
  private readonly cutterOptions: CutterOptions;
  private readonly onCutterLost?: (why: string) => void;
  private readonly onRebuildFailed?: (err: unknown) => void;

  constructor(
    private readonly db: Queryable,
    { cacheBytes = CACHE_BYTES, onCutterLost, onRebuildFailed, ...cutterOptions }: TileStoreOptions = {},
  ) {
    this.cache = new ByteLru(cacheBytes, (t) => 64 + (t?.gzipped.length ?? 0));
    this.cutterOptions = cutterOptions;
    this.onCutterLost = onCutterLost;
    this.onRebuildFailed = onRebuildFailed;
    this.active = this.generation(cutterOptions);
  }

  private generation(options: CutterOptions): Generation {
    return new Generation(this.db, options, (why) => this.onCutterLost?.(why));
  }

  /** The latest data version of a layer. */
  version(layer: string): number {
    return this.versions.get(layer) ?? 0;
  }

  /**
   * The version a tile of this layer is cut at now: the latest for registry layers and for
   * layers not loaded yet, otherwise the one loaded (older while a rebuild is under way).
   */
  private served(layer: string): number {
    if (SYNC_LAYERS.has(layer)) return this.version(layer);
    return this.active.versionOf(layer) ?? this.version(layer);
  }

  /**
   * A layer changed (all of them without an argument), after an import or a registry edit.
   * Registry layers are reloaded by the next tile; other layers keep being served from
   * their previous data until the background rebuild is done (rebuilt() waits for it).
   */
  invalidate(layer?: string): void {
    const layers = layer ? [layer] : [...new Set([...this.active.loadedLayers(), ...this.versions.keys()])];
    let rebuild = false;
    for (const l of layers) {
      this.versions.set(l, this.version(l) + 1);
      if (SYNC_LAYERS.has(l) || this.active.versionOf(l) === undefined) this.dropStaleTiles(l);
      else rebuild = true;
    }
    if (rebuild) this.startRebuild();
  }

  /** Resolves when no background rebuild is under way. */
  async rebuilt(): Promise<void> {
    while (this.rebuilding) await this.rebuilding;
  }

  private startRebuild(): void {
    // a rebuild under way loads the newer versions before it switches (see rebuild())
    if (this.rebuilding || this.closed) return;
    this.rebuilding = this.rebuild()
      .catch((err: unknown) => {
        // fall back to reloading before the next tile: slower, never stale
        for (const l of this.active.loadedLayers()) {
          if (this.active.versionOf(l) !== this.version(l)) {
            this.active.forget(l);
            this.dropStaleTiles(l);
          }
        }
        this.onRebuildFailed?.(err);
      })
      .finally(() => {
        this.rebuilding = null;
      });
  }

  /**
   * Loads every layer of the active cutter, at its latest version, into a new cutter, then
   * serves from it. Layers invalidated or first loaded meanwhile are loaded too before the
   * switch, which happens with no wait between the last check and the swap.
   */
  private async rebuild(): Promise<void> {
    const next = this.generation({ ...this.cutterOptions, heapLimitMb: this.active.cutter.heapLimit });
    this.next = next;
    try {
      for (let attempt = 1; ; attempt++) {
        const stale = this.active.loadedLayers().filter((l) => next.versionOf(l) !== this.version(l));
        if (stale.length === 0 || this.closed) break;
        try {
          // one after the other: loading them all at once holds every layer's rows at the same time
          for (const l of stale) await next.load(l, this.version(l));
        } catch (err) {
          if (attempt >= MAX_WARM_ATTEMPTS || !isCutterLoss(err)) throw err;
        }
      }
    } catch (err) {
      await next.close();
      throw err;
    } finally {
      this.next = null;
    }
    if (this.closed) return void (await next.close());
    const old = this.active;
    this.active = next;
    old.retire();
    this.cache.deleteWhere((key) => this.layerVersions(key).some(([l, v]) => v !== this.served(l)));
  }

  private layerVersions(key: string): [string, number][] {
    return key
      .split('/')[0]!
      .split(',')
      .map((lv) => {
        const at = lv.lastIndexOf('@');
        return [lv.slice(0, at), Number(lv.slice(at + 1))];
      });
  }

  /** Cached tiles holding an older version of this layer, which no key reaches any more. */
  private dropStaleTiles(layer: string): void {
    this.cache.deleteWhere((key) => this.layerVersions(key).some(([l, v]) => l === layer && v !== this.served(l)));
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
        for (const layer of layers) await this.active.load(layer, this.served(layer));
        if (layers.every((l) => this.active.versionOf(l) !== undefined)) return;
      } catch (err) {
        if (attempt >= MAX_WARM_ATTEMPTS || !isCutterLoss(err)) throw err;
      }
      if (attempt >= MAX_WARM_ATTEMPTS) throw new Error('tile cutter kept restarting while loading the layers');
    }
  }

  async stats(): Promise<TileStoreStats> {
    const cutter = await this.active.cutter.stats();
    return {
      cutterHeapMb: cutter.heapUsedMb,
      cachedTiles: this.cache.size,
      cachedBytes: this.cache.bytes,
    };
  }

  /** Stops the cutter's thread (a later tile request starts it again). */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([this.active.close(), this.next?.close()]);
    await this.rebuilding?.catch(() => undefined);
    this.closed = false;
  }

  private key(layers: string[], z: number, x: number, y: number): string {
    return `${layers.map((l) => `${l}@${this.served(l)}`).join(',')}/${z}/${x}/${y}`;
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
    /** The versions in the key. */
    const keyed = layers.map((l) => this.served(l));
    let gen: Generation;
    let versions: number[];
    // a switch to a new cutter while the layers were loading: cut by the new one
    do {
      gen = this.active;
      versions = layers.map((l) => this.served(l));
      for (const [i, layer] of layers.entries()) await gen.load(layer, versions[i]!);
    } while (gen !== this.active);
    const cut = await gen.cutter.cut(key, layers, z, x, y);
    const tile = cut && { gzipped: Buffer.from(cut.gzipped.buffer, cut.gzipped.byteOffset, cut.gzipped.byteLength), etag: cut.etag };
    // a layer invalidated or switched while this tile was being cut: answer, but do not keep it
    if (layers.every((l, i) => this.served(l) === keyed[i] && versions[i] === keyed[i])) this.cache.set(key, tile);
    return tile;
  }
}
