// Load generator: wrk (Debian package) replaying a list of paths round-robin over N
// keep-alive connections for a fixed time, each thread starting at a different point of
// the list; latency percentiles, requests/s, bytes and errors come back as JSON.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export interface LoadResult {
  connections: number;
  durationS: number;
  requests: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  bytesPerRequest: number;
  errors: number;
  timeouts: number;
}

export const hasWrk = () => spawnSync('sh', ['-c', 'command -v wrk']).status === 0;

const LUA = `
local paths = {}
for line in io.lines(os.getenv("WRK_PATHS")) do paths[#paths + 1] = line end
local threads, started = {}, 0
function setup(thread)
  thread:set("start", started)
  started = started + 1
  table.insert(threads, thread)
end
function init(args)
  i = math.floor((tonumber(start) or 0) * #paths / tonumber(os.getenv("WRK_THREADS")))
  wrk.headers["Accept-Encoding"] = "gzip"
end
function request()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('\\nWRK_JSON {"requests":%d,"duration_us":%d,"bytes":%d,"p50_us":%d,"p99_us":%d,"max_us":%d,"errors":%d,"timeouts":%d}\\n',
    summary.requests, summary.duration, summary.bytes, latency:percentile(50), latency:percentile(99), latency.max,
    e.connect + e.read + e.write + e.status, e.timeout))
end
`;

export async function runWrk(opts: {
  baseUrl: string;
  paths: string[];
  connections: number;
  durationS: number;
  workDir: string;
  threads?: number;
}): Promise<LoadResult> {
  const threads = Math.min(opts.threads ?? 1, opts.connections);
  const script = path.join(opts.workDir, 'replay.lua');
  const list = path.join(opts.workDir, 'paths.txt');
  fs.writeFileSync(script, LUA);
  fs.writeFileSync(list, opts.paths.join('\n') + '\n');
  const args = [
    '-t',
    String(threads),
    '-c',
    String(opts.connections),
    '-d',
    `${opts.durationS}s`,
    '--timeout',
    '30s',
    '-s',
    script,
    opts.baseUrl,
  ];
  const out = await new Promise<string>((resolve, reject) => {
    const p = spawn('wrk', args, {
      env: { ...process.env, WRK_PATHS: list, WRK_THREADS: String(threads) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let text = '';
    p.stdout.on('data', (c: Buffer) => (text += c.toString()));
    p.stderr.on('data', (c: Buffer) => (text += c.toString()));
    p.on('error', reject);
    p.on('close', (code) => (code === 0 ? resolve(text) : reject(new Error(`wrk exited ${code}: ${text}`))));
  });
  const m = /WRK_JSON (\{.*\})/.exec(out);
  if (!m) throw new Error(`no result from wrk: ${out}`);
  const r = JSON.parse(m[1]!) as Record<string, number>;
  const seconds = r.duration_us! / 1e6;
  return {
    connections: opts.connections,
    durationS: seconds,
    requests: r.requests!,
    rps: r.requests! / seconds,
    p50Ms: r.p50_us! / 1000,
    p99Ms: r.p99_us! / 1000,
    maxMs: r.max_us! / 1000,
    bytesPerRequest: r.requests ? r.bytes! / r.requests : 0,
    errors: r.errors!,
    timeouts: r.timeouts!,
  };
}
