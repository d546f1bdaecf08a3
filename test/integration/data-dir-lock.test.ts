// One writer on the embedded database: a real server process holds its PGlite folder,
// and `npm run user:create` / `npm run import` refuse to write into it (exit code 3,
// French message) instead of printing success and losing their writes; once the server
// stops, the lock is gone and the command's account is really there. Stale locks of
// dead processes are ignored.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataDirLockedError, LOCK_FILE, lockDataDir } from '../../core/db/data-dir-lock.ts';
import { openDb } from '../../core/db/db.ts';
import { backends } from '../support/backends.ts';

// node itself with the tsx loader: one process, whose PID is the one in the lock file
const NODE_TSX = [process.execPath, '--import', 'tsx'] as const;
const EMAIL = 'cli-verrou@auth.test';

function runCli(script: string, args: string[], env: NodeJS.ProcessEnv) {
  const res = spawnSync(NODE_TSX[0], [...NODE_TSX.slice(1), script, ...args], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) =>
    child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code)),
  );

describe('lock file of the embedded database folder', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mf-lock-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('refuses a folder held by a living process, and replaces the lock of a dead one', async () => {
    const holder = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
    fs.writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify({ pid: holder.pid, holder: 'serveur', since: 'hier' }));
    try {
      expect(() => lockDataDir(dir, 'commande')).toThrow(DataDirLockedError);
      expect(() => lockDataDir(dir, 'commande')).toThrow(new RegExp(`processus ${holder.pid}.*Arrêtez le serveur`));
      expect(() => lockDataDir(dir, 'serveur')).toThrow(/un seul processus peut ouvrir la base embarquée/);
    } finally {
      holder.kill('SIGKILL');
      await exited(holder);
    }
    const release = lockDataDir(dir, 'serveur'); // the holder is dead: its lock is stale
    expect(JSON.parse(fs.readFileSync(path.join(dir, LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid, holder: 'serveur' });
    release();
    expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(false);
    fs.writeFileSync(path.join(dir, LOCK_FILE), '{"pid":'); // half-written by a crash
    lockDataDir(dir, 'commande')();
    expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(false);
  });
});

describe('command-line tools while the server runs on PGlite', () => {
  const pglite = backends().find((b) => b.name === 'pglite')!;
  const env = {
    DATA_DIR: pglite.dataDir,
    DATABASE_URL: '',
    PORT: '0',
    LOG_LEVEL: 'info',
    MILLEFEUILLE_PASSWORD: 'une phrase assez longue',
  };
  let server: ChildProcess;
  let serverExit: Promise<number | null>;

  beforeAll(async () => {
    const db = await openDb({ dataDir: pglite.dataDir }); // a previous failed run may have left the account
    await db.query(`DELETE FROM registry.app_user WHERE email = $1`, [EMAIL]).finally(() => db.close());
    server = spawn(NODE_TSX[0], [...NODE_TSX.slice(1), 'server/main.ts'], { env: { ...process.env, ...env } });
    serverExit = exited(server);
    let out = '';
    await new Promise<void>((resolve, reject) => {
      server.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('Millefeuille écoute')) resolve();
      });
      server.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
      void serverExit.then((code) => reject(new Error(`le serveur s’est arrêté (code ${code}) : ${out}`)));
    });
  });

  afterAll(async () => {
    if (server && server.exitCode === null) {
      server.kill('SIGKILL');
      await serverExit;
    }
  });

  it('refuses npm run user:create and npm run import with a French message, then works once the server stops', async () => {
    const lock = JSON.parse(fs.readFileSync(path.join(pglite.dataDir, LOCK_FILE), 'utf8')) as { pid: number; holder: string };
    expect(lock).toMatchObject({ pid: server.pid, holder: 'serveur' });

    const create = runCli('server/auth/cli.ts', ['--email', EMAIL, '--name', 'Compte CLI', '--role', 'coordinator'], env);
    expect(create.code).toBe(3);
    expect(create.stdout).not.toMatch(/créé/);
    expect(create.stderr).toMatch(
      new RegExp(`Le serveur Millefeuille \\(processus ${server.pid}, .*Arrêtez le serveur.*Rien n’a été écrit\\.`),
    );
    const blank = runCli('server/auth/cli.ts', ['--email', EMAIL, '--name', 'Compte CLI'], {
      ...env,
      MILLEFEUILLE_PASSWORD: ' '.repeat(12),
    });
    expect(blank.code).toBe(2);
    expect(blank.stderr).toMatch(/Compte non créé : « password » : le mot de passe ne peut pas être fait que d’espaces/);
    const imported = runCli('geodata/cli.ts', ['exemples'], env);
    expect(imported.code).toBe(3);
    expect(imported.stderr).toMatch(/utilise la base embarquée .*Arrêtez le serveur/);

    server.kill('SIGTERM');
    expect(await serverExit).toBe(0);
    expect(fs.existsSync(path.join(pglite.dataDir, LOCK_FILE))).toBe(false);

    const after = runCli('server/auth/cli.ts', ['--email', EMAIL, '--name', 'Compte CLI', '--role', 'coordinator'], env);
    expect(after.stderr).toBe('');
    expect(after.code).toBe(0);
    expect(after.stdout).toMatch(/Compte coordinator n° \d+ créé pour cli-verrou@auth\.test\./);
    expect(fs.existsSync(path.join(pglite.dataDir, LOCK_FILE))).toBe(false);
    const db = await openDb({ dataDir: pglite.dataDir });
    try {
      expect(await db.query(`SELECT email FROM registry.app_user WHERE email = $1`, [EMAIL])).toEqual([{ email: EMAIL }]);
      await db.query(`DELETE FROM registry.app_user WHERE email = $1`, [EMAIL]);
    } finally {
      await db.close();
    }
  }, 180_000); // three command-line runs and a server stop, each opening PGlite
});
