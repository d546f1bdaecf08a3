// A tile as browsers receive it: the layers' messages, each encoded by its index
// (layer-index.ts), one after the other (a vector tile is a sequence of layer messages),
// gzipped, with an ETag that changes when the bytes or the layer versions in its key do.
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';

export function packTile(key: string, bodies: Uint8Array[]): { gzipped: Uint8Array; etag: string } | null {
  if (bodies.length === 0) return null;
  const body = bodies.length === 1 ? bodies[0]! : Buffer.concat(bodies);
  return {
    // a copy that owns its memory, so that it can be transferred between threads
    gzipped: new Uint8Array(gzipSync(body, { level: 6 })),
    etag: `"${createHash('sha1').update(key).update(body).digest('base64url').slice(0, 20)}"`,
  };
}
