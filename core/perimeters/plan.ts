// Pure planning of a perimeter import: from parsed rows or polygons and the current COG,
// the perimeter and membership rows to write and the report a dry run shows. Commune
// lists are re-keyed here (rekeyList); polygon memberships are computed by PostGIS at
// write and summarised with the same function (summariseMemberships).
import { FORMULA_START } from '../csv/write.ts';
import type { MultiPolygon, Polygon } from 'geojson';
import { rekeyList, type CogIndex } from '../cog.ts';
import { PerimeterImportError } from './errors.ts';
import { mergePolygonal } from './geometry.ts';
import type { CommuneInfo, Ignored, ListInput, PolygonInput } from './types.ts';

export interface PlanContext {
  cog: CogIndex;
  communes: Map<string, CommuneInfo>;
  /** Declared région (INSEE code): member communes elsewhere are reported. */
  region?: string | undefined;
}

export interface PlannedPerimeter {
  code: string;
  name: string;
  attrs: Record<string, unknown>;
  /** Own polygon (WGS84) for polygon files; lists derive theirs from the communes. */
  geometry?: Polygon | MultiPolygon;
}

export interface PlannedMembership {
  code: string;
  commune: string;
  share: number;
}

export interface MembershipSummary {
  communesMatched: number;
  memberships: number;
  /** Communes in more than one perimeter of the layer. */
  sharedCommunes: { commune: string; perimeters: string[] }[];
  outsideRegion: { commune: string; name: string; region: string; perimeters: string[] }[];
}

export interface PlanReport extends MembershipSummary {
  rowsRead: number;
  rowsIgnored: Ignored[];
  perimeters: number;
  rekeyed: { from: string; to: string }[];
  unknown: { code: string; perimeters: string[] }[];
  partial: { perimeter: string; commune: string; share: number; listed: string[] }[];
  duplicates: { perimeter: string; commune: string }[];
  /** Perimeters dropped because none of their communes is known (lists) or none is covered (polygons). */
  emptyPerimeters: string[];
  invalidGeometries: { perimeter: string; feature: number; reason: string }[];
  warnings: string[];
}

export interface Plan {
  kind: 'list' | 'polygons';
  perimeters: PlannedPerimeter[];
  /** Lists only: polygon memberships come from PostGIS. */
  memberships: PlannedMembership[];
  /** Polygons only: each feature's own geometry, checked for validity one by one. */
  features: { index: number; code: string; geometry: Polygon | MultiPolygon }[];
  report: PlanReport;
}

export function summariseMemberships(rows: readonly PlannedMembership[], ctx: Pick<PlanContext, 'communes' | 'region'>): MembershipSummary {
  const byCommune = new Map<string, string[]>();
  for (const m of rows) {
    const list = byCommune.get(m.commune) ?? [];
    list.push(m.code);
    byCommune.set(m.commune, list);
  }
  const sorted = [...byCommune.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const outsideRegion: MembershipSummary['outsideRegion'] = [];
  if (ctx.region) {
    for (const [commune, perimeters] of sorted) {
      const info = ctx.communes.get(commune);
      if (info && info.region !== ctx.region) outsideRegion.push({ commune, name: info.name, region: info.region, perimeters });
    }
  }
  return {
    communesMatched: byCommune.size,
    memberships: rows.length,
    sharedCommunes: sorted.filter(([, p]) => p.length > 1).map(([commune, perimeters]) => ({ commune, perimeters })),
    outsideRegion,
  };
}

export function checkRegion(ctx: Pick<PlanContext, 'communes' | 'region'>) {
  if (!ctx.region) return;
  for (const c of ctx.communes.values()) if (c.region === ctx.region) return;
  throw new PerimeterImportError(`Région inconnue : « ${ctx.region} » (code INSEE de région attendu, par exemple 76 pour l'Occitanie).`);
}

export const emptyReport = (rowsRead: number, rowsIgnored: Ignored[], warnings: string[]): PlanReport => ({
  rowsRead,
  rowsIgnored,
  perimeters: 0,
  communesMatched: 0,
  memberships: 0,
  rekeyed: [],
  unknown: [],
  partial: [],
  duplicates: [],
  sharedCommunes: [],
  outsideRegion: [],
  emptyPerimeters: [],
  invalidGeometries: [],
  warnings: [...warnings],
});

function nameWarnings(names: Map<string, Set<string>>): string[] {
  const warnings: string[] = [];
  const formulas: string[] = [];
  for (const [code, set] of names) {
    const list = [...set];
    if (list.length > 1)
      warnings.push(`Périmètre ${code} : plusieurs noms (${list.map((n) => `« ${n} »`).join(', ')}) ; le premier est retenu.`);
    if (FORMULA_START.test(list[0]!)) formulas.push(code);
  }
  if (formulas.length) {
    warnings.push(
      `Noms commençant par = + - ou @ (${formulas.join(', ')}) : enregistrés comme du texte, neutralisés dans les exports CSV.`,
    );
  }
  return warnings;
}

/** A list of (perimeter, commune) rows: one rekeyList per perimeter, whose communes of any COG vintage become current ones. */
export function planList(input: ListInput, ctx: PlanContext): Plan {
  checkRegion(ctx);
  const report = emptyReport(input.rowsRead, input.ignored, input.warnings);
  const groups = new Map<string, { names: Set<string>; communes: string[]; lines: number[] }>();
  for (const row of input.rows) {
    let g = groups.get(row.code);
    if (!g) groups.set(row.code, (g = { names: new Set(), communes: [], lines: [] }));
    if (row.name) g.names.add(row.name);
    g.communes.push(row.commune);
    g.lines.push(row.line);
  }
  const perimeters: PlannedPerimeter[] = [];
  const memberships: PlannedMembership[] = [];
  const rekeyed = new Map<string, string>();
  const unknown = new Map<string, string[]>();
  for (const [code, g] of groups) {
    const r = rekeyList(ctx.cog, g.communes);
    for (const x of r.rekeyed) rekeyed.set(x.from, x.to);
    for (const u of r.unknown) unknown.set(u, [...(unknown.get(u) ?? []), code]);
    for (const d of r.duplicates) report.duplicates.push({ perimeter: code, commune: d });
    for (const p of r.partial) report.partial.push({ perimeter: code, commune: p.code, share: p.share, listed: p.listed });
    if (r.members.length === 0) {
      report.emptyPerimeters.push(code);
      continue;
    }
    perimeters.push({ code, name: [...g.names][0] ?? code, attrs: {} });
    for (const m of r.members) memberships.push({ code, commune: m.code, share: m.share });
  }
  report.warnings.push(...nameWarnings(new Map([...groups].map(([code, g]) => [code, g.names.size ? g.names : new Set([code])]))));
  report.rekeyed = [...rekeyed].map(([from, to]) => ({ from, to })).sort((a, b) => (a.from < b.from ? -1 : 1));
  report.unknown = [...unknown].map(([code, perimeters]) => ({ code, perimeters })).sort((a, b) => (a.code < b.code ? -1 : 1));
  report.perimeters = perimeters.length;
  Object.assign(report, summariseMemberships(memberships, ctx));
  return { kind: 'list', perimeters, memberships, features: [], report };
}

/** Polygons: features sharing a code become one perimeter (their parts unioned at write). */
export function planPolygons(input: PolygonInput, ctx: Pick<PlanContext, 'communes' | 'region'>): Plan {
  checkRegion(ctx);
  const report = emptyReport(input.rowsRead, input.ignored, input.warnings);
  const groups = new Map<string, PolygonInput['features']>();
  for (const f of input.features) groups.set(f.code, [...(groups.get(f.code) ?? []), f]);
  const perimeters: PlannedPerimeter[] = [];
  const merged: string[] = [];
  for (const [code, list] of groups) {
    if (list.length > 1) merged.push(`${code} (${list.length} objets)`);
    perimeters.push({
      code,
      name: list[0]!.name,
      attrs: list[0]!.attrs,
      geometry: mergePolygonal(list.map((f) => f.geometry)),
    });
  }
  if (merged.length) report.warnings.push(`Objets de même code regroupés en un périmètre : ${merged.join(', ')}.`);
  report.warnings.push(...nameWarnings(new Map([...groups].map(([code, list]) => [code, new Set(list.map((f) => f.name))]))));
  report.perimeters = perimeters.length;
  return {
    kind: 'polygons',
    perimeters,
    memberships: [],
    features: input.features.map((f) => ({ index: f.index, code: f.code, geometry: f.geometry })),
    report,
  };
}
