// Hatching drawn in code (no image file, nothing fetched): one RGBA tile per scheme
// type, registered with map.addImage and used as fill-pattern. The same geometry feeds
// the SVG swatches of the legend, so legend and map match.
import type { Hatch } from './layers.ts';

/** Pattern tile size in CSS pixels; the bitmap is drawn at twice that for sharpness. */
export const HATCH_SIZE = 10;
const RATIO = 2;

function hexToRgb(hex: string): [number, number, number] {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function onStroke(hatch: Hatch, x: number, y: number, size: number, w: number): boolean {
  const m = (v: number) => ((v % size) + size) % size;
  switch (hatch) {
    case 'up':
      return m(x + y) < w;
    case 'down':
      return m(x - y) < w;
    case 'horizontal':
      return m(y) < w;
    case 'vertical':
      return m(x) < w;
    case 'cross':
      return m(x + y) < w * 0.7 || m(x - y) < w * 0.7;
  }
}

export interface PatternImage {
  width: number;
  height: number;
  data: Uint8Array;
  pixelRatio: number;
}

export function hatchImage(hatch: Hatch, color: string): PatternImage {
  const size = HATCH_SIZE * RATIO;
  const [r, g, b] = hexToRgb(color);
  const data = new Uint8Array(size * size * 4);
  const w = 1.6 * RATIO;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if (!onStroke(hatch, x, y, size, w)) continue;
      const i = (y * size + x) * 4;
      data[i] = r;
      data[i + 1] = g;
      data[i + 2] = b;
      data[i + 3] = 255;
    }
  }
  return { width: size, height: size, data, pixelRatio: RATIO };
}

/** SVG path of the same hatching over a tile of `size` px, for swatches. */
export function hatchPath(hatch: Hatch, size: number): string {
  const s = HATCH_SIZE;
  const lines: string[] = [];
  for (let k = -size; k <= 2 * size; k += s) {
    if (hatch === 'up' || hatch === 'cross') lines.push(`M${k} ${0}L${k - size} ${size}`);
    if (hatch === 'down' || hatch === 'cross') lines.push(`M${k} 0L${k + size} ${size}`);
    if (hatch === 'horizontal' && k >= 0 && k <= size) lines.push(`M0 ${k + 1}H${size}`);
    if (hatch === 'vertical' && k >= 0 && k <= size) lines.push(`M${k + 1} 0V${size}`);
  }
  return lines.join('');
}

export function hatchImageId(entryId: string): string {
  return `hatch-${entryId}`;
}
