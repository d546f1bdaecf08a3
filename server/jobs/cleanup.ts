// What a crashed process leaves behind, cleaned when a server starts: import jobs still
// 'running' that nobody runs any more (their scope would stay locked), the rows an import
// staged before its transaction (core/perimeters/stage.ts, queries/registry-stage.ts)
// and the upload folders of processes that no longer exist. Upload folders carry their
// process id in their name, so a start never removes the folder of an import another
// live process runs.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { removeStaleStages } from '../../core/perimeters/stage.ts';
import type { Db } from '../../core/db/db.ts';
import { failAbandonedJobs } from '../queries/jobs.ts';
import { removeStaleSchemeStages } from '../queries/registry-stage.ts';
import { INTERRUPTED, STALE_SECONDS } from './runner.ts';

const UPLOAD_PREFIX = 'millefeuille-upload-';

/** A private folder for one uploaded file, named after this process. */
export function makeUploadDir(tmp = os.tmpdir()): string {
  return fs.mkdtempSync(path.join(tmp, `${UPLOAD_PREFIX}${process.pid}-`));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes upload folders whose process is gone (or that predate process ids in their names). */
export function removeOrphanUploads(tmp = os.tmpdir()): string[] {
  const removed: string[] = [];
  for (const name of fs.readdirSync(tmp)) {
    if (!name.startsWith(UPLOAD_PREFIX)) continue;
    const pid = /^(\d+)-/.exec(name.slice(UPLOAD_PREFIX.length))?.[1];
    if (pid && alive(Number(pid))) continue;
    fs.rmSync(path.join(tmp, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}

/** Staged rows older than this on PostgreSQL belong to a dead instance (no import runs a day). */
const STALE_STAGE_SECONDS = 24 * 3600;

/**
 * Fails the jobs a dead instance left running and removes its staged rows: on the embedded
 * database every one (one process holds it), on PostgreSQL those whose heartbeat stopped
 * (others may be running) and the staged rows of a day ago.
 */
export async function cleanupAfterCrash(db: Db, tmp = os.tmpdir()): Promise<{ jobs: string[]; stages: string[]; uploads: string[] }> {
  const pglite = db.kind === 'pglite';
  const jobs = await failAbandonedJobs(db, pglite ? 0 : STALE_SECONDS, INTERRUPTED);
  const stages = [
    ...(await removeStaleStages(db, pglite ? 0 : STALE_STAGE_SECONDS)),
    ...(await removeStaleSchemeStages(db, pglite ? 0 : STALE_STAGE_SECONDS)),
  ];
  return { jobs, stages, uploads: removeOrphanUploads(tmp) };
}
