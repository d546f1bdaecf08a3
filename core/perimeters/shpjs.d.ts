// Types for the two parsers of shpjs we use (the package ships none).
declare module 'shpjs' {
  import type { Geometry } from 'geojson';
  /** Geometries of a .shp, in file order (null for null shapes); reprojected only when prj is given. */
  export function parseShp(shp: DataView | ArrayBuffer | Uint8Array, prj?: string | false): (Geometry | null)[];
  /** Records of a .dbf; `encoding` is a TextDecoder label (else UTF-8). */
  export function parseDbf(dbf: DataView | ArrayBuffer | Uint8Array, encoding?: string): Record<string, unknown>[];
}
