// The main thread's side of the parse worker (worker.ts): uploaded files — perimeter
// files of up to 50 MB, registry CSVs of up to 20 MB — are read, checked and planned in a
// worker thread, because JSON.parse, shapefile decoding and reprojection of such a file
// are seconds of synchronous work that would hold up every request. One file at a time
// (the others wait their turn in a bounded queue), in a thread that is stopped when it
// runs out of its heap, when a file takes too long or after a while idle, so that a
// hostile file costs a thread, never the server. Errors come back as they were
// thrown (a PerimeterImportError, an HttpError with its status) or as a ParseRefused
// naming the limit reached, in French.
import { Worker } from 'node:worker_threads';
import { PerimeterImportError } from '../../core/perimeters/errors.ts';
import type { CogRows } from '../../core/perimeters/read-file.ts';
import type { PerimeterFileReader } from '../../core/perimeters/index.ts';
import { HttpError } from '../errors.ts';
import { ParseRefused, toWire, type FromWorker, type ParseResults, type ParseTask, type ToWorker, type WireError } from './messages.ts';

export { ParseRefused } from './messages.ts';

/** A refusal as the API answers it (a full queue: 503 with Retry-After); other errors as they are. */
export function refusalAsHttp(err: unknown): unknown {
  if (!(err instanceof ParseRefused)) return err;
  return new HttpError(err.status, err.message, {}, err.status === 503 ? { 'retry-after': '60' } : {});
}

export interface ParseLimits {
  /** Heap of one worker, in MB: a file whose reading needs more is refused. */
  heapMb: number;
  /** Time one file may take, queue excluded. */
  timeoutMs: number;
  /** Files waiting for the worker beyond the one it reads. */
  maxQueued: number;
}

export const PARSE_LIMITS: ParseLimits = { heapMb: 2048, timeoutMs: 300_000, maxQueued: 16 };

function revive(error: WireError): Error {
  switch (error.name) {
    case 'PerimeterImportError':
      return new PerimeterImportError(error.message);
    case 'HttpError':
      return new HttpError(error.status ?? 500, error.message, error.extra ?? {});
    case 'ParseRefused':
      return new ParseRefused(error.status ?? 422, error.message);
    case 'RangeError':
      return new RangeError(error.message);
    default:
      return Object.assign(new Error(error.message), { name: error.name });
  }
}

/** The project runs its TypeScript through tsx: the worker loads its module the same way (see tiles/cutter.ts). */
function startWorker(heapMb: number): Worker {
  const url = new URL('./worker.ts', import.meta.url).href;
  const boot = `import('tsx/esm/api').then((api) => api.tsImport(${JSON.stringify(url)}, ${JSON.stringify(import.meta.url)}))`;
  return new Worker(boot, { eval: true, name: 'parse', resourceLimits: { maxOldGenerationSizeMb: heapMb } });
}

/** A worker idle this long is stopped (its heap goes with it); the next file starts another. */
const IDLE_MS = 30_000;

const minutes = (ms: number) => `${Math.round(ms / 60_000)} min`;

export class ParsePool {
  private busy = false;
  private waiting: (() => void)[] = [];
  private worker: Worker | null = null;
  private idle: NodeJS.Timeout | null = null;
  /** What the worker's messages and failures go to while it reads a file. */
  private current: { onMessage: (msg: FromWorker) => void; onLost: (err: Error) => void } | null = null;

  constructor(private readonly limits: ParseLimits = PARSE_LIMITS) {}

  /** Reads a file in the worker; `loadCog` answers a commune list's request for the COG. */
  async run<K extends ParseTask['kind']>(
    task: Extract<ParseTask, { kind: K }>,
    loadCog: () => Promise<CogRows> = () => Promise.reject(new Error('no COG for this task')),
  ): Promise<ParseResults[K]> {
    await this.acquire();
    try {
      return (await this.inWorker(task, loadCog)) as ParseResults[K];
    } finally {
      this.release();
    }
  }

  /** Stops the worker (tests, shutdown); a file being read fails. */
  async close(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.drop(worker, new Error('parse worker closed'));
    await worker.terminate();
  }

  private async acquire(): Promise<void> {
    if (!this.busy) {
      this.busy = true;
      return;
    }
    if (this.waiting.length >= this.limits.maxQueued) {
      throw new ParseRefused(
        503,
        `Trop de fichiers en cours de lecture (${this.limits.maxQueued} en attente) : réessayez dans une minute.`,
      );
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next)
      next(); // the slot passes to the next file
    else this.busy = false;
  }

  private ensureWorker(): Worker {
    if (this.idle) clearTimeout(this.idle);
    this.idle = null;
    if (this.worker) return this.worker;
    const worker = startWorker(this.limits.heapMb);
    worker.on('message', (msg: FromWorker) => this.current?.onMessage(msg));
    worker.on('error', (err: Error & { code?: string }) =>
      this.drop(
        worker,
        err.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? new ParseRefused(
              413,
              `Fichier trop complexe à lire : sa lecture dépasse la mémoire permise (${this.limits.heapMb} Mo). Découpez-le.`,
            )
          : err,
      ),
    );
    worker.on('exit', (code) => this.drop(worker, new Error(`parse worker exited (code ${code})`)));
    this.worker = worker;
    return worker;
  }

  /** Forgets a worker that stopped or is being stopped; the file it was reading fails with `err`. */
  private drop(worker: Worker, err: Error): void {
    if (this.worker !== worker) return;
    this.worker = null;
    this.current?.onLost(err);
  }

  private inWorker(task: ParseTask, loadCog: () => Promise<CogRows>): Promise<unknown> {
    const worker = this.ensureWorker();
    // a running read keeps a command alive; an idle worker does not
    worker.ref();
    return new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.drop(
          worker,
          new ParseRefused(422, `Lecture du fichier trop longue (plus de ${minutes(this.limits.timeoutMs)}) : découpez-le.`),
        );
        void worker.terminate();
      }, this.limits.timeoutMs);
      const end = () => {
        clearTimeout(timer);
        this.current = null;
        if (this.worker !== worker) return;
        worker.unref();
        this.idle = setTimeout(() => {
          this.worker = null;
          void worker.terminate();
        }, IDLE_MS);
        this.idle.unref();
      };
      this.current = {
        onMessage: (msg) => {
          if (msg.type === 'done') {
            end();
            resolve(msg.result);
          } else if (msg.type === 'failed') {
            end();
            reject(revive(msg.error));
          } else {
            loadCog().then(
              (rows) => worker.postMessage({ type: 'cog', rows } satisfies ToWorker),
              (err: unknown) => worker.postMessage({ type: 'cog-failed', error: toWire(err) } satisfies ToWorker),
            );
          }
        },
        onLost: (err) => {
          end();
          reject(err);
        },
      };
      worker.postMessage({ type: 'task', task } satisfies ToWorker);
    });
  }
}

/** The process's one pool: one file read at a time, whichever route or command asks. */
export const parsePool = new ParsePool();

/** Reads a perimeter file in the parse worker; a refusal there (memory, time) is the file's problem, in French. */
export const readPerimeterFileInWorker: PerimeterFileReader = async (task, loadCog) => {
  try {
    return await parsePool.run({ kind: 'perimeter-file', options: task }, loadCog);
  } catch (err) {
    if (err instanceof ParseRefused) throw new PerimeterImportError(err.message);
    throw err;
  }
};
