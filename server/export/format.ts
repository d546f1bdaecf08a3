// The ?format= parameter of the endpoints that export: JSON by default, the other formats
// each endpoint offers, and the same French refusal everywhere.
import { z } from 'zod';

/** Lists: JSON or CSV. */
export const jsonCsvFormat = z.enum(['json', 'csv'], { message: 'format attendu : json ou csv' }).default('json');

/** Lists of places: JSON, CSV or GeoJSON. */
export const jsonCsvGeojsonFormat = z
  .enum(['json', 'csv', 'geojson'], { message: 'format attendu : json, csv ou geojson' })
  .default('json');
