// Deep tiles cut straight from the few shapes they cross. Drilling geojson-vt's index from
// its z7 leaf down to z12 clips every shape of the leaf at each level (100 ms and more per
// cold tile, and the garbage that goes with it); here a scan of the shapes' bounding boxes
// picks the ones that touch the tile and its margin, and geojson-vt cuts only them with
// the same options as the index (same simplification per zoom, same clipping margin).
import type { Geometry, Feature, GeoJsonProperties, Position } from 'geojson';
import { geoJSONToTile, type GeoJSONToTileOptions, type GeoJSONVT } from '@maplibre/geojson-vt';

/** One tile as geojson-vt cuts it (before encoding). */
export type VtTile = NonNullable<ReturnType<GeoJSONVT['getTile']>>;

/** Longitude and latitude to the unit square of Web Mercator, as geojson-vt projects them. */
const projectX = (lon: number) => lon / 360 + 0.5;
function projectY(lat: number): number {
  const sin = Math.sin((lat * Math.PI) / 180);
  const y = 0.5 - (0.25 * Math.log((1 + sin) / (1 - sin))) / Math.PI;
  return y < 0 ? 0 : y > 1 ? 1 : y;
}

function extendBox(box: Float64Array, at: number, coords: unknown): void {
  if (typeof (coords as Position)[0] === 'number') {
    const x = projectX((coords as Position)[0]!);
    const y = projectY((coords as Position)[1]!);
    if (x < box[at]!) box[at] = x;
    if (y < box[at + 1]!) box[at + 1] = y;
    if (x > box[at + 2]!) box[at + 2] = x;
    if (y > box[at + 3]!) box[at + 3] = y;
    return;
  }
  for (const c of coords as unknown[]) extendBox(box, at, c);
}

export class DeepCutter {
  /** Per shape: min x, min y, max x, max y in the unit square. */
  private readonly boxes: Float64Array;

  /**
   * `geometries` are the GeoJSON texts (kept as text: far lighter than parsed arrays, and
   * parsing the few a tile needs is quick); `parsed` the same geometries, read once here
   * for their bounding boxes.
   */
  constructor(
    private readonly geometries: string[],
    private readonly properties: GeoJsonProperties[],
    parsed: Geometry[],
    private readonly options: GeoJSONToTileOptions & { extent: number; buffer: number },
  ) {
    this.boxes = new Float64Array(parsed.length * 4);
    parsed.forEach((g, i) => {
      this.boxes.set([Infinity, Infinity, -Infinity, -Infinity], i * 4);
      if (g.type !== 'GeometryCollection') extendBox(this.boxes, i * 4, g.coordinates);
    });
  }

  tile(z: number, x: number, y: number): VtTile | null {
    const n = 2 ** z;
    const margin = this.options.buffer / this.options.extent;
    const [x0, x1, y0, y1] = [(x - margin) / n, (x + 1 + margin) / n, (y - margin) / n, (y + 1 + margin) / n];
    const b = this.boxes;
    const features: Feature[] = [];
    for (let i = 0; i < this.geometries.length; i++) {
      const at = i * 4;
      if (b[at]! > x1 || b[at + 2]! < x0 || b[at + 1]! > y1 || b[at + 3]! < y0) continue;
      features.push({ type: 'Feature', properties: this.properties[i]!, geometry: JSON.parse(this.geometries[i]!) as Geometry });
    }
    if (features.length === 0) return null;
    const tile = geoJSONToTile({ type: 'FeatureCollection', features }, z, x, y, { ...this.options, clip: true });
    return tile.features.length ? tile : null;
  }
}
