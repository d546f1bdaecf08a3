// A layer's label points kept flat (projected to Web Mercator's unit square) and cut into
// one tile at a time as geojson-vt cuts points — kept when inside the tile, edges
// included, no margin — each shown from its own zoom (small communes only when zoomed
// in). A grid of the points (box-grid.ts) gives a tile's candidates; geojson-vt's pyramid
// held every point once per zoom level.
import type { Point } from 'geojson';
import { BoxGrid } from './box-grid.ts';
import { projectX, projectY, type TileFeature } from './polygon-cut.ts';

export class PointCutter {
  /** x, y of each point (NaN for a feature without one). */
  private readonly xy: Float64Array;
  private readonly minZooms: Uint8Array;
  private readonly grid: BoxGrid;

  constructor(
    points: readonly (Point | null)[],
    private readonly tags: readonly Record<string, unknown>[],
    minZooms: readonly number[],
    private readonly extent: number,
  ) {
    this.xy = new Float64Array(points.length * 2).fill(Number.NaN);
    points.forEach((p, i) => {
      if (p?.type !== 'Point' || p.coordinates.length < 2) return;
      this.xy[i * 2] = projectX(p.coordinates[0]!);
      this.xy[i * 2 + 1] = projectY(p.coordinates[1]!);
    });
    this.minZooms = Uint8Array.from(minZooms);
    const boxes = new Float64Array(points.length * 4);
    for (let i = 0; i < points.length; i++) boxes.set([this.xy[i * 2]!, this.xy[i * 2 + 1]!, this.xy[i * 2]!, this.xy[i * 2 + 1]!], i * 4);
    this.grid = new BoxGrid(boxes);
  }

  /** The points shown in this tile, in feature order (null when none). */
  tile(z: number, x: number, y: number): TileFeature[] | null {
    const z2 = 2 ** z;
    const [x0, x1, y0, y1] = [x / z2, (x + 1) / z2, y / z2, (y + 1) / z2];
    const features: TileFeature[] = [];
    for (const i of this.grid.candidates(x0, y0, x1, y1)) {
      const px = this.xy[i * 2]!;
      const py = this.xy[i * 2 + 1]!;
      // NaN fails every comparison: a feature without a point is never kept
      if (!(px >= x0 && px <= x1 && py >= y0 && py <= y1) || this.minZooms[i]! > z) continue;
      features.push({
        type: 1,
        xy: [Math.round(this.extent * (px * z2 - x)), Math.round(this.extent * (py * z2 - y))],
        ringEnds: [2],
        tags: this.tags[i]!,
      });
    }
    return features.length ? features : null;
  }
}
