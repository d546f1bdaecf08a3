// The built client (client/dist), served with the copies the build compressed beforehand
// (client/build/precompress.ts): brotli or gzip as the browser accepts, never compressed
// per request. Hashed assets (/assets/name-HASH.js) never change, so browsers keep them a
// year without asking; index.html names the current hashes, so it is checked each time.
import fs from 'node:fs';
import path from 'node:path';
import type { RequestHandler, Response } from 'express';

export const IMMUTABLE = 'public, max-age=31536000, immutable';
const OTHER_FILES = 'public, max-age=3600';
/** Vite's output names: name-HASH.ext under assets/ (hash of 8 characters of [A-Za-z0-9_-]). */
const HASHED = /^\/assets\/.+-[A-Za-z0-9_-]{8,}\.[a-z0-9]+$/;

/** The encodings a request accepts, of those we store ('br' first: smaller). */
function accepted(header: string | undefined): ('br' | 'gzip')[] {
  const offered = new Map<string, number>();
  for (const part of (header ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    if (name) offered.set(name, q === undefined ? 1 : Number(q));
  }
  const ok = (name: string) => (offered.get(name) ?? offered.get('*') ?? 0) > 0;
  return (['br', 'gzip'] as const).filter(ok);
}

const SUFFIX = { br: '.br', gzip: '.gz' } as const;

/** Sends `file` (a path under the client folder), or its stored compressed copy. */
function sendFile(res: Response, file: string, acceptEncoding: string | undefined, cacheControl: string): void {
  res.type(path.extname(file));
  res.setHeader('Cache-Control', cacheControl);
  res.setHeader('Vary', 'Accept-Encoding');
  let served = file;
  for (const encoding of accepted(acceptEncoding)) {
    if (fs.existsSync(file + SUFFIX[encoding])) {
      served = file + SUFFIX[encoding];
      res.setHeader('Content-Encoding', encoding);
      break;
    }
  }
  res.sendFile(served, { cacheControl: false, dotfiles: 'deny' });
}

/** Serves the files of `clientDir` and, for any other path, index.html (the client routes in the fragment). */
export function clientFiles(clientDir: string): { files: RequestHandler; index: RequestHandler } {
  const root = path.resolve(clientDir);
  const index = path.join(root, 'index.html');
  return {
    files(req, res, next) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return next();
      let rel: string;
      try {
        rel = decodeURIComponent(req.path);
      } catch {
        return next();
      }
      const file = path.resolve(root, '.' + path.posix.normalize(rel));
      if (!file.startsWith(root + path.sep) || /\.(br|gz)$/.test(file) || file === index) return next();
      let stat: fs.Stats;
      try {
        stat = fs.statSync(file);
      } catch {
        return next();
      }
      if (!stat.isFile()) return next();
      sendFile(res, file, req.headers['accept-encoding'], HASHED.test(rel) ? IMMUTABLE : OTHER_FILES);
    },
    index(req, res) {
      sendFile(res, index, req.headers['accept-encoding'], 'no-cache');
    },
  };
}
