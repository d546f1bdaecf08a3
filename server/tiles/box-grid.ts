// Which shapes or points may touch a tile, without scanning them all: each item's box is
// listed in the cells of a fixed grid over the unit square (Web Mercator) that it
// touches, and a query returns the items of the cells it covers, in item order. The
// caller still tests each candidate exactly. For 35,000 communes a deep tile looks at a
// few hundred candidates instead of every box.

/** 2^8 × 2^8 cells: a cell is a z8 tile (a French commune touches one to four of them). */
const GRID_ZOOM = 8;
const CELLS = 2 ** GRID_ZOOM;

const cellOf = (v: number) => Math.min(CELLS - 1, Math.max(0, Math.floor(v * CELLS)));

export class BoxGrid {
  private readonly cells = new Map<number, Uint32Array>();

  /** `boxes`: min x, min y, max x, max y per item; an item whose box is empty (NaN, or min > max) is never listed. */
  constructor(boxes: Float64Array) {
    const lists = new Map<number, number[]>();
    for (let i = 0; i < boxes.length / 4; i++) {
      const [minX, minY, maxX, maxY] = [boxes[i * 4]!, boxes[i * 4 + 1]!, boxes[i * 4 + 2]!, boxes[i * 4 + 3]!];
      if (!(minX <= maxX && minY <= maxY)) continue;
      for (let cx = cellOf(minX); cx <= cellOf(maxX); cx++) {
        for (let cy = cellOf(minY); cy <= cellOf(maxY); cy++) {
          const key = cx * CELLS + cy;
          let list = lists.get(key);
          if (!list) lists.set(key, (list = []));
          list.push(i);
        }
      }
    }
    for (const [key, list] of lists) this.cells.set(key, Uint32Array.from(list));
  }

  /** Items listed in the cells that the box (unit square) touches, in ascending order, each once. */
  candidates(minX: number, minY: number, maxX: number, maxY: number): Uint32Array {
    const [cx0, cx1, cy0, cy1] = [cellOf(minX), cellOf(maxX), cellOf(minY), cellOf(maxY)];
    if (cx0 === cx1 && cy0 === cy1) return this.cells.get(cx0 * CELLS + cy0) ?? new Uint32Array(0);
    const found: Uint32Array[] = [];
    let total = 0;
    for (let cx = cx0; cx <= cx1; cx++) {
      for (let cy = cy0; cy <= cy1; cy++) {
        const list = this.cells.get(cx * CELLS + cy);
        if (list) {
          found.push(list);
          total += list.length;
        }
      }
    }
    const all = new Uint32Array(total);
    let at = 0;
    for (const list of found) {
      all.set(list, at);
      at += list.length;
    }
    all.sort();
    // each once: an item spanning several cells is listed in each
    let n = 0;
    for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[i - 1]) all[n++] = all[i]!;
    return all.subarray(0, n);
  }
}
