// A small PMTiles v3 writer: tiles added in ascending TileId order are streamed to a
// temporary file (identical contents stored once), then the archive is assembled as
// header, root directory, JSON metadata, leaf directories, tile data. Directories are
// gzipped; the root directory is kept under the 16 KiB the spec requires by moving
// entries into leaf directories when needed. Spec: github.com/protomaps/PMTiles, spec/v3.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

export const HEADER_BYTES = 127;
/** Header plus root directory must fit in the first 16,384 bytes of the archive. */
const ROOT_BUDGET = 16_384 - HEADER_BYTES;

export const Compression = { none: 1, gzip: 2 } as const;
export const TileType = { mvt: 1 } as const;

export interface Entry {
  tileId: number;
  offset: number;
  length: number;
  /** ≥ 1: tile data repeated over that many consecutive ids; 0: a leaf directory. */
  runLength: number;
}

/** Position of a tile on the chain of Hilbert curves z = 0, 1, 2…: the PMTiles TileId. */
export function zxyToTileId(z: number, x: number, y: number): number {
  if (z > 26) throw new Error('zoom above 26: TileId no longer fits a double');
  const n = 2 ** z;
  if (x < 0 || y < 0 || x >= n || y >= n) throw new Error(`tile ${z}/${x}/${y} outside the world`);
  let id = (n * n - 1) / 3; // tiles of all lower zooms
  let tx = x;
  let ty = y;
  for (let s = n / 2; s >= 1; s /= 2) {
    const rx = (tx & s) > 0 ? 1 : 0;
    const ry = (ty & s) > 0 ? 1 : 0;
    id += s * s * ((3 * rx) ^ ry);
    // rotate the quadrant so that the curve stays continuous
    if (ry === 0) {
      if (rx === 1) {
        tx = s - 1 - (tx & (s - 1));
        ty = s - 1 - (ty & (s - 1));
      }
      [tx, ty] = [ty, tx];
    }
  }
  return id;
}

function writeVarint(out: number[], value: number): void {
  let v = value;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
}

/** Directory serialisation of the spec: count, then columns of deltas, run lengths, lengths, offsets. */
export function serializeDirectory(entries: Entry[]): Buffer {
  const out: number[] = [];
  writeVarint(out, entries.length);
  let last = 0;
  for (const e of entries) {
    writeVarint(out, e.tileId - last);
    last = e.tileId;
  }
  for (const e of entries) writeVarint(out, e.runLength);
  for (const e of entries) writeVarint(out, e.length);
  entries.forEach((e, i) => {
    const prev = entries[i - 1];
    // 0 means "right after the previous entry", otherwise offset + 1
    writeVarint(out, prev && e.offset === prev.offset + prev.length ? 0 : e.offset + 1);
  });
  return gzipSync(Buffer.from(out));
}

/** Root and leaf directories: all entries in the root if they fit, else leaves of growing size. */
export function buildDirectories(entries: Entry[]): { root: Buffer; leaves: Buffer; leafCount: number } {
  const whole = serializeDirectory(entries);
  if (whole.length <= ROOT_BUDGET) return { root: whole, leaves: Buffer.alloc(0), leafCount: 0 };
  for (let leafSize = 4096; ; leafSize *= 2) {
    const rootEntries: Entry[] = [];
    const parts: Buffer[] = [];
    let offset = 0;
    for (let i = 0; i < entries.length; i += leafSize) {
      const leaf = serializeDirectory(entries.slice(i, i + leafSize));
      rootEntries.push({ tileId: entries[i]!.tileId, offset, length: leaf.length, runLength: 0 });
      parts.push(leaf);
      offset += leaf.length;
    }
    const root = serializeDirectory(rootEntries);
    if (root.length <= ROOT_BUDGET) return { root, leaves: Buffer.concat(parts), leafCount: parts.length };
  }
}

export interface ArchiveInfo {
  minZoom: number;
  maxZoom: number;
  /** [west, south, east, north] in degrees. */
  bounds: [number, number, number, number];
  center: [number, number, number];
  tileCompression: number;
  tileType: number;
  metadata: Record<string, unknown>;
}

export interface WriteSummary {
  file: string;
  bytes: number;
  addressedTiles: number;
  tileEntries: number;
  tileContents: number;
  leafDirectories: number;
}

export function encodeHeader(h: {
  rootOffset: number;
  rootLength: number;
  metadataOffset: number;
  metadataLength: number;
  leafOffset: number;
  leafLength: number;
  dataOffset: number;
  dataLength: number;
  addressedTiles: number;
  tileEntries: number;
  tileContents: number;
  info: ArchiveInfo;
}): Buffer {
  const b = Buffer.alloc(HEADER_BYTES);
  b.write('PMTiles', 0, 'ascii');
  b.writeUInt8(3, 7);
  const u64 = [
    h.rootOffset,
    h.rootLength,
    h.metadataOffset,
    h.metadataLength,
    h.leafOffset,
    h.leafLength,
    h.dataOffset,
    h.dataLength,
    h.addressedTiles,
    h.tileEntries,
    h.tileContents,
  ];
  u64.forEach((v, i) => b.writeBigUInt64LE(BigInt(v), 8 + i * 8));
  b.writeUInt8(1, 96); // clustered: data written in TileId order
  b.writeUInt8(Compression.gzip, 97); // directories and metadata
  b.writeUInt8(h.info.tileCompression, 98);
  b.writeUInt8(h.info.tileType, 99);
  b.writeUInt8(h.info.minZoom, 100);
  b.writeUInt8(h.info.maxZoom, 101);
  const e7 = (deg: number) => Math.round(deg * 1e7);
  const [w, s, e, n] = h.info.bounds;
  b.writeInt32LE(e7(w), 102);
  b.writeInt32LE(e7(s), 106);
  b.writeInt32LE(e7(e), 110);
  b.writeInt32LE(e7(n), 114);
  b.writeUInt8(h.info.center[2], 118);
  b.writeInt32LE(e7(h.info.center[0]), 119);
  b.writeInt32LE(e7(h.info.center[1]), 123);
  return b;
}

export class PmtilesWriter {
  private readonly dataFile: string;
  private readonly fd: number;
  private entries: Entry[] = [];
  private offsets = new Map<string, { offset: number; length: number }>();
  private dataLength = 0;
  private lastTileId = -1;

  constructor(readonly file: string) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    this.dataFile = `${file}.data.tmp`;
    this.fd = fs.openSync(this.dataFile, 'w');
  }

  /** Adds a tile's stored bytes (already compressed as the archive declares); ids must increase. */
  add(tileId: number, bytes: Uint8Array): void {
    if (tileId <= this.lastTileId) throw new Error(`tiles must come in ascending TileId order (${tileId} after ${this.lastTileId})`);
    if (bytes.length === 0) throw new Error('a tile cannot be empty in PMTiles v3');
    this.lastTileId = tileId;
    const hash = createHash('sha256').update(bytes).digest('base64');
    let blob = this.offsets.get(hash);
    if (!blob) {
      blob = { offset: this.dataLength, length: bytes.length };
      fs.writeSync(this.fd, bytes);
      this.dataLength += bytes.length;
      this.offsets.set(hash, blob);
    }
    const last = this.entries.at(-1);
    if (last && last.offset === blob.offset && last.tileId + last.runLength === tileId) {
      last.runLength += 1;
    } else {
      this.entries.push({ tileId, offset: blob.offset, length: blob.length, runLength: 1 });
    }
  }

  get tileCount(): number {
    return this.entries.reduce((n, e) => n + e.runLength, 0);
  }

  finish(info: ArchiveInfo): WriteSummary {
    fs.closeSync(this.fd);
    if (this.entries.length === 0) {
      fs.rmSync(this.dataFile, { force: true });
      throw new Error(`no tile to write in ${this.file}`);
    }
    const { root, leaves, leafCount } = buildDirectories(this.entries);
    const metadata = gzipSync(Buffer.from(JSON.stringify(info.metadata)));
    const rootOffset = HEADER_BYTES;
    const metadataOffset = rootOffset + root.length;
    const leafOffset = metadataOffset + metadata.length;
    const dataOffset = leafOffset + leaves.length;
    const summary = {
      addressedTiles: this.tileCount,
      tileEntries: this.entries.length,
      tileContents: this.offsets.size,
    };
    const header = encodeHeader({
      rootOffset,
      rootLength: root.length,
      metadataOffset,
      metadataLength: metadata.length,
      leafOffset,
      leafLength: leaves.length,
      dataOffset,
      dataLength: this.dataLength,
      ...summary,
      info,
    });
    const out = fs.openSync(this.file, 'w');
    try {
      for (const part of [header, root, metadata, leaves]) fs.writeSync(out, part);
      const input = fs.openSync(this.dataFile, 'r');
      try {
        const chunk = Buffer.alloc(1 << 20);
        for (let n; (n = fs.readSync(input, chunk, 0, chunk.length, null)) > 0;) fs.writeSync(out, chunk, 0, n);
      } finally {
        fs.closeSync(input);
      }
    } finally {
      fs.closeSync(out);
      fs.rmSync(this.dataFile, { force: true });
    }
    return { file: this.file, bytes: dataOffset + this.dataLength, ...summary, leafDirectories: leafCount };
  }
}
