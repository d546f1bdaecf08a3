// The static export (scripts/export-tiles.ts): PMTiles v3 archives that the pmtiles
// reader opens, holding exactly the non-empty tiles the live server has, byte for byte.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Compression as PmCompression, PMTiles, type Source, zxyToTileId as referenceTileId } from 'pmtiles';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Compression, PmtilesWriter, TileType, zxyToTileId } from '../../scripts/lib/pmtiles.ts';
import { exportTiles, type ExportedArchive } from '../../scripts/lib/tile-export.ts';
import { backends, startTestServer, type TestServer } from '../support/backends.ts';

const MAX_ZOOM = 6;

class FileSource implements Source {
  constructor(private readonly file: string) {}
  getKey() {
    return this.file;
  }
  async getBytes(offset: number, length: number) {
    const buf = Buffer.alloc(length);
    const fd = fs.openSync(this.file, 'r');
    try {
      const n = fs.readSync(fd, buf, 0, length, offset);
      return { data: buf.buffer.slice(buf.byteOffset, buf.byteOffset + n) };
    } finally {
      fs.closeSync(fd);
    }
  }
}

async function decompress(buf: ArrayBuffer, compression: PmCompression): Promise<ArrayBuffer> {
  if (compression === PmCompression.None) return buf;
  if (compression !== PmCompression.Gzip) throw new Error(`compression ${compression}`);
  const out = gunzipSync(new Uint8Array(buf));
  return out.buffer.slice(out.byteOffset, out.byteOffset + out.length);
}

const open = (file: string) => new PMTiles(new FileSource(file), undefined, decompress);
const sha1 = (b: ArrayBuffer) => createHash('sha1').update(new Uint8Array(b)).digest('hex');

const lonToX = (lon: number, z: number) => Math.floor(((lon + 180) / 360) * 2 ** z);
const latToY = (lat: number, z: number) => {
  const r = (lat * Math.PI) / 180;
  return Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * 2 ** z);
};

describe('PMTiles writer', () => {
  it('numbers tiles along the Hilbert curves as the reference reader does', () => {
    for (const [z, x, y] of [
      [0, 0, 0],
      [1, 1, 0],
      [3, 5, 2],
      [6, 32, 22],
      [10, 517, 374],
      [14, 8300, 5900],
    ] as const) {
      expect(zxyToTileId(z, x, y), `${z}/${x}/${y}`).toBe(referenceTileId(z, x, y));
    }
  });

  it('moves entries into leaf directories when the root would pass 16 KiB, and deduplicates', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mf-pmtiles-')), 'leaves.pmtiles');
    const writer = new PmtilesWriter(file);
    const z = 9;
    const coords = [];
    for (let x = 0; x < 2 ** z; x += 2) for (let y = 0; y < 2 ** z; y += 3) coords.push({ x, y, id: zxyToTileId(z, x, y) });
    coords.sort((a, b) => a.id - b.id);
    // one content in ten repeats, so the archive holds fewer blobs than tiles
    const content = (x: number, y: number) => Buffer.from(x % 10 === 0 ? 'sea' : `tile ${x}/${y}`);
    for (const c of coords) writer.add(c.id, content(c.x, c.y));
    const summary = writer.finish({
      minZoom: z,
      maxZoom: z,
      bounds: [-180, -85, 180, 85],
      center: [0, 0, z],
      tileCompression: Compression.none,
      tileType: TileType.mvt,
      metadata: { name: 'test' },
    });
    expect(summary.leafDirectories).toBeGreaterThan(1);
    expect(summary.addressedTiles).toBe(coords.length);
    expect(summary.tileContents).toBeLessThan(coords.length);
    const archive = open(file);
    const header = await archive.getHeader();
    expect(header.rootDirectoryOffset + header.rootDirectoryLength).toBeLessThanOrEqual(16_384);
    expect(header.numAddressedTiles).toBe(coords.length);
    for (const c of [coords[0]!, coords[1234]!, coords.at(-1)!, coords[20_000]!]) {
      const tile = await archive.getZxy(z, c.x, c.y);
      expect(Buffer.from(tile!.data).toString()).toBe(content(c.x, c.y).toString());
    }
    expect(await archive.getZxy(z, 1, 0)).toBeUndefined();
    expect(await archive.getMetadata()).toEqual({ name: 'test' });
  });
});

describe.each(backends())('static tile export on $name', (backend) => {
  let server: TestServer;
  let dir: string;
  let exported: ExportedArchive;

  beforeAll(async () => {
    server = await startTestServer(backend);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), `mf-export-${backend.name}-`));
    [exported] = (await exportTiles(server.db, { outDir: dir, maxZoom: MAX_ZOOM, only: ['epci'] })) as [ExportedArchive];
  });
  afterAll(async () => {
    await server?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes one archive with a valid v3 header and metadata', async () => {
    expect(fs.readdirSync(dir)).toEqual(['epci.pmtiles']);
    const archive = open(path.join(dir, 'epci.pmtiles'));
    const h = await archive.getHeader();
    expect(h).toMatchObject({
      specVersion: 3,
      minZoom: 0,
      maxZoom: MAX_ZOOM,
      tileType: 1,
      tileCompression: PmCompression.Gzip,
      internalCompression: PmCompression.Gzip,
      clustered: true,
      rootDirectoryOffset: 127,
      numAddressedTiles: exported.addressedTiles,
      numTileEntries: exported.tileEntries,
      numTileContents: exported.tileContents,
    });
    expect(h.tileDataOffset + h.tileDataLength!).toBe(fs.statSync(path.join(dir, 'epci.pmtiles')).size);
    // metropolitan France and the overseas départements are inside the bounds
    expect(h.minLon).toBeLessThan(-61);
    expect(h.maxLon).toBeGreaterThan(55);
    expect(h.minLat).toBeLessThan(-21);
    expect(h.maxLat).toBeGreaterThan(51);
    const meta = (await archive.getMetadata()) as { vector_layers: { id: string }[] };
    expect(meta.vector_layers.map((l) => l.id)).toEqual(['epci', 'epci-label']);
  });

  it('holds exactly the non-empty tiles of the live server, with the same bytes', async () => {
    const archive = open(path.join(dir, 'epci.pmtiles'));
    const h = await archive.getHeader();
    let inArchive = 0;
    let compared = 0;
    for (let z = 0; z <= MAX_ZOOM; z++) {
      // one tile more on each side: a tile can hold a neighbour's edge in its buffer
      const last = 2 ** z - 1;
      for (let x = Math.max(0, lonToX(h.minLon, z) - 1); x <= Math.min(last, lonToX(h.maxLon, z) + 1); x++) {
        for (let y = Math.max(0, latToY(h.maxLat, z) - 1); y <= Math.min(last, latToY(h.minLat, z) + 1); y++) {
          const stored = await archive.getZxy(z, x, y);
          const live = await fetch(`${server.url}/tiles/epci/${z}/${x}/${y}.mvt`);
          expect(live.status === 200, `${z}/${x}/${y}: live ${live.status}, archive ${stored ? 'tile' : 'none'}`).toBe(
            stored !== undefined,
          );
          const body = await live.arrayBuffer();
          if (!stored) continue;
          inArchive += 1;
          expect(sha1(stored.data), `${z}/${x}/${y}`).toBe(sha1(body));
          compared += 1;
        }
      }
    }
    expect(inArchive).toBe(h.numAddressedTiles);
    expect(compared).toBeGreaterThan(30);
    // a tile over Clermont-Ferrand / Issoire, by name
    const tile = await archive.getZxy(6, 32, 22);
    const live = await fetch(`${server.url}/tiles/epci/6/32/22.mvt`);
    expect(Buffer.from(tile!.data).equals(Buffer.from(await live.arrayBuffer()))).toBe(true);
  });
});
