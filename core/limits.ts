// The bounds of every upload parser, in one place. Each is checked while the file is
// read (never after building everything), and a file past one is refused with a French
// message naming the limit: a small hostile file (a ZIP of zeros, a GeoJSON nested a
// million deep) must cost milliseconds, not the server's memory.
//
// The values leave room for real layers: every commune of France is about 35,000
// polygons; a fine regional layer of psychiatric sectors is a few hundred polygons and
// a few hundred thousand vertices; a shapefile of it is a handful of files.

/** Size of an uploaded perimeter file, before anything is read. */
export const MAX_FILE_BYTES = 50 * 1024 * 1024;
/** Decompressed size of one file (a ZIP entry, a gzipped GeoJSON). */
export const MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024;
/** Decompressed size of all the entries of a ZIP that are read. */
export const MAX_ZIP_TOTAL_BYTES = 300 * 1024 * 1024;
/** Files in a ZIP (a shapefile is 4 to 8 of them). */
export const MAX_ZIP_ENTRIES = 1_000;
/** Compression ratio of an entry larger than ZIP_RATIO_MIN_BYTES (real shapefiles: 2 to 20). */
export const MAX_ZIP_RATIO = 200;
export const ZIP_RATIO_MIN_BYTES = 1024 * 1024;
/** Side files of a shapefile (.prj, .cpg) are a few hundred bytes. */
export const MAX_SIDECAR_BYTES = 64 * 1024;

/** Objects (GeoJSON features, shapefile records, .dbf records) in one perimeter file. */
export const MAX_FEATURES = 50_000;
/** Vertices of all the polygons of one file. */
export const MAX_VERTICES = 5_000_000;
/** Nesting of arrays and objects in a GeoJSON (a MultiPolygon in a Feature in a FeatureCollection is 7). */
export const MAX_JSON_DEPTH = 64;
/** Attributes (.dbf fields) of one object. */
export const MAX_ATTRIBUTES = 255;

/** Bounds of a CSV read: data rows, columns, characters in one field. */
export interface CsvLimits {
  maxRows: number;
  maxColumns: number;
  maxFieldChars: number;
}

/** CSV lists of communes (perimeter uploads) and reference files. */
export const CSV_LIMITS: CsvLimits = { maxRows: 200_000, maxColumns: 200, maxFieldChars: 100_000 };
/** The registry CSV: one row per scheme; the communes of a scheme fit in one cell. */
export const REGISTRY_CSV_LIMITS: CsvLimits = { maxRows: 10_000, maxColumns: 50, maxFieldChars: 100_000 };

/** Byte sizes as users read them ("200 Mo"). */
export const formatBytes = (n: number) =>
  n >= 1024 * 1024
    ? `${(n / 1024 / 1024).toLocaleString('fr-FR', { maximumFractionDigits: 1 })} Mo`
    : n >= 1024
      ? `${(n / 1024).toLocaleString('fr-FR', { maximumFractionDigits: 1 })} ko`
      : `${n} octets`;

/** Counts as users read them ("5 000 000"). */
export const formatCount = (n: number) => n.toLocaleString('fr-FR');
