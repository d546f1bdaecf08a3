// Vector tile layers written straight from the cutters' flat features (polygon-cut.ts,
// point-cut.ts): the same bytes vt-pbf's fromGeojsonVt writes — same field order, same
// key and value tables, same commands — without first building an [x, y] array and a
// Point object per vertex. test/unit/encode-mvt.test.ts compares the bytes with vt-pbf's.
import { PbfWriter } from 'pbf';
import type { TileFeature } from './polygon-cut.ts';

/** A layer's features, by layer name, in the order the layers are written. */
export type TileParts = Record<string, TileFeature[]>;

interface LayerContext {
  keys: string[];
  values: (string | number | boolean)[];
  keyIndex: Map<string, number>;
  valueIndex: Map<string, number>;
  feature: TileFeature | null;
}

const command = (cmd: number, length: number) => (length << 3) + (cmd & 7);
const zigzag = (n: number) => (n << 1) ^ (n >> 31);

function writeProperties(ctx: LayerContext, pbf: PbfWriter): void {
  const tags = ctx.feature!.tags ?? {};
  for (const key in tags) {
    let value = tags[key];
    if (value == null) continue;
    let k = ctx.keyIndex.get(key);
    if (k === undefined) {
      k = ctx.keys.push(key) - 1;
      ctx.keyIndex.set(key, k);
    }
    pbf.writeVarint(k);
    if (typeof value !== 'string' && typeof value !== 'boolean' && typeof value !== 'number') value = JSON.stringify(value);
    const valueKey = `${typeof value}:${String(value)}`;
    let v = ctx.valueIndex.get(valueKey);
    if (v === undefined) {
      v = ctx.values.push(value as string | number | boolean) - 1;
      ctx.valueIndex.set(valueKey, v);
    }
    pbf.writeVarint(v);
  }
}

function writeGeometry(feature: TileFeature, pbf: PbfWriter): void {
  const { type, xy, ringEnds } = feature;
  let x = 0;
  let y = 0;
  let start = 0;
  for (const end of ringEnds) {
    const n = (end - start) / 2;
    pbf.writeVarint(command(1, type === 1 ? n : 1));
    // a polygon ring's closing point is the ClosePath command
    const closed = type === 3 && n > 1 && xy[end - 2] === xy[start] && xy[end - 1] === xy[start + 1];
    const lineCount = closed ? n - 1 : n;
    for (let i = 0; i < lineCount; i++) {
      if (i === 1 && type !== 1) pbf.writeVarint(command(2, lineCount - 1));
      const dx = xy[start + 2 * i]! - x;
      const dy = xy[start + 2 * i + 1]! - y;
      pbf.writeVarint(zigzag(dx));
      pbf.writeVarint(zigzag(dy));
      x += dx;
      y += dy;
    }
    if (type === 3) pbf.writeVarint(command(7, 1));
    start = end;
  }
}

function writeFeature(ctx: LayerContext, pbf: PbfWriter): void {
  pbf.writeMessage(2, writeProperties, ctx);
  pbf.writeVarintField(3, ctx.feature!.type);
  pbf.writeMessage(4, writeGeometry, ctx.feature!);
}

function writeValue(value: string | number | boolean, pbf: PbfWriter): void {
  if (typeof value === 'string') pbf.writeStringField(1, value);
  else if (typeof value === 'boolean') pbf.writeBooleanField(7, value);
  else if (value % 1 !== 0) pbf.writeDoubleField(3, value);
  else if (value < 0) pbf.writeSVarintField(6, value);
  else pbf.writeVarintField(5, value);
}

function writeLayer([name, features]: [string, TileFeature[]], pbf: PbfWriter, extent: number): void {
  pbf.writeVarintField(15, 2);
  pbf.writeStringField(1, name);
  pbf.writeVarintField(5, extent);
  const ctx: LayerContext = { keys: [], values: [], keyIndex: new Map(), valueIndex: new Map(), feature: null };
  for (const feature of features) {
    ctx.feature = feature;
    pbf.writeMessage(2, writeFeature, ctx);
  }
  for (const key of ctx.keys) pbf.writeStringField(3, key);
  for (const value of ctx.values) pbf.writeMessage(4, writeValue, value);
}

/** The parts as vector tile layers (version 2); null when there are none. */
export function encodeParts(parts: TileParts, extent: number): Uint8Array | null {
  const layers = Object.entries(parts);
  if (layers.length === 0) return null;
  const pbf = new PbfWriter();
  for (const layer of layers) pbf.writeMessage(3, (l: [string, TileFeature[]], p: PbfWriter) => writeLayer(l, p, extent), layer);
  return pbf.finish();
}
