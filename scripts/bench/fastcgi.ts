// A minimal FastCGI client (responder role, one request per connection) and a pool that
// hands each request to an idle worker socket: enough to put MapServer's mapserv, run as
// FastCGI workers, behind an HTTP front for the benchmark.
import net from 'node:net';

const VERSION = 1;
const BEGIN_REQUEST = 1;
const END_REQUEST = 3;
const PARAMS = 4;
const STDIN = 5;
const STDOUT = 6;
const STDERR = 7;
const RESPONDER = 1;

function record(type: number, content: Buffer, requestId = 1): Buffer {
  const padding = (8 - (content.length % 8)) % 8;
  const header = Buffer.alloc(8);
  header.writeUInt8(VERSION, 0);
  header.writeUInt8(type, 1);
  header.writeUInt16BE(requestId, 2);
  header.writeUInt16BE(content.length, 4);
  header.writeUInt8(padding, 6);
  return Buffer.concat([header, content, Buffer.alloc(padding)]);
}

function lengthBytes(n: number): Buffer {
  if (n < 128) return Buffer.from([n]);
  const b = Buffer.alloc(4);
  b.writeUInt32BE((n | 0x80000000) >>> 0);
  return b;
}

function encodeParams(params: Record<string, string>): Buffer[] {
  const pairs = Object.entries(params).map(([k, v]) => {
    const key = Buffer.from(k);
    const value = Buffer.from(v);
    return Buffer.concat([lengthBytes(key.length), lengthBytes(value.length), key, value]);
  });
  const all = Buffer.concat(pairs);
  const records: Buffer[] = [];
  for (let i = 0; i < all.length; i += 65535) records.push(record(PARAMS, all.subarray(i, i + 65535)));
  records.push(record(PARAMS, Buffer.alloc(0)));
  return records;
}

export interface CgiResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  stderr: string;
}

/** Splits a CGI answer ("Header: value\r\n…\r\n\r\nbody") into status, headers and body. */
export function parseCgi(out: Buffer, stderr = ''): CgiResponse {
  let end = out.indexOf('\r\n\r\n');
  let sep = 4;
  if (end < 0) {
    end = out.indexOf('\n\n');
    sep = 2;
  }
  const head = end < 0 ? '' : out.subarray(0, end).toString('latin1');
  const body = end < 0 ? out : out.subarray(end + sep);
  const headers: Record<string, string> = {};
  for (const line of head.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  const status = Number(/^(\d{3})/.exec(headers.status ?? '')?.[1] ?? 200);
  delete headers.status;
  return { status, headers, body, stderr };
}

/** One FastCGI request on a fresh connection to socketPath. */
export function fastcgiRequest(socketPath: string, params: Record<string, string>, timeoutMs = 120_000): Promise<CgiResponse> {
  return new Promise((resolve, reject) => {
    const sock = net.createConnection(socketPath);
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let pending: Buffer = Buffer.alloc(0);
    let finished = false;
    sock.setTimeout(timeoutMs, () => sock.destroy(new Error('FastCGI timeout')));
    sock.on('connect', () => {
      const begin = Buffer.alloc(8);
      begin.writeUInt16BE(RESPONDER, 0);
      sock.write(Buffer.concat([record(BEGIN_REQUEST, begin), ...encodeParams(params), record(STDIN, Buffer.alloc(0))]));
    });
    sock.on('data', (chunk: Buffer) => {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      while (pending.length >= 8) {
        const type = pending.readUInt8(1);
        const length = pending.readUInt16BE(4);
        const padding = pending.readUInt8(6);
        if (pending.length < 8 + length + padding) break;
        const content = pending.subarray(8, 8 + length);
        pending = pending.subarray(8 + length + padding);
        if (type === STDOUT) stdout.push(content);
        else if (type === STDERR) stderr.push(content);
        else if (type === END_REQUEST) {
          finished = true;
          sock.end();
          resolve(parseCgi(Buffer.concat(stdout), Buffer.concat(stderr).toString()));
          return;
        }
      }
    });
    sock.on('error', (err) => {
      if (!finished) reject(err);
    });
    sock.on('close', () => {
      if (!finished) reject(new Error('FastCGI connection closed before the end of the request'));
    });
  });
}

/** Dispatches requests to the first idle worker; others wait in order. */
export class FastcgiPool {
  private idle: string[];
  private waiting: ((socket: string) => void)[] = [];

  constructor(sockets: string[]) {
    this.idle = [...sockets];
  }

  async request(params: Record<string, string>): Promise<CgiResponse> {
    const socket = this.idle.pop() ?? (await new Promise<string>((resolve) => this.waiting.push(resolve)));
    try {
      return await fastcgiRequest(socket, params);
    } finally {
      const next = this.waiting.shift();
      if (next) next(socket);
      else this.idle.push(socket);
    }
  }
}
