// The parse worker's thread (see pool.ts): reads the uploaded files it is sent, one at a
// time, and posts back what it made of each or the error it raised. A commune list asks
// the main thread for the COG (held in the database) once its table passed its checks.
import { parentPort } from 'node:worker_threads';
import { readPerimeterFile, type CogRows } from '../../core/perimeters/read-file.ts';
import { registryFromCsv } from '../registry/csv.ts';
import { checkRegistrySize } from '../registry/limits.ts';
import { toWire, type FromWorker, type ParseTask, type ToWorker } from './messages.ts';

const port = parentPort;
if (!port) throw new Error('parse/worker.ts runs in a worker thread');

let cog: { resolve: (rows: CogRows) => void; reject: (err: Error) => void } | null = null;
port.on('message', (msg: ToWorker) => {
  if (msg.type === 'task') {
    run(msg.task).then(
      // a file's geometries (bytes) are moved to the main thread, not copied
      (result) => port.postMessage({ type: 'done', result } satisfies FromWorker, transferable(result)),
      (err: unknown) => port.postMessage({ type: 'failed', error: toWire(err) } satisfies FromWorker),
    );
  } else if (msg.type === 'cog') cog?.resolve(msg.rows);
  else cog?.reject(Object.assign(new Error(msg.error.message), { name: msg.error.name }));
});
const loadCog = () =>
  new Promise<CogRows>((resolve, reject) => {
    cog = { resolve, reject };
    port.postMessage({ type: 'need-cog' } satisfies FromWorker);
  });

function transferable(result: unknown): ArrayBuffer[] {
  const geometries = (result as { geometries?: unknown }).geometries;
  return geometries instanceof Uint8Array && geometries.buffer instanceof ArrayBuffer ? [geometries.buffer] : [];
}

async function run(task: ParseTask): Promise<unknown> {
  switch (task.kind) {
    case 'perimeter-file':
      return readPerimeterFile(task.options, loadCog);
    case 'registry-csv': {
      const parsed = registryFromCsv(task.bytes);
      // refused here, before rows by the hundred thousand cross back to the main thread
      if (!parsed.errors.length && parsed.rows.length) checkRegistrySize(parsed.rows.map((r) => r.record.communes.length));
      return parsed;
    }
  }
}
