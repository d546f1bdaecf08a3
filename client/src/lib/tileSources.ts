// Where the map's vector tiles come from: the live server (/tiles/…, the default, read
// through each source's TileJSON: tile URL, zooms, bounds and layers in one document), or
// static PMTiles archives written by `npm run export:tiles` when /api/config gives a
// `tilesUrl` (a base URL such as "/static-tiles" or "https://cdn.example/tiles"): one
// archive per source, `<source>.pmtiles`, with tiles up to zoom 10 (MapLibre overzooms).
//
// The scheme source stays live even then: schemes change with every registry edit
// (create, edit, close) and the editor reloads their tiles after a save, which a static
// archive exported once could not follow. Pure helpers, unit-tested without a browser.

/** Highest zoom of the exported archives (export:tiles --maxzoom, 10 by default). */
export const PMTILES_MAXZOOM = 10;
/** Sources always read from the live server, whatever the setting. */
export const LIVE_ONLY_SOURCES = new Set(['scheme']);

/** The TileJSON of one or several API layers, as served by the live server. */
export function tileJsonUrl(origin: string, layers: string[]): string {
  const path = layers.length > 1 ? encodeURIComponent(`{${layers.join(',')}}`) : layers[0]!;
  return `${origin}/tiles/${path}.json`;
}

/** The archives' base URL as an absolute one, without a trailing slash (null: none set). */
export function normalizeTilesUrl(tilesUrl: string | null | undefined, origin: string): string | null {
  const t = tilesUrl?.trim();
  if (!t) return null;
  const base = t.replace(/\/+$/, '');
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(base)) return base;
  if (base.startsWith('//')) return `${new URL(origin).protocol}${base}`;
  return `${origin}${base.startsWith('/') ? '' : '/'}${base}`;
}

/** The `pmtiles://` URL of a source's archive. */
export function pmtilesUrl(base: string, source: string): string {
  return `pmtiles://${base}/${encodeURIComponent(source)}.pmtiles`;
}

/**
 * Where a vector source's tiles come from: the live server's TileJSON (which gives the
 * maxzoom, bounds and layers), or a PMTiles archive and its maxzoom.
 */
export function tileEndpoint(
  source: string,
  layers: string[],
  o: { origin: string; tilesUrl: string | null },
): { url: string; maxzoom?: number } {
  const base = normalizeTilesUrl(o.tilesUrl, o.origin);
  if (base && !LIVE_ONLY_SOURCES.has(source)) return { url: pmtilesUrl(base, source), maxzoom: PMTILES_MAXZOOM };
  return { url: tileJsonUrl(o.origin, layers) };
}
