// The collections of the OGC API – Features service and what the tile sources hold, both
// derived from the layer catalogue (atlas.layer, server/layers.ts): one collection per
// layer, one per scheme type. Extents are read once per data version: they take a scan of
// every geometry (≈ 0.3 s on PostGIS for all layers), and GDAL and MapLibre ask for them
// on every connection.
import type { Db } from '../../core/db/db.ts';
import { SCHEME_TYPE_LAYERS } from '../layers.ts';
import { countSchemesByType, listLayers, type LayerRow } from '../queries/layers.ts';
import { layerSummaries, type LayerSummaryRow } from '../queries/ogc.ts';
import type { OgcFilterName } from '../../contract/ogc.ts';
import { unionBbox } from '../../contract/bbox.ts';

export type PropertyType = 'string' | 'integer' | 'number' | 'boolean';

export interface PropertyDef {
  name: string;
  type: PropertyType;
  /** French label, for the HTML pages and the OpenAPI description. */
  title: string;
}

export interface Collection {
  /** Identifier in URLs: a layer id, or a scheme type in lower case (cls). */
  id: string;
  /** Table-level layer ('scheme' for a scheme type). */
  layer: string;
  schemeType: string | null;
  title: string;
  description: string;
  vintage: string;
  source: string;
  licence: string;
  /** Every feature of the layer is a generated example. */
  fictif: boolean;
  count: number;
  bbox: [number, number, number, number] | null;
  /** Whether some features carry a type (EPCI nature, QPV generation, scheme type). */
  hasType: boolean;
  /** Whether some features are flagged fictif. */
  hasFictif: boolean;
  properties: PropertyDef[];
  /** Attribute filters this collection accepts (each is one of its properties). */
  filters: OgcFilterName[];
}

export const SCHEME_TYPE_TITLES: Record<string, string> = {
  CLS: 'Contrats locaux de santé (CLS)',
  ASV: 'Ateliers santé ville (ASV)',
  CLSM: 'Conseils locaux de santé mentale (CLSM)',
  PTSM: 'Projets territoriaux de santé mentale (PTSM)',
};

const P = (name: string, type: PropertyType, title: string): PropertyDef => ({ name, type, title });

const CODE_NAME = [P('code', 'string', 'Code'), P('name', 'string', 'Nom')];
const MAIN_PLACE = [
  P('departement', 'string', 'Département principal (celui qui compte le plus d’habitants du périmètre)'),
  P('region', 'string', 'Région du département principal'),
];
const FIGURES = [
  P('population', 'integer', 'Population municipale'),
  P('area_km2', 'number', 'Superficie (km²)'),
  P('commune_count', 'integer', 'Nombre de communes'),
];
const ORIGIN = [
  P('fictif', 'boolean', 'Exemple fictif (généré, à ne pas prendre pour une donnée réelle)'),
  P('source', 'string', 'Source'),
  P('vintage', 'string', 'Millésime'),
];
const SCHEME = [
  P('status', 'string', 'Statut'),
  P('bearer_type', 'string', 'Type de porteur'),
  P('bearer_name', 'string', 'Porteur'),
  P('start_date', 'string', 'Date de signature ou de lancement'),
  P('end_date', 'string', 'Date de fin'),
  P('generation', 'integer', 'Génération'),
  P('coordination_fte', 'number', 'Coordination (ETP)'),
  P('source_kind', 'string', 'Nature de la source (reference, saisie, import, signalement)'),
  P('source_date', 'string', 'Date d’enregistrement de la source'),
];

const COMMUNE_PROPERTIES = [
  ...CODE_NAME,
  P('departement', 'string', 'Département'),
  P('region', 'string', 'Région'),
  P('arrondissement', 'string', 'Arrondissement'),
  P('epci', 'string', 'EPCI (SIREN)'),
  P('population', 'integer', 'Population municipale'),
  P('area_km2', 'number', 'Superficie (km²)'),
  ...ORIGIN,
];

function propertiesOf(layer: string): PropertyDef[] {
  if (layer === 'commune') return COMMUNE_PROPERTIES;
  const type = P('type', 'string', layer === 'qpv' ? 'Génération' : 'Type');
  const place = layer === 'region' ? MAIN_PLACE.slice(1) : MAIN_PLACE;
  if (layer === 'scheme') return [...CODE_NAME, type, ...SCHEME, ...place, ...FIGURES, ...ORIGIN];
  return [...CODE_NAME, type, ...place, ...FIGURES, ...ORIGIN];
}

const FILTERS: OgcFilterName[] = ['departement', 'region', 'epci', 'arrondissement', 'type', 'status'];

function describe(l: LayerRow, title: string): string {
  const parts = [`${title} — millésime ${l.vintage} ; source : ${l.source} (${l.licence}).`];
  if (l.fictif) parts.push('Exemples fictifs générés par Millefeuille : ces périmètres ne sont pas réels.');
  if (l.id !== 'commune') parts.push('Géométrie dérivée des communes membres.');
  parts.push('Géométrie simplifiée quand la bbox demandée est grande (voir « simplification » dans la réponse).');
  return parts.join(' ');
}

function build(layers: LayerRow[], byType: { type: string; count: number }[], summaries: LayerSummaryRow[]): Collection[] {
  const collections: Collection[] = [];
  const summary = (layer: string, type: string | null) =>
    summaries.filter((s) => s.layer === layer && (type === null || s.schemeType === type));
  for (const l of layers) {
    const properties = propertiesOf(l.id);
    const rows = summary(l.id, null);
    const base = {
      layer: l.id,
      vintage: l.vintage,
      source: l.source,
      licence: l.licence,
      fictif: l.fictif,
      properties,
      filters: FILTERS.filter((f) => properties.some((p) => p.name === f)),
    };
    collections.push({
      ...base,
      id: l.id,
      schemeType: null,
      title: l.name,
      description: describe(l, l.name),
      count: l.count,
      bbox: unionBbox(rows.map((r) => r.bbox)),
      hasType: rows.some((r) => r.hasType),
      hasFictif: rows.some((r) => r.hasFictif),
    });
    if (l.id !== 'scheme') continue;
    for (const [id, type] of Object.entries(SCHEME_TYPE_LAYERS)) {
      const typed = summary('scheme', type);
      const title = SCHEME_TYPE_TITLES[type] ?? type;
      collections.push({
        ...base,
        id,
        schemeType: type,
        title,
        description: describe(l, title),
        count: byType.find((t) => t.type === type)?.count ?? 0,
        bbox: unionBbox(typed.map((r) => r.bbox)),
        hasType: true,
        hasFictif: typed.some((r) => r.hasFictif),
      });
    }
  }
  return collections;
}

/** The collections, computed once per data version. */
export class Catalogue {
  private cached: { version: number; collections: Promise<Collection[]> } | null = null;

  constructor(
    private readonly db: Db,
    private readonly dataVersion: () => number,
  ) {}

  all(): Promise<Collection[]> {
    const version = this.dataVersion();
    if (this.cached?.version !== version) {
      const collections = Promise.all([listLayers(this.db), countSchemesByType(this.db), layerSummaries(this.db)]).then(
        ([layers, byType, summaries]) => build(layers, byType, summaries),
      );
      // a failed read is not kept: the next request tries again
      collections.catch(() => {
        if (this.cached?.collections === collections) this.cached = null;
      });
      this.cached = { version, collections };
    }
    return this.cached.collections;
  }

  /** The data version the collections are computed for. */
  version(): number {
    return this.dataVersion();
  }

  async find(id: string): Promise<Collection | undefined> {
    return (await this.all()).find((c) => c.id === id);
  }
}
