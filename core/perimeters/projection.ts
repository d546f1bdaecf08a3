// Coordinate systems of imported polygons: recognised from an EPSG code (GeoJSON "crs")
// or from the WKT of a shapefile's .prj, then reprojected to WGS84 (EPSG:4326) with
// proj4, in JavaScript, so both database backends receive the same coordinates.
// Lambert-93 and WGS84 are recognised by name; the other French systems by their EPSG
// code; any other WKT proj4 can read is accepted with a warning; anything else is refused.
import type { MultiPolygon, Polygon, Position } from 'geojson';
import proj4 from 'proj4';
import { PerimeterImportError } from './errors.ts';

export interface Crs {
  label: string;
  /** proj4 definition (PROJ string or WKT); null = already WGS84 longitude/latitude. */
  def: string | null;
  /** Set when recognised only through proj4, not from our list. */
  warning?: string;
}

const RGF93 = '+ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs';
const utm = (zone: number, south: boolean, datum: string) => `+proj=utm +zone=${zone}${south ? ' +south' : ''} ${datum} +units=m +no_defs`;
const WGS84_DATUM = '+datum=WGS84';
const GRS80 = '+ellps=GRS80 +towgs84=0,0,0,0,0,0,0';

/** The systems French files come in (metropolitan and overseas). */
export const KNOWN_CRS: Record<number, { label: string; def: string | null }> = {
  4326: { label: 'WGS84 (EPSG:4326)', def: null },
  4171: { label: 'RGF93 géographique (EPSG:4171)', def: null },
  4258: { label: 'ETRS89 géographique (EPSG:4258)', def: null },
  2154: {
    label: 'Lambert-93 (EPSG:2154)',
    def: `+proj=lcc +lat_0=46.5 +lon_0=3 +lat_1=49 +lat_2=44 +x_0=700000 +y_0=6600000 ${RGF93}`,
  },
  27572: {
    label: 'Lambert II étendu (EPSG:27572)',
    def: '+proj=lcc +lat_1=46.8 +lat_0=46.8 +lon_0=0 +k_0=0.99987742 +x_0=600000 +y_0=2200000 +a=6378249.2 +b=6356515 +towgs84=-168,-60,320,0,0,0,0 +pm=paris +units=m +no_defs',
  },
  3857: {
    label: 'Web Mercator (EPSG:3857)',
    def: '+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +no_defs',
  },
  32620: { label: 'WGS84 / UTM 20N (EPSG:32620)', def: utm(20, false, WGS84_DATUM) },
  5490: { label: 'RGAF09 / UTM 20N (EPSG:5490)', def: utm(20, false, GRS80) },
  2972: { label: 'RGFG95 / UTM 22N (EPSG:2972)', def: utm(22, false, GRS80) },
  32622: { label: 'WGS84 / UTM 22N (EPSG:32622)', def: utm(22, false, WGS84_DATUM) },
  2975: { label: 'RGR92 / UTM 40S (EPSG:2975)', def: utm(40, true, GRS80) },
  32740: { label: 'WGS84 / UTM 40S (EPSG:32740)', def: utm(40, true, WGS84_DATUM) },
  4471: { label: 'RGM04 / UTM 38S (EPSG:4471)', def: utm(38, true, GRS80) },
  32738: { label: 'WGS84 / UTM 38S (EPSG:32738)', def: utm(38, true, WGS84_DATUM) },
};
// Conic conformal zones CC42…CC50 (EPSG:3942…3950).
for (let zone = 42; zone <= 50; zone++) {
  KNOWN_CRS[3900 + zone] = {
    label: `RGF93 / CC${zone} (EPSG:${3900 + zone})`,
    def: `+proj=lcc +lat_0=${zone} +lon_0=3 +lat_1=${zone - 0.75} +lat_2=${zone + 0.75} +x_0=1700000 +y_0=${(zone - 41) * 1_000_000 + 200_000} ${RGF93}`,
  };
}

export function crsFromEpsg(code: number, source: string): Crs {
  const known = KNOWN_CRS[code];
  if (!known) {
    throw new PerimeterImportError(
      `Projection inconnue : EPSG:${code} (${source}). Systèmes reconnus : ${Object.keys(KNOWN_CRS)
        .map((c) => `EPSG:${c}`)
        .join(', ')}. ` + 'Reprojetez le fichier en WGS84 (EPSG:4326) ou en Lambert-93 (EPSG:2154).',
    );
  }
  return { ...known };
}

/** GeoJSON 2008 "crs" member: "EPSG:2154", "urn:ogc:def:crs:EPSG::2154", "urn:ogc:def:crs:OGC:1.3:CRS84". */
export function crsFromGeojson(crs: unknown): Crs {
  if (crs === undefined || crs === null) return { ...KNOWN_CRS[4326]! };
  const name = (crs as { properties?: { name?: unknown } }).properties?.name;
  if (typeof name !== 'string') {
    throw new PerimeterImportError('Système de coordonnées illisible (membre « crs » sans « properties.name »).');
  }
  if (/CRS:?84$/i.test(name)) return { ...KNOWN_CRS[4326]! };
  const m = /EPSG:{1,2}(?:[\d.]*:)?(\d+)$/i.exec(name) ?? /^(\d{4,5})$/.exec(name);
  if (!m) throw new PerimeterImportError(`Projection inconnue : « ${name} » (membre « crs » du GeoJSON).`);
  return crsFromEpsg(Number(m[1]), `membre « crs » du GeoJSON`);
}

const num = (wkt: string, param: string): number | null => {
  const m = new RegExp(`PARAMETER\\["${param}",\\s*(-?[\\d.eE+-]+)\\]`, 'i').exec(wkt);
  return m ? Number(m[1]) : null;
};
const close = (a: number | null, b: number) => a !== null && Math.abs(a - b) < 1e-6;

/** Projection of a shapefile from its .prj (ESRI or OGC WKT). */
export function crsFromPrj(wkt: string): Crs {
  const text = wkt.replace(/^\uFEFF/, '').trim();
  if (!text) throw new PerimeterImportError('Le fichier .prj est vide : projection inconnue.');
  const head = /^(PROJCS|GEOGCS|PROJCRS|GEOGCRS|GEODCRS)\["([^"]*)"/i.exec(text);
  if (!head) throw new PerimeterImportError(`Projection inconnue : le .prj n'est pas un WKT lisible (« ${text.slice(0, 60)} »).`);
  const kind = head[1]!.toUpperCase();
  const name = head[2]!;
  // The outermost AUTHORITY (OGC WKT 1) or ID (WKT 2) is the last one in the text.
  const authority = [...text.matchAll(/(?:AUTHORITY|ID)\["EPSG",\s*"?(\d+)"?\]/gi)].pop();
  if (authority && KNOWN_CRS[Number(authority[1])]) return crsFromEpsg(Number(authority[1]), 'fichier .prj');
  if (kind.startsWith('GEOG') || kind === 'GEODCRS') {
    if (/WGS[ _]?(19)?84|RGF[ _]?(19)?93|ETRS[ _]?(19)?89|GRS[ _]?(19)?80/i.test(text)) return { ...KNOWN_CRS[4326]! };
  }
  const lcc = /Lambert_Conformal_Conic/i.test(text);
  if (
    /Lambert[ _-]?93/i.test(name) ||
    (lcc &&
      close(num(text, 'Standard_Parallel_1'), 49) &&
      close(num(text, 'Standard_Parallel_2'), 44) &&
      close(num(text, 'False_Easting'), 700000) &&
      close(num(text, 'False_Northing'), 6600000))
  ) {
    return { ...KNOWN_CRS[2154]! };
  }
  const cc = /CC(4[2-9]|50)\b/i.exec(name);
  if (cc && lcc) return { ...KNOWN_CRS[3900 + Number(cc[1])]! };
  try {
    proj4(text, 'EPSG:4326').forward([0, 0]);
  } catch {
    throw new PerimeterImportError(
      `Projection inconnue : « ${name} » (fichier .prj). Reprojetez la couche en Lambert-93 (EPSG:2154) ou en WGS84 (EPSG:4326).`,
    );
  }
  return {
    label: `${name} (d'après le .prj)`,
    def: text,
    warning: `Projection « ${name} » reconnue par proj4 d'après le .prj : vérifiez la position des périmètres.`,
  };
}

/** A function from the source system to WGS84 longitude/latitude. */
export function toWgs84(crs: Crs): (p: Position) => Position {
  if (!crs.def) return (p) => [p[0]!, p[1]!];
  const converter = proj4(crs.def, 'EPSG:4326');
  return (p) => converter.forward([p[0]!, p[1]!]);
}

export function mapPositions<G extends Polygon | MultiPolygon>(g: G, f: (p: Position) => Position): G {
  if (g.type === 'Polygon') return { ...g, coordinates: g.coordinates.map((ring) => ring.map(f)) };
  return { ...g, coordinates: g.coordinates.map((poly) => poly.map((ring) => ring.map(f))) };
}

export function reproject<G extends Polygon | MultiPolygon>(g: G, crs: Crs): G {
  return crs.def ? mapPositions(g, toWgs84(crs)) : g;
}

/** Bounding box [minX, minY, maxX, maxY] of some geometries. */
export function bbox(geoms: (Polygon | MultiPolygon)[]): [number, number, number, number] | null {
  let b: [number, number, number, number] | null = null;
  for (const g of geoms) {
    mapPositions(g, (p) => {
      const [x, y] = [p[0]!, p[1]!];
      if (!b) b = [x, y, x, y];
      else b = [Math.min(b[0], x), Math.min(b[1], y), Math.max(b[2], x), Math.max(b[3], y)];
      return p;
    });
  }
  return b;
}

/** Refuses coordinates that cannot be longitude/latitude: a projection declared wrongly (or not at all). */
export function checkWgs84Bounds(geoms: (Polygon | MultiPolygon)[], projection: string) {
  const b = bbox(geoms);
  if (!b) return;
  const ok = b.every((v) => Number.isFinite(v)) && b[0] >= -180 && b[2] <= 180 && b[1] >= -90 && b[3] <= 90;
  if (!ok) {
    const hint =
      b[0] > 50_000 && b[2] < 1_300_000 && b[1] > 6_000_000 && b[3] < 7_200_000
        ? ' Les coordonnées ressemblent à du Lambert-93 (EPSG:2154) : déclarez-le (membre « crs » ou fichier .prj).'
        : '';
    throw new PerimeterImportError(
      `Coordonnées hors des bornes longitude/latitude après lecture en ${projection} ` +
        `(x de ${fmt(b[0])} à ${fmt(b[2])}, y de ${fmt(b[1])} à ${fmt(b[3])}) : la projection déclarée ne correspond pas aux coordonnées.${hint}`,
    );
  }
}

const fmt = (v: number) => (Number.isFinite(v) ? String(Math.round(v * 1000) / 1000) : String(v));
