// What the parse worker (worker.ts) and its pool (pool.ts) say to each other: the
// tasks, their results, and errors as they cross threads. Its own module, so that
// neither side imports the other.
import type { CogRows, ReadFileOptions, ReadFileResult } from '../../core/perimeters/read-file.ts';
import { HttpError } from '../errors.ts';
import type { registryFromCsv } from '../registry/csv.ts';

export type RegistryParse = ReturnType<typeof registryFromCsv>;

export type ParseTask = { kind: 'perimeter-file'; options: ReadFileOptions } | { kind: 'registry-csv'; bytes: Uint8Array };

export interface ParseResults {
  'perimeter-file': ReadFileResult;
  'registry-csv': RegistryParse;
}

/** An error as it crosses threads. */
export interface WireError {
  name: string;
  message: string;
  status?: number;
  extra?: Record<string, unknown>;
}

export type ToWorker = { type: 'task'; task: ParseTask } | { type: 'cog'; rows: CogRows } | { type: 'cog-failed'; error: WireError };
export type FromWorker = { type: 'need-cog' } | { type: 'done'; result: unknown } | { type: 'failed'; error: WireError };

/** A file the worker could not read within its bounds (memory, time, queue): the message says which, in French. */
export class ParseRefused extends Error {
  override name = 'ParseRefused';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function toWire(err: unknown): WireError {
  if (err instanceof HttpError) return { name: 'HttpError', message: err.detail, status: err.status, extra: err.extra };
  if (err instanceof ParseRefused) return { name: err.name, message: err.message, status: err.status };
  const e = err instanceof Error ? err : new Error(String(err));
  return { name: e.name, message: e.message };
}
