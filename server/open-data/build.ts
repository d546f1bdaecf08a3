// Builds every published file of the registry in memory, with its checksum: the API
// serves them and `npm run export:open-data` writes them to a folder for upload.
import crypto from 'node:crypto';
import type { OpenDataFileName } from '../../contract/open-data.ts';
import type { Queryable } from '../../core/db/db.ts';
import { cogVintage, publishedMembers, publishedSchemes, schemeGeometries } from '../queries/open-data.ts';
import { toOpenCsv } from './csv.ts';
import { memberRow, schemeRow } from './rows.ts';
import { columnsOf, MEMBERS_SCHEMA, SCHEMES_SCHEMA } from './schemas.ts';

export interface PublishedFile {
  name: OpenDataFileName;
  title: string;
  mediaType: string;
  /** The published Table Schema describing this file, if any. */
  schema: OpenDataFileName | null;
  /** ISO 8601 date of the last change of its content. */
  modified: string;
  body: Buffer;
  sha256: string;
}

export interface OpenDataBundle {
  modified: string;
  cogVintage: string;
  files: PublishedFile[];
}

function file(f: Omit<PublishedFile, 'body' | 'sha256'>, content: string | Buffer): PublishedFile {
  const body = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  return { ...f, body, sha256: crypto.createHash('sha256').update(body).digest('hex') };
}

/** GeoJSON text built around the geometries as the database wrote them (no re-parsing). */
function featureCollection(rows: Record<string, unknown>[], geometries: Map<string, string | null>): string {
  const features = rows.map((p) => {
    const code = p.identifiant as string;
    return `{"type":"Feature","id":${JSON.stringify(code)},"properties":${JSON.stringify(p)},"geometry":${geometries.get(code) ?? 'null'}}`;
  });
  return `{"type":"FeatureCollection","features":[\n${features.join(',\n')}\n]}\n`;
}

/** `modified`: the date of the latest change among the published data. */
export async function buildOpenData(db: Queryable, modified: string): Promise<OpenDataBundle> {
  const vintage = await cogVintage(db);
  if (!vintage) throw new Error('no reference import: the COG vintage of the communes is unknown');
  const schemes = (await publishedSchemes(db)).map((s) => schemeRow(s, vintage));
  const members = (await publishedMembers(db)).map((m) => memberRow(m, vintage));
  const geometries = await schemeGeometries(db);
  const schemaDate = (d: string) => `${d}T00:00:00Z`;
  return {
    modified,
    cogVintage: vintage,
    files: [
      file(
        {
          name: 'demarches.csv',
          title: 'Démarches territoriales de santé : une ligne par démarche',
          mediaType: 'text/csv',
          schema: 'schema-demarches.json',
          modified,
        },
        toOpenCsv(columnsOf(SCHEMES_SCHEMA.schema), schemes),
      ),
      file(
        {
          name: 'demarches-communes.csv',
          title: 'Communes de chaque démarche, avec leur part dans le périmètre',
          mediaType: 'text/csv',
          schema: 'schema-demarches-communes.json',
          modified,
        },
        toOpenCsv(columnsOf(MEMBERS_SCHEMA.schema), members),
      ),
      file(
        {
          name: 'demarches.geojson',
          title: 'Périmètres des démarches (union des communes), mêmes propriétés que demarches.csv',
          mediaType: 'application/geo+json',
          schema: null,
          modified,
        },
        featureCollection(schemes, geometries),
      ),
      file(
        {
          name: 'schema-demarches.json',
          title: 'Table Schema de demarches.csv',
          mediaType: 'application/json',
          schema: null,
          modified: schemaDate(SCHEMES_SCHEMA.schema.lastModified),
        },
        SCHEMES_SCHEMA.bytes,
      ),
      file(
        {
          name: 'schema-demarches-communes.json',
          title: 'Table Schema de demarches-communes.csv',
          mediaType: 'application/json',
          schema: null,
          modified: schemaDate(MEMBERS_SCHEMA.schema.lastModified),
        },
        MEMBERS_SCHEMA.bytes,
      ),
    ],
  };
}
