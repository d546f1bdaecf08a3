// The tile cutter's thread: it holds every layer's index and cuts, encodes and gzips
// tiles, so that neither the indexes' heap (and its garbage collections) nor a long cut
// holds up the thread that answers requests. Messages are described in cutter.ts. A
// layer loaded again replaces its index (after an edit or an import).
import { parentPort } from 'node:worker_threads';
import type { TileFeatureRow } from '../queries/tiles.ts';
import type { CutterReply, CutterRequest, CutterStats, CutTile } from './cutter.ts';
import { packTile } from './encode.ts';
import { LayerIndex } from './layer-index.ts';

const port = parentPort;
if (!port) throw new Error('cutter-worker.ts runs in a worker thread');
const indexes = new Map<string, LayerIndex>();
/** Pages of a layer received since its first one, until it is built. */
const pages = new Map<string, string[]>();

function handle(msg: CutterRequest): CutTile | CutterStats | null {
  switch (msg.type) {
    case 'page': {
      if (msg.first) pages.set(msg.layer, []);
      // a page without its first one (sent to a worker that stopped since) fails the load
      const received = pages.get(msg.layer);
      if (!received) throw new Error(`layer ${msg.layer}: page without its first page`);
      received.push(msg.json);
      return null;
    }
    case 'load': {
      const received = pages.get(msg.layer);
      if (!received) throw new Error(`layer ${msg.layer}: no page received`);
      pages.delete(msg.layer);
      const rows = received.flatMap((json) => JSON.parse(json) as TileFeatureRow[]);
      received.length = 0;
      // the old index goes first: never two versions of a layer in memory at once
      indexes.delete(msg.layer);
      indexes.set(msg.layer, new LayerIndex(msg.layer, rows));
      return null;
    }
    case 'cut': {
      const bodies: Uint8Array[] = [];
      for (const layer of msg.layers) {
        const index = indexes.get(layer);
        if (!index) throw new Error(`layer ${layer} is not loaded in the cutter`);
        const body = index.encoded(msg.z, msg.x, msg.y);
        if (body) bodies.push(body);
      }
      return packTile(msg.key, bodies);
    }
    case 'stats': {
      return { heapUsedMb: process.memoryUsage().heapUsed / 2 ** 20 };
    }
  }
}

port.on('message', (msg: CutterRequest) => {
  let reply: CutterReply;
  try {
    reply = { id: msg.id, ok: true, result: handle(msg) };
  } catch (err) {
    reply = { id: msg.id, ok: false, error: (err as Error).message };
  }
  // the gzipped bytes move to the main thread rather than being copied
  const result = reply.ok ? reply.result : null;
  const transfer = result && 'gzipped' in result ? [result.gzipped.buffer as ArrayBuffer] : [];
  port.postMessage(reply, transfer);
});
