// HTTP front for MapServer in the benchmark: /tiles/{layers}/{z}/{x}/{y}.mvt becomes a
// mapserv tile request (mode=tile, tilemode=gmap). mapserv runs as WORKERS FastCGI
// processes (spawn-fcgi), or, without spawn-fcgi, as plain CGI (one process per request).
// Run as its own process: PORT=… MAPFILE=… MAPSERVER_CONFIG_FILE=… tsx scripts/bench/mapserver-bridge.ts
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { FastcgiPool, parseCgi, type CgiResponse } from './fastcgi.ts';

const port = Number(process.env.PORT ?? 3402);
const mapfile = process.env.MAPFILE!;
const mapserv = process.env.MAPSERV ?? '/usr/lib/cgi-bin/mapserv';
const workers = Number(process.env.WORKERS ?? 4);
const socketDir = path.dirname(mapfile);
const hasSpawnFcgi = spawnSync('sh', ['-c', 'command -v spawn-fcgi']).status === 0;
const mode = hasSpawnFcgi && process.env.MAPSERVER_MODE !== 'cgi' ? 'fastcgi' : 'cgi';

const children: ChildProcess[] = [];
let pool: FastcgiPool | null = null;

async function startWorkers(): Promise<void> {
  const sockets: string[] = [];
  for (let i = 0; i < workers; i++) {
    const socket = path.join(socketDir, `mapserv-${i}.sock`);
    fs.rmSync(socket, { force: true });
    // -n: spawn-fcgi binds the socket then execs mapserv, so the child is mapserv itself
    children.push(spawn('spawn-fcgi', ['-n', '-s', socket, '--', mapserv], { stdio: ['ignore', 'inherit', 'inherit'], env: process.env }));
    sockets.push(socket);
  }
  for (const socket of sockets) {
    for (let tries = 0; ; tries++) {
      const ok = await new Promise<boolean>((resolve) => {
        const s = net.createConnection(socket);
        s.once('connect', () => {
          s.destroy();
          resolve(true);
        });
        s.once('error', () => resolve(false));
      });
      if (ok) break;
      if (tries > 100) throw new Error(`mapserv worker on ${socket} did not start`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  pool = new FastcgiPool(sockets);
}

function cgi(env: Record<string, string>): Promise<CgiResponse> {
  return new Promise((resolve, reject) => {
    const child = spawn(mapserv, [], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', () => resolve(parseCgi(Buffer.concat(out), Buffer.concat(err).toString())));
  });
}

const server = http.createServer(async (req, res) => {
  const m = /^\/tiles\/([^/]+)\/(\d+)\/(\d+)\/(\d+)\.mvt$/.exec(req.url ?? '');
  if (req.url === '/health') {
    res.end(JSON.stringify({ mode, workers: mode === 'fastcgi' ? workers : 0, pids: children.map((c) => c.pid) }));
    return;
  }
  if (!m) {
    res.statusCode = 404;
    res.end();
    return;
  }
  const layers = decodeURIComponent(m[1]!).replace(/[{}]/g, '').split(',').join('+'); // mapserv: space-separated
  const query = `map=${mapfile}&mode=tile&tilemode=gmap&tile=${m[3]}+${m[4]}+${m[2]}&layers=${layers}`;
  const env = {
    REQUEST_METHOD: 'GET',
    QUERY_STRING: query,
    SCRIPT_NAME: '/mapserv',
    SERVER_NAME: '127.0.0.1',
    SERVER_PORT: String(port),
    SERVER_PROTOCOL: 'HTTP/1.1',
    GATEWAY_INTERFACE: 'CGI/1.1',
    REMOTE_ADDR: '127.0.0.1',
    CONTENT_LENGTH: '0',
  };
  try {
    const r = pool ? await pool.request(env) : await cgi(env);
    const type = r.headers['content-type'] ?? '';
    // an error page instead of a tile is a failure, whatever status mapserv gave
    const status = r.status === 200 && !type.includes('mapbox-vector-tile') ? 500 : r.status;
    if (status === 200 && r.body.length === 0) {
      res.statusCode = 204;
      res.end();
      return;
    }
    res.writeHead(status, { 'content-type': type || 'application/octet-stream' });
    res.end(status === 200 ? r.body : r.body.toString().slice(0, 2000) + r.stderr);
  } catch (err) {
    res.statusCode = 502;
    res.end((err as Error).message);
  }
});
server.keepAliveTimeout = 60_000;

if (mode === 'fastcgi') await startWorkers();
server.listen(port, '127.0.0.1', () => console.log(`MapServer bridge (${mode}, ${workers} workers) on ${port}`));

function stop() {
  // mapserv waiting in FastCGI accept ignores SIGTERM; it holds no state worth a clean exit
  for (const c of children) c.kill('SIGKILL');
  server.close();
  setTimeout(() => process.exit(0), 200);
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.on('exit', () => children.forEach((c) => c.kill('SIGKILL')));
