// A tile's layers encoded as a Mapbox vector tile (vt-pbf), gzipped as browsers receive
// it, with an ETag that changes when the bytes or the layer versions in its key do.
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { fromGeojsonVt } from '@maplibre/vt-pbf';
import { EXTENT, type VtTile } from './layer-index.ts';

export function encodeTile(key: string, parts: Record<string, VtTile>): { gzipped: Uint8Array; etag: string } | null {
  if (Object.keys(parts).length === 0) return null;
  const body = fromGeojsonVt(parts, { version: 2, extent: EXTENT });
  return {
    // a copy that owns its memory, so that it can be transferred between threads
    gzipped: new Uint8Array(gzipSync(body, { level: 6 })),
    etag: `"${createHash('sha1').update(key).update(body).digest('base64url').slice(0, 20)}"`,
  };
}
