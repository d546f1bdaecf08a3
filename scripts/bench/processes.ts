// Child processes of the benchmark (our server, the peers): started with their own
// environment and log file, awaited until they answer, measured (RSS) and stopped by pid.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { waitFor } from './http.ts';

export interface Child {
  name: string;
  proc: ChildProcess;
  url: string;
  alive(): boolean;
  stop(): Promise<void>;
}

export async function startChild(opts: {
  name: string;
  command: string;
  args: string[];
  env: Record<string, string | undefined>;
  port: number;
  readyPath: string;
  logFile: string;
  readyTimeoutMs?: number;
  cwd?: string;
}): Promise<Child> {
  const log = fs.openSync(opts.logFile, 'w');
  const proc = spawn(opts.command, opts.args, {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', log, log],
  });
  fs.closeSync(log);
  let exited = false;
  const done = new Promise<void>((resolve) =>
    proc.once('exit', () => {
      exited = true;
      resolve();
    }),
  );
  const url = `http://127.0.0.1:${opts.port}`;
  const child: Child = {
    name: opts.name,
    proc,
    url,
    alive: () => !exited,
    async stop() {
      if (exited) return;
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
      await done;
      clearTimeout(timer);
    },
  };
  try {
    await waitFor(url + opts.readyPath, opts.readyTimeoutMs ?? 60_000, child.alive);
  } catch (err) {
    await child.stop();
    const tail = fs.readFileSync(opts.logFile, 'utf8').split('\n').slice(-15).join('\n');
    throw new Error(`${opts.name}: ${(err as Error).message}\n--- ${opts.logFile}\n${tail}`);
  }
  return child;
}

/** Resident and peak resident memory of a process, in MB (Linux /proc). */
export function memoryOf(pid: number): { rssMb: number; peakMb: number } | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
    return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
  } catch {
    return null;
  }
}

/** Direct children of a process (Linux /proc), e.g. the FastCGI workers of the bridge. */
export function childPids(pid: number): number[] {
  try {
    return fs
      .readdirSync(`/proc/${pid}/task`)
      .flatMap((t) => fs.readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8').trim().split(/\s+/))
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}
