// Static export of the reference layers as PMTiles archives, one per map source of the
// client (base = régions + départements, then one per other layer) and one composite
// `reference.pmtiles` with every layer. Tiles come from the server's own TileStore, so
// an archive holds exactly the bytes /tiles/… would send (gzipped, as sent to browsers).
import path from 'node:path';
import type { Queryable } from '../../core/db/db.ts';
import { SHAPE_BUFFER } from '../../server/tiles/layer-index.ts';
import { TileStore } from '../../server/tiles/store.ts';
import { Compression, PmtilesWriter, TileType, zxyToTileId, type WriteSummary } from './pmtiles.ts';

export interface ArchiveSpec {
  name: string;
  layers: string[];
}

export interface ExportOptions {
  outDir: string;
  minZoom?: number;
  maxZoom?: number;
  /** Archive names to write (default: all). */
  only?: string[];
  store?: TileStore;
  log?: (line: string) => void;
}

export interface ExportedArchive extends WriteSummary {
  name: string;
  layers: string[];
  ms: number;
}

/** Metropolitan France: where a map opened on an archive should start. */
const CENTER: [number, number, number] = [2.5, 46.6, 5];
/** The live tiles' buffer for shapes (of 4096 units), in tiles, with a margin for rounding. */
const BUFFER = SHAPE_BUFFER / 4096 + 1 / 512;

interface LayerRow {
  id: string;
  name: string;
  vintage: string;
  source: string;
  licence: string;
}

/** The archives of the catalogue: the client's sources, and everything in one. */
export function archivesFor(layerIds: string[]): ArchiveSpec[] {
  const base = ['region', 'departement'].filter((l) => layerIds.includes(l));
  const others = layerIds.filter((l) => !base.includes(l));
  return [
    ...(base.length ? [{ name: 'base', layers: base }] : []),
    ...others.map((l) => ({ name: l, layers: [l] })),
    { name: 'reference', layers: layerIds },
  ];
}

interface Box {
  w: number;
  s: number;
  e: number;
  n: number;
}

function vectorLayers(layers: LayerRow[], minZoom: number, maxZoom: number) {
  return layers.flatMap((l) => [
    {
      id: l.id,
      description: l.name,
      minzoom: minZoom,
      maxzoom: maxZoom,
      fields: { code: 'String', type: 'String', fictif: 'Boolean' },
    },
    {
      id: `${l.id}-label`,
      description: `${l.name} (étiquettes)`,
      minzoom: minZoom,
      maxzoom: maxZoom,
      fields: { code: 'String', name: 'String', type: 'String', fictif: 'Boolean', population: 'Number', minzoom: 'Number' },
    },
  ]);
}

/** Bounding boxes of the features of these layers, in degrees. */
async function featureBoxes(db: Queryable, layers: string[]): Promise<Box[]> {
  const box = 'ST_XMin(geom) AS w, ST_YMin(geom) AS s, ST_XMax(geom) AS e, ST_YMax(geom) AS n';
  const rows = await db.query<Box>(
    `SELECT ${box} FROM atlas.commune WHERE $1 = ANY($2::text[]) AND geom IS NOT NULL
     UNION ALL SELECT ${box} FROM atlas.perimeter WHERE layer = ANY($2::text[]) AND geom IS NOT NULL`,
    ['commune', layers],
  );
  return rows.map((r) => ({ w: Number(r.w), s: Number(r.s), e: Number(r.e), n: Number(r.n) }));
}

const lonToTileX = (lon: number, z: number) => ((lon + 180) / 360) * 2 ** z;
const latToTileY = (lat: number, z: number) => {
  const r = (Math.max(-85.0511, Math.min(85.0511, lat)) * Math.PI) / 180;
  return ((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * 2 ** z;
};

/**
 * Tiles that may hold something at zoom z: those a feature's box meets, widened by the
 * tile buffer. (Descending only from non-empty parents would miss some: geojson-vt drops
 * a polygon smaller than the tolerance at a low zoom, yet shows it in a child's buffer.)
 */
function candidateTiles(boxes: Box[], z: number): { x: number; y: number; id: number }[] {
  const n = 2 ** z;
  const seen = new Set<number>();
  const out: { x: number; y: number; id: number }[] = [];
  for (const b of boxes) {
    const x0 = Math.max(0, Math.floor(lonToTileX(b.w, z) - BUFFER));
    const x1 = Math.min(n - 1, Math.floor(lonToTileX(b.e, z) + BUFFER));
    const y0 = Math.max(0, Math.floor(latToTileY(b.n, z) - BUFFER));
    const y1 = Math.min(n - 1, Math.floor(latToTileY(b.s, z) + BUFFER));
    for (let x = x0; x <= x1; x++) {
      for (let y = y0; y <= y1; y++) {
        const id = zxyToTileId(z, x, y);
        if (seen.has(id)) continue;
        seen.add(id);
        out.push({ x, y, id });
      }
    }
  }
  return out.sort((a, b) => a.id - b.id);
}

/** Writes one archive: every non-empty tile from minZoom to maxZoom. */
async function writeArchive(
  db: Queryable,
  store: TileStore,
  spec: ArchiveSpec,
  catalogue: Map<string, LayerRow>,
  file: string,
  minZoom: number,
  maxZoom: number,
): Promise<WriteSummary> {
  const boxes = await featureBoxes(db, spec.layers);
  if (boxes.length === 0) throw new Error(`aucune géométrie dans ${spec.layers.join(', ')}`);
  const writer = new PmtilesWriter(file);
  for (let z = minZoom; z <= maxZoom; z++) {
    for (const c of candidateTiles(boxes, z)) {
      const tile = await store.tile(spec.layers, z, c.x, c.y);
      if (tile) writer.add(c.id, tile.gzipped);
    }
  }
  const west = Math.min(...boxes.map((b) => b.w));
  const south = Math.min(...boxes.map((b) => b.s));
  const east = Math.max(...boxes.map((b) => b.e));
  const north = Math.max(...boxes.map((b) => b.n));
  const rows = spec.layers.map((l) => catalogue.get(l)!);
  const versions = Object.fromEntries(spec.layers.map((l) => [l, store.version(l)]));
  return writer.finish({
    minZoom,
    maxZoom,
    bounds: [west, south, east, north],
    center: CENTER,
    tileCompression: Compression.gzip,
    tileType: TileType.mvt,
    metadata: {
      name: `Millefeuille — ${spec.name}`,
      description: rows.map((r) => r.name).join(', '),
      attribution: [...new Set(rows.map((r) => `${r.source} (${r.licence})`))].join(' ; '),
      version: [...new Set(rows.map((r) => r.vintage))].join(', '),
      type: 'overlay',
      format: 'pbf',
      generator: 'millefeuille scripts/export-tiles.ts',
      layer_versions: versions,
      vector_layers: vectorLayers(rows, minZoom, maxZoom),
    },
  });
}

export async function exportTiles(db: Queryable, options: ExportOptions): Promise<ExportedArchive[]> {
  const minZoom = options.minZoom ?? 0;
  const maxZoom = options.maxZoom ?? 10;
  if (!(minZoom >= 0 && maxZoom >= minZoom && maxZoom <= 14))
    throw new Error(`zooms invalides : ${minZoom}–${maxZoom} (0 ≤ min ≤ max ≤ 14)`);
  const store = options.store ?? new TileStore(db);
  const log = options.log ?? (() => {});
  const catalogue = new Map(
    (await db.query<LayerRow>(`SELECT id, name, vintage, source, licence FROM atlas.layer ORDER BY sort, id`)).map((l) => [l.id, l]),
  );
  const all = archivesFor([...catalogue.keys()]);
  const unknown = (options.only ?? []).filter((n) => !all.some((a) => a.name === n));
  if (unknown.length) throw new Error(`archive(s) inconnue(s) : ${unknown.join(', ')} ; possibles : ${all.map((a) => a.name).join(', ')}`);
  const chosen = options.only?.length ? all.filter((a) => options.only!.includes(a.name)) : all;
  const results: ExportedArchive[] = [];
  try {
    for (const spec of chosen) {
      const t0 = Date.now();
      const file = path.join(options.outDir, `${spec.name}.pmtiles`);
      const summary = await writeArchive(db, store, spec, catalogue, file, minZoom, maxZoom);
      const ms = Date.now() - t0;
      results.push({ name: spec.name, layers: spec.layers, ms, ...summary });
      log(
        `${spec.name.padEnd(15)} ${String(summary.addressedTiles).padStart(6)} tuiles (${summary.tileContents} distinctes) ` +
          `${(summary.bytes / 1e6).toFixed(1).padStart(6)} Mo  ${(ms / 1000).toFixed(1)} s  → ${file}`,
      );
    }
  } finally {
    // a store of our own: stop its cutter thread
    if (!options.store) await store.close();
  }
  return results;
}
