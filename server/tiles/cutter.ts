// The main thread's side of the tile cutter: starts the worker thread (cutter-worker.ts),
// sends it layers and tile requests, and answers each call with a promise. If the worker
// dies, pending calls fail, a new worker starts on the next call and `onLost` tells the
// store that every layer must be loaded again.
import { Worker } from 'node:worker_threads';

export type CutterRequest =
  /** A page of a layer's rows, as JSON text (queries/tiles.ts); `first` starts the layer afresh. */
  | { id: number; type: 'page'; layer: string; json: string; first: boolean }
  /** Builds the layer's index from the pages sent since its first one. */
  | { id: number; type: 'load'; layer: string }
  | { id: number; type: 'cut'; key: string; layers: string[]; z: number; x: number; y: number }
  | { id: number; type: 'stats' };

export interface CutterOptions {
  /** The worker's first heap limit in MB (HEAP_LIMIT_MB by default). */
  heapLimitMb?: number;
}

/**
 * The worker's old generation, in MB. A limit makes V8 collect before the heap (and the
 * server's memory) balloons with the garbage of cutting; the indexes of the reference
 * layers live in about 20 MB (flat arrays, polygon-cut.ts). A worker that runs out restarts with twice the limit.
 */
const HEAP_LIMIT_MB = 384;
const MAX_HEAP_LIMIT_MB = 4096;

export interface CutTile {
  gzipped: Uint8Array;
  etag: string;
}

export interface CutterStats {
  heapUsedMb: number;
}

export type CutterReply = { id: number; ok: true; result: CutTile | CutterStats | null } | { id: number; ok: false; error: string };

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;
type Pending = { resolve: (value: CutterReply & { ok: true }) => void; reject: (err: Error) => void };

/** The project runs its TypeScript through tsx: the worker loads its module the same way. */
function startWorker(heapLimitMb: number): Worker {
  const url = new URL('./cutter-worker.ts', import.meta.url).href;
  const boot = `import('tsx/esm/api').then((api) => api.tsImport(${JSON.stringify(url)}, ${JSON.stringify(import.meta.url)}))`;
  return new Worker(boot, {
    eval: true,
    name: 'tile-cutter',
    resourceLimits: { maxOldGenerationSizeMb: heapLimitMb },
  });
}

export class TileCutter {
  private worker: Worker | null = null;
  private pending = new Map<number, Pending>();
  private nextId = 1;
  private heapLimitMb: number;
  /** Workers started so far: a layer's pages must all reach the same one. */
  private starts = 0;
  /** Set by retire(): no new calls, the worker stops once the last pending call is answered. */
  private retired = false;

  /** `onLost` is told why the worker stopped: every layer must then be loaded again. */
  constructor(
    private readonly onLost: (why: string) => void = () => {},
    options: CutterOptions = {},
  ) {
    this.heapLimitMb = options.heapLimitMb ?? HEAP_LIMIT_MB;
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = startWorker(this.heapLimitMb);
    this.starts++;
    // the server's socket keeps the process alive, not the cutter (scripts exit when done)
    worker.unref();
    worker.on('message', (reply: CutterReply) => {
      const call = this.pending.get(reply.id);
      if (!call) return;
      this.pending.delete(reply.id);
      if (reply.ok) call.resolve(reply);
      else call.reject(new Error(`tile cutter: ${reply.error}`));
      if (this.retired && this.pending.size === 0) void this.close();
    });
    const lost = (why: string) => {
      if (this.worker !== worker) return;
      this.worker = null;
      this.rejectPending(`tile cutter stopped: ${why}`);
      this.onLost(why);
    };
    worker.on('error', (err: Error & { code?: string }) => {
      if (err.code === 'ERR_WORKER_OUT_OF_MEMORY') this.heapLimitMb = Math.min(this.heapLimitMb * 2, MAX_HEAP_LIMIT_MB);
      lost(`${err.message}${err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? ` (next heap limit ${this.heapLimitMb} MB)` : ''}`);
    });
    worker.on('exit', (code) => lost(`exit code ${code}`));
    this.worker = worker;
    return worker;
  }

  /** The heap limit the next worker starts with (doubled after each out-of-memory stop). */
  get heapLimit(): number {
    return this.heapLimitMb;
  }

  private call(message: WithoutId<CutterRequest>): Promise<CutterReply & { ok: true }> {
    if (this.retired) return Promise.reject(new Error('tile cutter retired'));
    const id = this.nextId++;
    const worker = this.ensureWorker();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ ...message, id });
    });
  }

  /**
   * Loads a layer from pages of JSON rows: each page goes to the worker as it comes, as
   * one string (copied in a few milliseconds, parsed there), never as row objects.
   */
  async load(layer: string, pages: AsyncIterable<string>): Promise<void> {
    let worker: number | undefined;
    const sameWorker = () => {
      // the pages sent so far left with a worker that stopped: the caller loads again
      if (!this.worker || this.starts !== worker) throw new Error(`tile cutter stopped while loading ${layer}`);
    };
    for await (const json of pages) {
      if (worker === undefined) {
        await this.call({ type: 'page', layer, json, first: true });
        worker = this.starts;
      } else {
        sameWorker();
        await this.call({ type: 'page', layer, json, first: false });
      }
    }
    sameWorker();
    await this.call({ type: 'load', layer });
  }

  async cut(key: string, layers: string[], z: number, x: number, y: number): Promise<CutTile | null> {
    return (await this.call({ type: 'cut', key, layers, z, x, y })).result as CutTile | null;
  }

  async stats(): Promise<CutterStats> {
    return (await this.call({ type: 'stats' })).result as CutterStats;
  }

  /** Stops the worker once the calls already made are answered; later calls fail. */
  retire(): void {
    this.retired = true;
    if (this.pending.size === 0) void this.close();
  }

  /** Stops the worker (its layers are loaded again by the next call). */
  async close(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.worker = null;
    this.rejectPending('tile cutter closed');
    await worker.terminate();
  }

  private rejectPending(message: string): void {
    const calls = [...this.pending.values()];
    this.pending.clear();
    for (const call of calls) call.reject(new Error(message));
  }
}
