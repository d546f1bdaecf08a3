// The answers of every route that downloads: a CSV file or a GeoJSON FeatureCollection,
// with its media type and an attachment name reduced to safe characters.
import type { Response } from 'express';

const safeName = (name: string) => name.replace(/[^A-Za-z0-9._-]/g, '_');

/** A CSV file (from toCsv, with or without its preamble lines). */
export function sendCsv(res: Response, fileName: string, csv: string): void {
  res.type('text/csv; charset=utf-8').attachment(safeName(fileName)).send(csv);
}

/** A GeoJSON FeatureCollection (members beside `features` say what the data is). */
export function sendGeojson(
  res: Response,
  fileName: string,
  collection: { type: 'FeatureCollection'; features: unknown[]; [member: string]: unknown },
): void {
  res.type('application/geo+json').attachment(safeName(fileName)).send(JSON.stringify(collection));
}
