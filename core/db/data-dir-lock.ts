// One writer at a time on the embedded database: PGlite keeps its files in one folder
// that only one process may open. The server takes `millefeuille.lock` (its PID) in
// that folder at start and removes it at stop; `npm run user:create` and
// `npm run import` take it too, and refuse to run while a living process holds it —
// otherwise their writes would be lost when the server next writes its own state. A
// lock left by a dead process is ignored and replaced. With PostgreSQL (DATABASE_URL)
// there is nothing to lock: several processes may write at once.
import fs from 'node:fs';
import path from 'node:path';

export const LOCK_FILE = 'millefeuille.lock';

export type Holder = 'serveur' | 'commande';

interface LockContent {
  pid: number;
  holder: Holder;
  since: string;
}

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly by: LockContent,
    requester: Holder,
  ) {
    const who = `${by.holder === 'serveur' ? 'Le serveur Millefeuille' : 'Une commande Millefeuille'} (processus ${by.pid}, depuis le ${by.since})`;
    let what: string;
    if (requester === 'serveur')
      what =
        'un seul processus peut ouvrir la base embarquée : arrêtez-le avant de démarrer ce serveur, ' +
        'ou passez à PostgreSQL (DATABASE_URL) pour faire tourner plusieurs instances.';
    else if (by.holder === 'serveur')
      what =
        'ce que cette commande écrirait serait perdu. Arrêtez le serveur (Ctrl+C, ou systemctl stop) puis relancez-la ; ' +
        'pour créer un compte sans l’arrêter, passez par l’administration des comptes du serveur (panneau « Comptes », ' +
        'API POST /api/users). Rien n’a été écrit.';
    else what = 'attendez qu’elle se termine puis relancez celle-ci. Rien n’a été écrit.';
    super(`${who} utilise la base embarquée ${dataDir} : ${what}`);
  }
}

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function read(file: string): LockContent | null {
  try {
    const content = JSON.parse(fs.readFileSync(file, 'utf8')) as LockContent;
    return typeof content.pid === 'number' ? content : null;
  } catch {
    return null; // missing, or half-written by a process that died: not a lock
  }
}

/**
 * Takes the folder for this process, or throws DataDirLockedError (French message)
 * when a living process holds it. Returns the release function.
 */
export function lockDataDir(dataDir: string, holder: Holder): () => void {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, LOCK_FILE);
  const mine: LockContent = { pid: process.pid, holder, since: new Date().toLocaleString('fr-FR', { timeZone: 'Europe/Paris' }) };
  for (let tries = 0; ; tries++) {
    try {
      fs.writeFileSync(file, JSON.stringify(mine), { flag: 'wx' }); // atomic: fails if the file exists
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || tries > 2) throw err;
      const other = read(file);
      if (other && alive(other.pid)) throw new DataDirLockedError(dataDir, other, holder);
      fs.rmSync(file, { force: true }); // stale: its process is gone
    }
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    if (read(file)?.pid === process.pid) fs.rmSync(file, { force: true });
  };
}

/**
 * For the server and the command-line tools: takes the embedded database's folder
 * (nothing to do with PostgreSQL), released when the process exits, or stops the
 * process with the French message and exit code 3.
 */
export function holdDataDir(config: { databaseUrl?: string | undefined; dataDir: string }, holder: Holder): () => void {
  if (config.databaseUrl) return () => undefined;
  try {
    const release = lockDataDir(config.dataDir, holder);
    process.once('exit', release);
    return release;
  } catch (err) {
    if (!(err instanceof DataDirLockedError)) throw err;
    console.error(err.message);
    process.exit(3);
  }
}
