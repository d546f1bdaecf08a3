// The two descriptions of a publication: the listing (GET /api/open-data/, index.json
// in an exported folder) and the DCAT-AP catalogue in JSON-LD that national portals
// (data.gouv.fr and others) harvest. `base` is where the files are published: an
// absolute URL ending in '/', or '' for addresses relative to the description itself.
import { DCAT_FILE, LICENCE, type OpenDataIndex } from '../../contract/open-data.ts';
import type { OpenDataBundle, PublishedFile } from './build.ts';
import { SCHEMES_SCHEMA } from './schemas.ts';

const DATASET_TITLE = 'Registre des démarches territoriales de santé (CLS, ASV, CLSM, PTSM)';
const DATASET_DESCRIPTION = `${SCHEMES_SCHEMA.schema.description} Fichiers : demarches.csv (une ligne par démarche), demarches-communes.csv (une ligne par commune de chaque démarche, avec sa part), demarches.geojson (périmètres : union des communes entières, approchée pour les communes incluses en partie), et les Table Schema des deux CSV.`;

export function openDataIndex(bundle: OpenDataBundle, base: string): OpenDataIndex {
  return {
    title: DATASET_TITLE,
    description: DATASET_DESCRIPTION,
    licence: { ...LICENCE },
    modified: bundle.modified,
    cogVintage: bundle.cogVintage,
    dcat: base + DCAT_FILE,
    files: bundle.files.map((f) => ({
      name: f.name,
      title: f.title,
      url: base + f.name,
      mediaType: f.mediaType,
      schema: f.schema && base + f.schema,
      modified: f.modified,
      bytes: f.body.length,
      sha256: f.sha256,
    })),
  };
}

const EU = 'http://publications.europa.eu/resource/authority';
const FORMATS: Record<string, string> = {
  'text/csv': `${EU}/file-type/CSV`,
  'application/geo+json': `${EU}/file-type/GEOJSON`,
  'application/json': `${EU}/file-type/JSON`,
};
const dateTime = (v: string) => ({ '@value': v, '@type': 'xsd:dateTime' });
const licence = { '@id': LICENCE.url, '@type': 'dct:LicenseDocument', 'dct:title': LICENCE.title };

function distribution(f: PublishedFile, base: string) {
  return {
    '@id': base + f.name,
    '@type': 'dcat:Distribution',
    'dct:title': f.title,
    'dcat:accessURL': { '@id': base + f.name },
    'dcat:downloadURL': { '@id': base + f.name },
    'dcat:mediaType': { '@id': `http://www.iana.org/assignments/media-types/${f.mediaType}` },
    'dct:format': { '@id': FORMATS[f.mediaType] },
    'dct:license': licence,
    'dct:modified': dateTime(f.modified),
    'dcat:byteSize': { '@value': String(f.body.length), '@type': 'xsd:nonNegativeInteger' },
    'spdx:checksum': {
      '@type': 'spdx:Checksum',
      'spdx:algorithm': { '@id': 'spdx:checksumAlgorithm_sha256' },
      'spdx:checksumValue': { '@value': f.sha256, '@type': 'xsd:hexBinary' },
    },
    ...(f.schema ? { 'dct:conformsTo': { '@id': base + f.schema } } : {}),
  };
}

/** DCAT-AP 2 catalogue with one dataset and one distribution per published file. */
export function dcatCatalog(bundle: OpenDataBundle, base: string, listing: string | null) {
  return {
    '@context': {
      dcat: 'http://www.w3.org/ns/dcat#',
      dct: 'http://purl.org/dc/terms/',
      foaf: 'http://xmlns.com/foaf/0.1/',
      spdx: 'http://spdx.org/rdf/terms#',
      xsd: 'http://www.w3.org/2001/XMLSchema#',
    },
    '@id': base + DCAT_FILE,
    '@type': 'dcat:Catalog',
    'dct:title': 'Millefeuille : données ouvertes',
    'dct:description': 'Données ouvertes publiées par Millefeuille, atlas des démarches territoriales de santé.',
    'dct:publisher': { '@type': 'foaf:Agent', 'foaf:name': 'Millefeuille' },
    'dct:language': { '@id': `${EU}/language/FRA` },
    'dct:license': licence,
    'dct:modified': dateTime(bundle.modified),
    'dcat:dataset': [
      {
        '@id': `${base}${DCAT_FILE}#demarches-territoriales-sante`,
        '@type': 'dcat:Dataset',
        'dct:identifier': 'millefeuille-demarches-territoriales-sante',
        'dct:title': DATASET_TITLE,
        'dct:description': DATASET_DESCRIPTION,
        'dcat:keyword': [
          'santé',
          'contrat local de santé',
          'CLS',
          'atelier santé ville',
          'ASV',
          'conseil local de santé mentale',
          'CLSM',
          'projet territorial de santé mentale',
          'PTSM',
          'territoires',
        ],
        'dcat:theme': { '@id': `${EU}/data-theme/HEAL` },
        'dct:spatial': { '@id': `${EU}/country/FRA` },
        'dct:accrualPeriodicity': { '@id': `${EU}/frequency/IRREG` },
        'dct:language': { '@id': `${EU}/language/FRA` },
        'dct:publisher': { '@type': 'foaf:Agent', 'foaf:name': 'Millefeuille' },
        'dct:license': licence,
        'dct:modified': dateTime(bundle.modified),
        'dct:conformsTo': bundle.files.filter((f) => f.schema).map((f) => ({ '@id': base + f.schema })),
        ...(listing ? { 'dcat:landingPage': { '@id': listing } } : {}),
        'dcat:distribution': bundle.files.map((f) => distribution(f, base)),
      },
    ],
  };
}
