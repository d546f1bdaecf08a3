// Coordination load of a scheme: communes, inhabitants and area per coordinator FTE,
// and the distance of each member commune to the central town (the bearer's seat,
// else the most populous commune), as great-circle distances between label points.

export interface LoadCommune {
  code: string;
  name: string;
  population: number;
  areaKm2: number;
  share: number;
  lon: number;
  lat: number;
}

export interface SchemeLoad {
  communeCount: number;
  population: number;
  areaKm2: number;
  coordinationFte: number | null;
  perFte: { communes: number; population: number; areaKm2: number } | null;
  centralTown: { code: string; name: string; reason: 'porteur' | 'plus-peuplee' } | null;
  distanceKm: { median: number; max: number } | null;
  communes: (Omit<LoadCommune, 'lon' | 'lat'> & { distanceKm: number })[];
}

const EARTH_RADIUS_KM = 6371.0088;

export function haversineKm(a: { lon: number; lat: number }, b: { lon: number; lat: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  if (!s.length) return 0;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const round = (v: number, d = 1) => Math.round(v * 10 ** d) / 10 ** d;

export function schemeLoad(communes: LoadCommune[], coordinationFte: number | null, bearerSeat: string | null): SchemeLoad {
  const population = communes.reduce((s, c) => s + c.population * c.share, 0);
  const areaKm2 = communes.reduce((s, c) => s + c.areaKm2 * c.share, 0);
  const seat = bearerSeat ? communes.find((c) => c.code === bearerSeat) : undefined;
  const central = seat ?? [...communes].sort((a, b) => b.population - a.population || a.code.localeCompare(b.code))[0];
  const withDistance = communes
    .map(({ lon, lat, ...c }) => ({ ...c, distanceKm: central ? round(haversineKm(central, { lon, lat })) : 0 }))
    .sort((a, b) => b.distanceKm - a.distanceKm || a.code.localeCompare(b.code));
  const distances = withDistance.map((c) => c.distanceKm);
  const fte = coordinationFte && coordinationFte > 0 ? coordinationFte : null;
  return {
    communeCount: communes.length,
    population: Math.round(population),
    areaKm2: round(areaKm2, 2),
    coordinationFte: fte,
    perFte: fte
      ? { communes: round(communes.length / fte), population: Math.round(population / fte), areaKm2: round(areaKm2 / fte) }
      : null,
    centralTown: central ? { code: central.code, name: central.name, reason: seat ? 'porteur' : 'plus-peuplee' } : null,
    distanceKm: communes.length ? { median: round(median(distances)), max: round(Math.max(...distances)) } : null,
    communes: withDistance,
  };
}
