// The panorama of a zone computed from plain rows (units with their communes, areas,
// QPV, coordinators): counts by type and status, coverage, scale of perimeters,
// population bands, coordination, QPV without ASV nor CLS, growth by year. No database
// here, so every rule is unit-tested on hand-made data; the SQL is in queries/panorama.ts.
// Length: one function per panorama block over the same rows.
import { INVENTORY_TYPES } from '../../contract/inventory.ts';
import { POPULATION_BANDS, SCALES, type PanoramaBody } from '../../contract/panorama.ts';
import { frenchDate, type ZoneInventory } from '../registry/inventory-status.ts';

export type PanoramaType = (typeof INVENTORY_TYPES)[number];
export type Scale = (typeof SCALES)[number];
export type Band = (typeof POPULATION_BANDS)[number]['id'];

export interface UnitCommune {
  code: string;
  /** Part of the commune in the unit (1 = whole). */
  share: number;
  population: number;
  /** Sub-area of the zone (département of a région, région of France) holding it; null outside the zone. */
  area: string | null;
  arrondissement: string | null;
  /** Codes of the EPCI, PETR and PNR the commune belongs to. */
  epci: string[];
  petr: string[];
  pnr: string[];
}

export interface PanoramaUnit {
  code: string;
  name: string;
  type: PanoramaType;
  /** en_elaboration, en_cours, termine; null when the source says nothing (CPTS). */
  status: string | null;
  fictif: boolean;
  /** AAAA, AAAA-MM or AAAA-MM-JJ. */
  signatureDate: string | null;
  fte: number | null;
  /** Every commune of the unit, inside the zone or not. */
  communes: UnitCommune[];
}

export interface AreaTotal {
  code: string;
  name: string;
  population: number;
  communes: number;
}

export interface QpvRow {
  code: string;
  name: string;
  /** Communes of the zone the QPV lies in. */
  communes: string[];
}

export interface CoordinatorRow {
  scheme: string;
  key: string;
  name: string;
}

export interface PanoramaInput {
  zone: AreaTotal;
  areas: AreaTotal[];
  units: PanoramaUnit[];
  /** Member count of every EPCI/PETR/PNR/arrondissement met, keyed "epci:200023737". */
  unitSizes: ReadonlyMap<string, number>;
  qpv: QpvRow[];
  coordinators: CoordinatorRow[];
  includeFictif: boolean;
  /** France: schemes with no known perimeter still count (they are somewhere in France). */
  national: boolean;
}

const TYPES: readonly PanoramaType[] = INVENTORY_TYPES;
const STATUS_KEYS = ['en_elaboration', 'en_cours', 'termine', 'non_renseigne'] as const;

export const RULES = {
  coverage:
    'Une commune est couverte par un type si au moins un de ses périmètres la contient, en tout ou partie ; la population couverte compte la part de la commune incluse (la plus grande parmi les périmètres du type).',
  count: 'Une démarche est comptée dans une zone dès qu’une de ses communes y est.',
  scale:
    'Échelle calculée depuis le périmètre : quartier (une partie d’une seule commune), commune, puis la plus petite unité qui contient toutes ses communes — EPCI, PETR ou Pays, PNR, arrondissement — sinon plus large ; « exact » quand le périmètre est cette unité entière.',
  bands: 'Population de tout le périmètre de la démarche (part des communes partagées comprise), même hors de la zone.',
  coordination:
    'ETP de coordination déclarés dans le registre ; habitants et communes par ETP calculés pour chaque démarche dont l’ETP est connu et non nul.',
  qpv: 'Un QPV 2024 (sans contour : seulement ses communes) est couvert si un ASV ou un CLS couvre entièrement une commune où il se trouve ; une démarche qui ne couvre qu’une partie de la commune ne suffit pas, la part du QPV dans la commune étant inconnue.',
  growth:
    'Année de signature déclarée dans le registre ; la population est celle du périmètre actuel (l’historique des périmètres n’est pas rejoué).',
} as const;

/** Population of a whole unit, shares applied. */
export function unitPopulation(u: PanoramaUnit): number {
  return Math.round(u.communes.reduce((s, c) => s + c.population * c.share, 0));
}

export function populationBand(population: number): Band {
  return POPULATION_BANDS.find((b) => population >= b.min && (b.max === null || population < b.max))!.id;
}

/** Every value present in all the lists. */
function common(lists: string[][]): string[] {
  const [first, ...rest] = lists;
  return (first ?? []).filter((v) => rest.every((l) => l.includes(v)));
}

/** The scale of a unit's perimeter and whether it is exactly that unit. */
export function perimeterScale(u: PanoramaUnit, sizes: ReadonlyMap<string, number>): { scale: Scale; exact: boolean } {
  const cs = u.communes;
  if (!cs.length) return { scale: 'sans_perimetre', exact: false };
  if (cs.length === 1) return cs[0]!.share < 1 ? { scale: 'quartier', exact: false } : { scale: 'commune', exact: true };
  const levels: [Scale, string[][]][] = [
    ['epci', cs.map((c) => c.epci)],
    ['petr', cs.map((c) => c.petr)],
    ['pnr', cs.map((c) => c.pnr)],
    ['arrondissement', cs.map((c) => (c.arrondissement ? [c.arrondissement] : []))],
  ];
  const whole = cs.every((c) => c.share >= 1);
  for (const [scale, lists] of levels) {
    const containers = common(lists);
    if (containers.length) return { scale, exact: whole && containers.some((k) => sizes.get(`${scale}:${k}`) === cs.length) };
  }
  return { scale: 'plus_large', exact: false };
}

/** Median and spread (quartiles, extremes) of a list; nulls when empty. */
export function spread(values: number[]) {
  const v = [...values].sort((a, b) => a - b);
  const at = (p: number) => {
    if (!v.length) return null;
    const i = (v.length - 1) * p;
    const lo = Math.floor(i);
    return Math.round((v[lo]! + (v[Math.ceil(i)]! - v[lo]!) * (i - lo)) * 10) / 10;
  };
  return { n: v.length, min: at(0), q1: at(0.25), median: at(0.5), q3: at(0.75), max: at(1) };
}

/** "12 CLS connus" — or without "connus" where the inventory is complete, dated. */
export function countWording(type: string, count: number, inv: Pick<ZoneInventory, 'status' | 'completeAt'>): string {
  if (inv.status === 'complet') return `${count} ${type} (inventaire complet au ${frenchDate(inv.completeAt!)})`;
  const known = `connu${type === 'CPTS' ? 'e' : ''}${count > 1 ? 's' : ''}`;
  return `${count} ${type} ${known} (${inv.status === 'partiel' ? 'registre partiel' : 'exhaustivité du registre inconnue'})`;
}

function coverage(units: PanoramaUnit[], inArea: (c: UnitCommune) => boolean, total: { population: number; communes: number }) {
  const best = new Map<string, { share: number; population: number }>();
  for (const u of units)
    for (const c of u.communes) {
      if (!inArea(c)) continue;
      const prev = best.get(c.code);
      if (!prev || prev.share < c.share) best.set(c.code, { share: Math.min(1, c.share), population: c.population });
    }
  const population = Math.round([...best.values()].reduce((s, c) => s + c.population * c.share, 0));
  return {
    coveredCommunes: best.size,
    coveredPopulation: population,
    communeShare: total.communes ? best.size / total.communes : 0,
    populationShare: total.population ? population / total.population : 0,
  };
}

const meets = (u: PanoramaUnit, area: string | null, national: boolean) =>
  (national && area === null && !u.communes.length) || u.communes.some((c) => c.area !== null && (area === null || c.area === area));

/** Everything of the panorama that depends on the data only (not on the declared inventory). */
export function computePanorama(input: PanoramaInput): Omit<PanoramaBody, 'within' | 'areaLevel' | 'inventory' | 'source' | 'dataVintage'> {
  const inZone = input.units.filter((u) => meets(u, null, input.national));
  const fictitious = inZone.filter((u) => u.fictif);
  const units = input.includeFictif ? inZone : inZone.filter((u) => !u.fictif);
  const ofType = (t: string) => units.filter((u) => u.type === t);
  const detailed = units.map((u) => {
    const population = unitPopulation(u);
    const { scale, exact } = perimeterScale(u, input.unitSizes);
    return {
      code: u.code,
      name: u.name,
      type: u.type,
      status: u.status,
      fictif: u.fictif,
      population,
      communeCount: u.communes.length,
      band: u.communes.length ? populationBand(population) : null,
      scale,
      exactScale: exact,
      year: u.signatureDate ? Number(u.signatureDate.slice(0, 4)) : null,
      fte: u.fte,
      areas: [...new Set(u.communes.map((c) => c.area).filter((a): a is string => a !== null))].sort(),
    };
  });
  const detailOf = (t: string) => detailed.filter((d) => d.type === t);

  const types = TYPES.map((type) => {
    const list = ofType(type);
    const byStatus = Object.fromEntries(STATUS_KEYS.map((k) => [k, 0])) as Record<(typeof STATUS_KEYS)[number], number>;
    for (const u of list)
      byStatus[(STATUS_KEYS as readonly string[]).includes(u.status ?? '') ? (u.status as 'en_cours') : 'non_renseigne']++;
    return {
      type,
      count: list.length,
      fictitious: list.filter((u) => u.fictif).length,
      byStatus,
      ...coverage(list, (c) => c.area !== null, input.zone),
    };
  });

  const areas = input.areas.map((a) => ({
    ...a,
    types: TYPES.map((type) => {
      const list = ofType(type).filter((u) => meets(u, a.code, input.national));
      return { type, count: list.length, ...coverage(list, (c) => c.area === a.code, a) };
    }),
  }));

  const scales = TYPES.map((type) => {
    const counts = Object.fromEntries(SCALES.map((s) => [s, 0])) as Record<Scale, number>;
    const list = detailOf(type);
    for (const d of list) counts[d.scale]++;
    return { type, counts, exact: list.filter((d) => d.exactScale).length };
  });

  const bands = TYPES.map((type) => {
    const counts = Object.fromEntries(POPULATION_BANDS.map((b) => [b.id, 0])) as Record<Band, number>;
    let unknown = 0;
    for (const d of detailOf(type)) {
      if (d.band) counts[d.band]++;
      else unknown++;
    }
    return { type, counts, unknown };
  });

  const withFte = detailed.filter((d) => d.fte !== null);
  const perFte = withFte.filter((d) => d.fte! > 0 && d.communeCount > 0);
  const codes = new Set(units.map((u) => u.code));
  const byKey = new Map<string, { key: string; name: string; schemes: string[] }>();
  for (const c of input.coordinators) {
    if (!codes.has(c.scheme)) continue;
    const e = byKey.get(c.key) ?? { key: c.key, name: c.name, schemes: [] };
    e.schemes.push(c.scheme);
    byKey.set(c.key, e);
  }
  const coordination = {
    fteTotal: Math.round(withFte.reduce((s, d) => s + d.fte!, 0) * 100) / 100,
    schemesWithFte: withFte.length,
    schemesWithoutFte: detailed.length - withFte.length,
    inhabitantsPerFte: spread(perFte.map((d) => d.population / d.fte!)),
    communesPerFte: spread(perFte.map((d) => d.communeCount / d.fte!)),
    coordinatorsFilledFor: new Set([...byKey.values()].flatMap((e) => e.schemes)).size,
    coordinators: byKey.size,
    multiSchemeCoordinators: [...byKey.values()].filter((e) => e.schemes.length > 1).map((e) => ({ ...e, schemes: e.schemes.sort() })),
  };

  // QPV: communes wholly covered by an ASV or a CLS, and those only partly covered
  const asvCls = units.filter((u) => u.type === 'ASV' || u.type === 'CLS');
  const share = new Map<string, number>();
  for (const u of asvCls) for (const c of u.communes) share.set(c.code, Math.max(share.get(c.code) ?? 0, c.share));
  const uncoveredQpv = input.qpv.filter((q) => !q.communes.some((c) => (share.get(c) ?? 0) >= 1));
  const qpvCommunes = [...new Set(input.qpv.flatMap((q) => q.communes))].sort();
  const communesNone = qpvCommunes.filter((c) => !share.has(c));
  const communesPartial = qpvCommunes.filter((c) => share.has(c) && share.get(c)! < 1);
  const qpv = {
    total: input.qpv.length,
    uncovered: uncoveredQpv.length,
    uncoveredShare: input.qpv.length ? uncoveredQpv.length / input.qpv.length : 0,
    uncoveredList: uncoveredQpv.map((q) => ({ code: q.code, name: q.name, communes: q.communes })),
    communesWithQpv: qpvCommunes.length,
    communesNeither: communesNone.length,
    communesPartial: communesPartial.length,
    communesNotWhollyCovered: communesNone.length + communesPartial.length,
    communesShare: qpvCommunes.length ? (communesNone.length + communesPartial.length) / qpvCommunes.length : 0,
    communesNotWhollyCoveredList: [...communesNone, ...communesPartial].sort(),
  };

  const years = new Map<number, typeof detailed>();
  for (const d of detailed) if (d.year !== null) years.set(d.year, [...(years.get(d.year) ?? []), d]);
  const growth = {
    undated: detailed.filter((d) => d.year === null).length,
    years: [...years.entries()]
      .sort(([a], [b]) => a - b)
      .map(([year, list]) => ({
        year,
        count: list.length,
        byType: Object.fromEntries(TYPES.map((t) => [t, list.filter((d) => d.type === t).length])) as Record<PanoramaType, number>,
        medianPopulation: spread(list.filter((d) => d.communeCount > 0).map((d) => d.population)).median,
      })),
  };

  return {
    population: input.zone.population,
    communes: input.zone.communes,
    fiction: {
      included: input.includeFictif,
      count: fictitious.length,
      wording: fictitious.length
        ? input.includeFictif
          ? `${fictitious.length} périmètre${fictitious.length > 1 ? 's' : ''} fictif${fictitious.length > 1 ? 's' : ''} (CPTS d’exemple hors Provence-Alpes-Côte d’Azur) ${fictitious.length > 1 ? 'sont comptés' : 'est compté'} : ces chiffres ne décrivent pas la réalité.`
          : `${fictitious.length} périmètre${fictitious.length > 1 ? 's' : ''} fictif${fictitious.length > 1 ? 's' : ''} (CPTS d’exemple hors Provence-Alpes-Côte d’Azur) ${fictitious.length > 1 ? 'sont exclus' : 'est exclu'} des chiffres.`
        : null,
    },
    rules: RULES,
    types,
    areas,
    scales,
    bands,
    coordination,
    qpv,
    growth,
    units: detailed,
  };
}
