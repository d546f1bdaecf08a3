// Which Chromium drives the browser tests, so that `npm test` also passes on a machine
// with Node alone. In order: CHROMIUM_PATH when set, the system's Chromium when it is
// installed and executable, else the headless Chromium shipped inside the npm package
// @sparticuz/chromium (a devDependency: unpacked from node_modules into the temporary
// folder on first use, never downloaded).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export interface ChromiumChoice {
  /** Where it comes from, for the log line. */
  source: 'CHROMIUM_PATH' | 'système' | 'paquet npm';
  executablePath: string;
  /** Launch flags this build needs on top of the common ones. */
  args: string[];
  /** One line saying which browser runs. */
  describe: string;
}

/** Where a system Chromium is looked for before PATH. */
export const SYSTEM_CHROMIUM = '/usr/bin/chromium';

/** A regular file the current user may execute (a bind mount of /dev/null over it is not). */
export function isExecutableFile(file: string): boolean {
  try {
    if (!fs.statSync(file).isFile()) return false;
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The system Chromium: SYSTEM_CHROMIUM, else the first executable `chromium` on PATH. */
export function findSystemChromium(env: NodeJS.ProcessEnv = process.env, first = SYSTEM_CHROMIUM): string | undefined {
  const dirs = (env.PATH ?? '').split(path.delimiter).filter(Boolean);
  return [first, ...dirs.map((d) => path.join(d, 'chromium'))].find(isExecutableFile);
}

/** Picks the browser; unpacks the npm one only when it is the one needed. */
export async function chooseChromium(env: NodeJS.ProcessEnv = process.env, systemPath = SYSTEM_CHROMIUM): Promise<ChromiumChoice> {
  const forced = env.CHROMIUM_PATH;
  if (forced) {
    if (!isExecutableFile(forced)) throw new Error(`CHROMIUM_PATH=${forced} n'est pas un fichier exécutable.`);
    return { source: 'CHROMIUM_PATH', executablePath: forced, args: [], describe: `Chromium de CHROMIUM_PATH : ${forced}` };
  }
  const system = findSystemChromium(env, systemPath);
  if (system) return { source: 'système', executablePath: system, args: [], describe: `Chromium du système : ${system}` };
  const { default: packaged } = await import('@sparticuz/chromium');
  let executablePath = await packaged.executablePath();
  // The package unpacks only when the file is missing: a run killed while unpacking
  // leaves a truncated binary that crashes at launch. Unpack again when it cannot run.
  if (!answersVersion(executablePath)) {
    fs.rmSync(executablePath, { force: true });
    executablePath = await packaged.executablePath();
  }
  return {
    source: 'paquet npm',
    executablePath,
    // A headless-shell build, made for containers: no zygote, GPU work in the browser process.
    args: ['--no-zygote', '--in-process-gpu', '--ignore-gpu-blocklist'],
    describe: `Chromium du paquet npm @sparticuz/chromium (aucun Chromium système) : ${executablePath}`,
  };
}

/** True when the binary starts and prints its version (a truncated one crashes). */
export function answersVersion(file: string): boolean {
  const run = spawnSync(file, ['--version'], { timeout: 30_000, encoding: 'utf8' });
  return run.status === 0 && /Chromium|Chrome/.test(run.stdout);
}
