// Db over embedded PGlite + PostGIS (WebAssembly), its data kept on disk in dataDir so a
// restart does not re-import. PGlite runs in a worker thread (pglite-worker.ts): its
// statements run synchronously, and on the main thread one heavy statement froze every
// request. This side sends statements as messages and answers each with a promise;
// a transaction is an id the worker keeps open until commit or rollback. If the worker
// dies, pending calls fail and the next call opens the database again in a new worker.
// Its PostGIS is built without protobuf: no ST_AsMVT here.
import { Worker } from 'node:worker_threads';
import type { Db, DbActivity, Queryable, Row } from './db.ts';

export type PgliteRequest =
  | { id: number; op: 'query'; tx?: number | undefined; sql: string; params: readonly unknown[] }
  | { id: number; op: 'exec'; tx?: number | undefined; sql: string }
  | { id: number; op: 'begin' }
  | { id: number; op: 'commit' | 'rollback'; tx: number }
  | { id: number; op: 'close' };

/** An error's message and PostgreSQL fields (code, detail, constraint…), as they cross threads. */
export type SerializedError = { name: string; message: string } & Record<string, string | number>;

export type PgliteReply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: SerializedError };

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;
type Pending = { resolve: (value: unknown) => void; reject: (err: Error) => void };

/** The project runs its TypeScript through tsx: the worker loads its module the same way (see tiles/cutter.ts). */
function startWorker(dataDir: string): Worker {
  const url = new URL('./pglite-worker.ts', import.meta.url).href;
  const boot = `import('tsx/esm/api').then((api) => api.tsImport(${JSON.stringify(url)}, ${JSON.stringify(import.meta.url)}))`;
  return new Worker(boot, { eval: true, name: 'pglite', workerData: { dataDir } });
}

function revive(error: SerializedError): Error {
  const err = new Error(error.message);
  Object.assign(err, error);
  return err;
}

class PgliteThread {
  private worker: Worker | null = null;
  private pending = new Map<number, Pending>();
  private nextId = 1;
  /** Closed for good: calls fail as an outage instead of starting a new thread. */
  private closed = false;
  lastContactAt: number | null = null;

  constructor(private readonly dataDir: string) {}

  get inFlight(): number {
    return this.pending.size;
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = startWorker(this.dataDir);
    worker.on('message', (reply: PgliteReply) => {
      const call = this.pending.get(reply.id);
      if (!call) return;
      this.pending.delete(reply.id);
      this.lastContactAt = Date.now();
      // an idle database thread does not keep a script alive (scripts exit when done)
      if (this.pending.size === 0) worker.unref();
      if (reply.ok) call.resolve(reply.result);
      else call.reject(revive(reply.error));
    });
    const lost = (why: string) => {
      if (this.worker !== worker) return;
      this.worker = null;
      this.rejectPending(`embedded database stopped: ${why}`);
    };
    worker.on('error', (err: Error) => lost(err.message));
    worker.on('exit', (code) => lost(`exit code ${code}`));
    this.worker = worker;
    return worker;
  }

  call<T>(message: WithoutId<PgliteRequest>): Promise<T> {
    if (this.closed && message.op !== 'close') return Promise.reject(new Error('PGlite is closed'));
    const id = this.nextId++;
    const worker = this.ensureWorker();
    worker.ref();
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      worker.postMessage({ ...message, id });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    if (!worker) return;
    try {
      await this.call({ op: 'close' });
    } finally {
      this.worker = null;
      this.rejectPending('PGlite is closed');
      await worker.terminate();
    }
  }

  private rejectPending(message: string): void {
    const calls = [...this.pending.values()];
    this.pending.clear();
    for (const call of calls) call.reject(new Error(message));
  }
}

export async function openPglite(dataDir: string): Promise<Db> {
  const thread = new PgliteThread(dataDir);
  const wrap = (tx?: number): Queryable => ({
    query<T extends object = Row>(sql: string, params: readonly unknown[] = []) {
      return thread.call<T[]>({ op: 'query', tx, sql, params });
    },
    async exec(sql: string) {
      await thread.call({ op: 'exec', tx, sql });
    },
  });
  // opens the database (and fails here, not on the first request, if it cannot)
  await thread.call({ op: 'query', sql: 'SELECT 1', params: [] });
  return {
    kind: 'pglite',
    ...wrap(),
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      const tx = await thread.call<number>({ op: 'begin' });
      let result: T;
      try {
        result = await fn(wrap(tx));
      } catch (err) {
        await thread.call({ op: 'rollback', tx }).catch(() => undefined);
        throw err;
      }
      await thread.call({ op: 'commit', tx });
      return result;
    },
    activity(): DbActivity {
      return { inFlight: thread.inFlight, lastContactAt: thread.lastContactAt };
    },
    close: () => thread.close(),
  };
}
