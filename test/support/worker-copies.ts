// Lets test files run two at a time without sharing a database: after the reference
// import, the global setup copies each imported backend once per test worker (a copy of
// the PGlite folder, a PostgreSQL database made from the imported one as template), and
// each worker runs its files, one after the other, on its own copies. The imported
// originals are never written by a test, so a later run can start again from them.
import fs from 'node:fs';
import os from 'node:os';
import pg from 'pg';
import { LOCK_FILE } from '../../core/db/data-dir-lock.ts';
import type { Backend } from './backends.ts';

/**
 * Test files running at once: TEST_WORKERS, else 2 (the CI machine has 2 cores; each
 * worker holds an embedded database of its own, ~1 GB of memory).
 */
export function testWorkers(env: NodeJS.ProcessEnv = process.env): number {
  const asked = env.TEST_WORKERS;
  if (asked === undefined || asked === '') return Math.max(1, Math.min(2, os.availableParallelism()));
  const n = Number(asked);
  if (!Number.isInteger(n) || n < 1 || n > 8) throw new Error(`TEST_WORKERS=${asked} : un entier de 1 à 8 est attendu.`);
  return n;
}

/** The copy of an imported backend that worker `worker` (1-based) tests on. */
export function workerCopy(b: Backend, worker: number): Backend {
  if (b.name === 'pglite') return { ...b, dataDir: `${b.dataDir}-worker-${worker}` };
  const url = new URL(b.databaseUrl!);
  url.pathname = `/${databaseName(b.databaseUrl!)}_worker_${worker}`;
  return { ...b, databaseUrl: url.toString() };
}

function databaseName(databaseUrl: string): string {
  return decodeURIComponent(new URL(databaseUrl).pathname.slice(1));
}

const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Replaces the copy of `original` (closed: nothing may be connected to it) for one worker. */
export async function makeWorkerCopy(original: Backend, worker: number): Promise<Backend> {
  const copy = workerCopy(original, worker);
  if (original.name === 'pglite') {
    fs.rmSync(copy.dataDir, { recursive: true, force: true });
    fs.cpSync(original.dataDir, copy.dataDir, { recursive: true, filter: (src) => !src.endsWith(LOCK_FILE) });
    return copy;
  }
  // CREATE DATABASE runs from another database of the same server
  const admin = new URL(original.databaseUrl!);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${ident(databaseName(copy.databaseUrl!))} WITH (FORCE)`);
    // the import's connections may still be closing on the server's side: wait for them
    for (let attempt = 0; ; attempt++) {
      try {
        await client.query(
          `CREATE DATABASE ${ident(databaseName(copy.databaseUrl!))} TEMPLATE ${ident(databaseName(original.databaseUrl!))}`,
        );
        break;
      } catch (e) {
        if (attempt >= 50 || !/being accessed by other users/.test(String(e))) throw e;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  } finally {
    await client.end();
  }
  return copy;
}
