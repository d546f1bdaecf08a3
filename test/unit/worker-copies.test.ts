// The copies test files run on two at a time: one per worker and backend, named apart
// from the imported original, made afresh on each run, and never carrying the original's lock.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCK_FILE } from '../../core/db/data-dir-lock.ts';
import { makeWorkerCopy, testWorkers, workerCopy } from '../support/worker-copies.ts';

let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mf-worker-copies-'));
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('worker copies of the imported backends', () => {
  it('names one copy per worker beside the original, and keeps the URL’s host and credentials', () => {
    const pglite = { name: 'pglite' as const, dataDir: '/srv/test-pglite' };
    expect(workerCopy(pglite, 2)).toEqual({ name: 'pglite', dataDir: '/srv/test-pglite-worker-2' });
    const postgis = { name: 'postgis' as const, databaseUrl: 'postgres://moi:secret@db.local:5433/mf_test?sslmode=disable', dataDir: '' };
    expect(workerCopy(postgis, 1).databaseUrl).toBe('postgres://moi:secret@db.local:5433/mf_test_worker_1?sslmode=disable');
    expect(workerCopy(postgis, 1).databaseUrl).not.toBe(workerCopy(postgis, 2).databaseUrl);
  });

  it('copies the embedded database folder afresh, without the lock file', async () => {
    const original = { name: 'pglite' as const, dataDir: path.join(dir, 'base') };
    fs.mkdirSync(path.join(original.dataDir, 'sous-dossier'), { recursive: true });
    fs.writeFileSync(path.join(original.dataDir, 'sous-dossier', 'donnees'), 'importées');
    fs.writeFileSync(path.join(original.dataDir, LOCK_FILE), '{"pid":1}');
    const stale = workerCopy(original, 1).dataDir;
    fs.mkdirSync(stale, { recursive: true });
    fs.writeFileSync(path.join(stale, 'reste-du-run-precedent'), 'x');

    const copy = await makeWorkerCopy(original, 1);
    expect(copy.dataDir).toBe(stale);
    expect(fs.readFileSync(path.join(copy.dataDir, 'sous-dossier', 'donnees'), 'utf8')).toBe('importées');
    expect(fs.existsSync(path.join(copy.dataDir, LOCK_FILE))).toBe(false);
    expect(fs.existsSync(path.join(copy.dataDir, 'reste-du-run-precedent'))).toBe(false);
    // the original is left as it was
    expect(fs.existsSync(path.join(original.dataDir, LOCK_FILE))).toBe(true);
  });

  it('runs two files at a time by default, and refuses a TEST_WORKERS that is not a small whole number', () => {
    expect(testWorkers({})).toBe(Math.min(2, os.availableParallelism()));
    expect(testWorkers({ TEST_WORKERS: '1' })).toBe(1);
    expect(testWorkers({ TEST_WORKERS: '3' })).toBe(3);
    for (const bad of ['0', 'deux', '1.5', '99']) expect(() => testWorkers({ TEST_WORKERS: bad })).toThrow(/TEST_WORKERS/);
  });
});
