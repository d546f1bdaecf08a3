// Shapes passed between the readers, the planner and the writer of a perimeter import.
import type { MultiPolygon, Polygon } from 'geojson';

export interface Ignored {
  /** Line of the CSV (header = 1) or number of the feature (first = 1). */
  line: number;
  reason: string;
}

export interface ListRow {
  line: number;
  code: string;
  name: string;
  commune: string;
}

/** A list of (perimeter, commune) rows read from a CSV. */
export interface ListInput {
  format: 'csv';
  rows: ListRow[];
  rowsRead: number;
  ignored: Ignored[];
  columns: { code: string | null; name: string | null; commune: string };
  encoding: 'utf-8' | 'latin1';
  separator: ';' | ',';
  warnings: string[];
}

export interface PolygonFeature {
  /** Number of the feature in the file (first = 1). */
  index: number;
  code: string;
  name: string;
  /** WGS84 (EPSG:4326), rings closed. */
  geometry: Polygon | MultiPolygon;
  attrs: Record<string, string | number | boolean>;
}

/** Polygons read from a GeoJSON or a zipped shapefile, already in WGS84. */
export interface PolygonInput {
  format: 'geojson' | 'shapefile';
  features: PolygonFeature[];
  rowsRead: number;
  ignored: Ignored[];
  fields: { code: string | null; name: string | null };
  /** Source projection as detected, e.g. "Lambert-93 (EPSG:2154)". */
  projection: string;
  encoding?: string;
  warnings: string[];
}

export type PerimeterInput = ListInput | PolygonInput;

/** Facts about a current commune the planner checks members against. */
export interface CommuneInfo {
  name: string;
  region: string;
  departement: string;
}
