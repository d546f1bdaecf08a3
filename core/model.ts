// The plain rows every loader produces and the writer stores: one shape per table.

export interface CommuneRow {
  code: string;
  name: string;
  departement: string;
  region: string;
  arrondissement: string | null;
  epci: string | null;
  population: number;
  /** GeoJSON geometry, WGS84. */
  geometry: unknown;
}

export interface AliasRow {
  oldCode: string;
  code: string;
  kind: 'fusion' | 'commune-deleguee' | 'commune-associee' | 'arrondissement-municipal';
  name: string | null;
}

export interface PerimeterRow {
  layer: string;
  code: string;
  name: string;
  subtype: string | null;
  attrs: Record<string, unknown>;
  fictif?: boolean;
  /** Own population when the source gives it (else derived from member communes). */
  population?: number | null;
  /** Own geometry (QPV polygons, EPCI contours); else derived from member communes. */
  geometry?: unknown;
}

export interface MembershipRow {
  layer: string;
  code: string;
  commune: string;
  /** Part of the commune inside the perimeter; null = part of unknown size. */
  share: number | null;
}

export interface SchemeRow {
  code: string;
  type: string;
  name: string;
  bearerType: string | null;
  bearerName: string | null;
  perimeterRef: string | null;
  startDate: string | null;
  generation: number | null;
  coordinationFte: number | null;
  status: string | null;
  source: string | null;
  remark: string | null;
}

export interface LayerReport {
  rows: number;
  rekeyed?: { from: string; to: string }[];
  unknown?: string[];
  partial?: { code: string; share: number; listed: string[] }[];
  warnings?: string[];
}

export interface Dataset {
  communes: CommuneRow[];
  aliases: AliasRow[];
  perimeters: PerimeterRow[];
  memberships: MembershipRow[];
  schemes: SchemeRow[];
  report: Record<string, LayerReport>;
}
