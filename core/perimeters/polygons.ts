// What the GeoJSON and shapefile readers share: from raw features (any projection) to
// perimeter features in WGS84 with a code, a name and their scalar attributes.
import type { Geometry } from 'geojson';
import { PerimeterImportError } from './errors.ts';
import { cellText, codeFromName, detectFeatureFields, normalisePerimeterCode } from './fields.ts';
import { cleanPolygonal } from './geometry.ts';
import { checkWgs84Bounds, reproject, type Crs } from './projection.ts';
import type { Ignored, PolygonFeature, PolygonInput } from './types.ts';

export interface FieldOptions {
  codeField?: string | undefined;
  nameField?: string | undefined;
}

export interface RawFeature {
  geometry: Geometry | null | undefined;
  properties: Record<string, unknown>;
}

const MAX_ATTRS = 30;

export function collectFeatures(
  format: PolygonInput['format'],
  raw: RawFeature[],
  crs: Crs,
  options: FieldOptions,
): Omit<PolygonInput, 'encoding'> {
  if (raw.length === 0) throw new PerimeterImportError('Le fichier ne contient aucun objet (aucun polygone).');
  const keys = [...new Set(raw.slice(0, 100).flatMap((f) => Object.keys(f.properties ?? {})))];
  const fields = detectFeatureFields(keys, { code: options.codeField, name: options.nameField });
  const warnings: string[] = crs.warning ? [crs.warning] : [];
  const ignored: Ignored[] = [];
  const features: PolygonFeature[] = [];
  let closed = 0;
  let recoded = 0;
  raw.forEach((f, i) => {
    const index = i + 1;
    const props = f.properties ?? {};
    const clean = cleanPolygonal(f.geometry);
    if ('reason' in clean) return ignored.push({ line: index, reason: clean.reason });
    closed += clean.closed;
    const rawCode = fields.code ? cellText(props[fields.code]) : '';
    const rawName = fields.name ? cellText(props[fields.name]) : '';
    let code = rawCode ? normalisePerimeterCode(rawCode) : rawName ? codeFromName(rawName) : `OBJET-${index}`;
    if (!code) code = `OBJET-${index}`;
    if (rawCode && code !== rawCode) recoded++;
    const attrs: PolygonFeature['attrs'] = {};
    for (const [k, v] of Object.entries(props).slice(0, MAX_ATTRS)) {
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') attrs[k] = typeof v === 'string' ? v.slice(0, 200) : v;
    }
    features.push({ index, code, name: rawName || rawCode || `Objet n° ${index}`, geometry: reproject(clean.geometry, crs), attrs });
  });
  if (features.length === 0) {
    throw new PerimeterImportError(
      `Aucun polygone utilisable parmi ${raw.length} objets (${[...new Set(ignored.map((x) => x.reason))].join(' ; ')}).`,
    );
  }
  checkWgs84Bounds(
    features.map((f) => f.geometry),
    crs.label,
  );
  if (!fields.code && fields.name) warnings.push(`Pas d'attribut de code : codes formés à partir des noms (« ${fields.name} »).`);
  if (!fields.code && !fields.name) {
    warnings.push(`Ni code ni nom parmi les attributs (${keys.join(', ') || 'aucun'}) : objets numérotés OBJET-1, OBJET-2…`);
  }
  if (closed) warnings.push(`${closed} anneaux non fermés ont été refermés.`);
  if (recoded) warnings.push(`${recoded} codes de périmètre réécrits (lettres, chiffres, « . », « _ », « - » seulement).`);
  return { format, features, rowsRead: raw.length, ignored, fields, projection: crs.label, warnings };
}
