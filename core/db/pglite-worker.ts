// The embedded database's thread: it owns PGlite + PostGIS (WebAssembly, which runs
// synchronously), so that a heavy statement — a national polygon intersected with every
// commune — holds up this thread and not the one that answers HTTP requests. Messages
// are described in pglite.ts. A transaction stays open here between messages: `begin`
// answers an id, statements carrying that id run inside it, `commit`/`rollback` end it.
// PGlite has one connection: statements outside a transaction wait until it ends.
import fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import type { PgliteReply, PgliteRequest, SerializedError } from './pglite.ts';
import { slimPostgis } from './pglite-postgis.ts';

const port = parentPort;
if (!port) throw new Error('pglite-worker.ts runs in a worker thread');
const { dataDir } = workerData as { dataDir: string };

/**
 * PostgreSQL's page cache, inside the WebAssembly memory (which never shrinks): 32 MB
 * rather than 128 MB. The whole national database is 85 MB on disk and its pages not
 * cached here come from the system's file cache; measured on the national data, 90 MB
 * less resident memory and no slower queries (a scan of every commune, all EPCI crossed
 * with all communes).
 */
const SHARED_BUFFERS = '32MB';

const ready: Promise<PGlite> = (async () => {
  fs.mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir, {
    extensions: { postgis: slimPostgis(undefined, (err) => console.warn('PostGIS: full bundle used,', (err as Error).message)) },
    startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${SHARED_BUFFERS}`],
    // int8 as JS numbers, like the pg implementation.
    parsers: { 20: (v: string) => Number(v) },
  });
  await db.exec('CREATE EXTENSION IF NOT EXISTS postgis');
  return db;
})();

/** Thrown inside PGlite's transaction callback to make it roll back. */
class Rollback extends Error {}

interface OpenTransaction {
  tx: Transaction;
  end: (commit: boolean) => void;
  done: Promise<void>;
}
const transactions = new Map<number, OpenTransaction>();
let nextTx = 1;

async function begin(db: PGlite): Promise<number> {
  const id = nextTx++;
  let end!: (commit: boolean) => void;
  const decided = new Promise<boolean>((resolve) => (end = resolve));
  let opened!: (tx: Transaction) => void;
  const started = new Promise<Transaction>((resolve) => (opened = resolve));
  const done = db.transaction(async (tx) => {
    opened(tx);
    if (!(await decided)) throw new Rollback();
  });
  // BEGIN itself may fail: then `started` never resolves and `done` tells why
  const tx = await Promise.race([started, done.then(() => Promise.reject(new Error('transaction ended before it began')))]);
  transactions.set(id, { tx, end, done });
  return id;
}

async function end(id: number, commit: boolean): Promise<void> {
  const open = transactions.get(id);
  if (!open) throw new Error(`no open transaction ${id}`);
  transactions.delete(id);
  open.end(commit);
  try {
    await open.done;
  } catch (err) {
    if (!(err instanceof Rollback)) throw err;
  }
}

function target(db: PGlite, tx: number | undefined): Pick<PGlite, 'query' | 'exec'> {
  if (tx === undefined) return db;
  const open = transactions.get(tx);
  if (!open) throw new Error(`no open transaction ${tx}`);
  return open.tx;
}

async function handle(msg: PgliteRequest): Promise<unknown> {
  const db = await ready;
  switch (msg.op) {
    case 'query':
      return (await target(db, msg.tx).query(msg.sql, msg.params as unknown[])).rows;
    case 'exec':
      await target(db, msg.tx).exec(msg.sql);
      return null;
    case 'begin':
      return begin(db);
    case 'commit':
      return end(msg.tx, true);
    case 'rollback':
      return end(msg.tx, false);
    case 'close':
      await db.close();
      return null;
  }
}

/** PostgreSQL's error fields (code, detail, constraint…) travel with the message. */
function serialize(err: unknown): SerializedError {
  const e = err instanceof Error ? err : new Error(String(err));
  const fields: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(e)) if (typeof v === 'string' || typeof v === 'number') fields[k] = v;
  return { ...fields, name: e.name, message: e.message };
}

port.on('message', (msg: PgliteRequest) => {
  handle(msg).then(
    (result) => port.postMessage({ id: msg.id, ok: true, result } satisfies PgliteReply),
    (err: unknown) => port.postMessage({ id: msg.id, ok: false, error: serialize(err) } satisfies PgliteReply),
  );
});
