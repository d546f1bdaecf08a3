// The order in which the browser tests pick their Chromium: CHROMIUM_PATH, the system's,
// then the one shipped inside the npm package — so `npm test` runs with Node alone.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answersVersion, chooseChromium, isExecutableFile } from '../support/chromium.ts';

let dir: string;
let exe: string;
let plain: string;
let onPath: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mf-chromium-'));
  exe = path.join(dir, 'mon-chromium');
  plain = path.join(dir, 'pas-executable');
  fs.writeFileSync(exe, '#!/bin/sh\n', { mode: 0o755 });
  fs.writeFileSync(plain, '#!/bin/sh\n', { mode: 0o644 });
  fs.mkdirSync(path.join(dir, 'bin'));
  onPath = path.join(dir, 'bin', 'chromium');
  fs.writeFileSync(onPath, '#!/bin/sh\n', { mode: 0o755 });
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('choice of Chromium', () => {
  it('tells a browser that answers its version from a truncated one that crashes', () => {
    const healthy = path.join(dir, 'sain');
    const truncated = path.join(dir, 'tronque');
    fs.writeFileSync(healthy, '#!/bin/sh\necho "Chromium 147.0.7727.0"\n', { mode: 0o755 });
    // what an interrupted unpacking leaves: the start of an ELF file
    fs.writeFileSync(truncated, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), { mode: 0o755 });
    expect(answersVersion(healthy)).toBe(true);
    expect(answersVersion(truncated)).toBe(false);
    expect(answersVersion(exe)).toBe(false);
  });

  it('tells an executable file from a plain file, a folder and a device (a bind mount of /dev/null)', () => {
    expect([exe, plain, dir, '/dev/null', path.join(dir, 'absent')].map(isExecutableFile)).toEqual([true, false, false, false, false]);
  });

  it('takes CHROMIUM_PATH first, even when the system has one', async () => {
    const choice = await chooseChromium({ CHROMIUM_PATH: exe, PATH: path.join(dir, 'bin') }, onPath);
    expect([choice.source, choice.executablePath]).toEqual(['CHROMIUM_PATH', exe]);
  });

  it('refuses a CHROMIUM_PATH that cannot run, in French', async () => {
    await expect(chooseChromium({ CHROMIUM_PATH: plain }, onPath)).rejects.toThrow(
      `CHROMIUM_PATH=${plain} n'est pas un fichier exécutable.`,
    );
  });

  it('takes the system Chromium at its usual place, else on PATH', async () => {
    const usual = await chooseChromium({ PATH: path.join(dir, 'bin') }, exe);
    expect([usual.source, usual.executablePath]).toEqual(['système', exe]);
    const found = await chooseChromium({ PATH: ['/nowhere', path.join(dir, 'bin')].join(path.delimiter) }, '/dev/null');
    expect([found.source, found.executablePath]).toEqual(['système', onPath]);
  });

  it('falls back to the Chromium inside the npm package, unpacked from node_modules', async () => {
    const choice = await chooseChromium({ PATH: dir }, '/dev/null');
    expect(choice.source).toBe('paquet npm');
    expect(isExecutableFile(choice.executablePath)).toBe(true);
    expect(choice.describe).toContain('@sparticuz/chromium');
  });
});
