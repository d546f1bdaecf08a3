// What each request field stands for, in the words of the person who filled it: error
// messages name "la recherche" or "les couches", never « q » or « layers ». The raw field
// name stays available to programs in the problem's `invalidParams` member
// (server/errors.ts). Plain data, no Node import: the client bundles this folder.

export const FIELD_LABELS: Readonly<Record<string, string>> = {
  // search, map, tiles
  q: 'la recherche',
  layers: 'les couches',
  layer: 'la couche',
  limit: 'le nombre de résultats',
  offset: 'le rang du premier résultat',
  lon: 'la longitude',
  lat: 'la latitude',
  x: 'la tuile demandée',
  y: 'la tuile demandée',
  z: 'le niveau de zoom',
  v: 'la version des tuiles',
  // territories and analyses
  code: 'le code',
  commune: 'le code de commune',
  communes: 'les communes',
  epci: 'les EPCI',
  petr: 'les PETR',
  pnr: 'les parcs naturels régionaux',
  departement: 'le département',
  arrondissement: 'l’arrondissement',
  region: 'la région',
  p: 'les périmètres à comparer',
  within: 'la zone',
  zone: 'la zone',
  scope: 'la zone',
  by: 'le regroupement',
  scheme: 'les démarches',
  schemes: 'les démarches',
  block: 'la partie du panorama',
  includeFictif: 'l’inclusion des démarches fictives',
  format: 'le format',
  f: 'le format',
  file: 'le fichier',
  fileName: 'le nom du fichier',
  filename: 'le nom du fichier',
  mode: 'le mode d’import',
  dryRun: 'l’essai à blanc',
  // OGC API – Features
  bbox: 'l’emprise',
  collectionId: 'la collection',
  featureId: 'l’objet',
  properties: 'les propriétés',
  // schemes and referents
  type: 'le type',
  name: 'le nom',
  bearerType: 'le type de porteur',
  bearerName: 'le porteur',
  perimeter: 'le périmètre',
  perimeterRef: 'le périmètre de référence',
  pasted: 'la liste collée',
  share: 'la part de la commune',
  signatureDate: 'la date de signature',
  endDate: 'la date de fin',
  generation: 'la génération',
  status: 'le statut',
  coordinationFte: 'l’ETP de coordination',
  themes: 'les thématiques',
  signatories: 'les signataires',
  source: 'la source',
  remark: 'la remarque',
  delegation: 'la délégation',
  hasCommittee: 'le comité de pilotage',
  phone: 'le téléphone',
  // inventory, contributions, accounts
  comment: 'le commentaire',
  completeAt: 'la date d’inventaire complet',
  reason: 'la raison',
  sourceUrl: 'le lien vers la source',
  website: 'le site web',
  email: 'l’adresse électronique',
  password: 'le mot de passe',
  role: 'le rôle',
  disabled: 'la désactivation du compte',
  id: 'l’identifiant',
};

/** Label when a field has none: never the raw name. */
export const UNKNOWN_FIELD_LABEL = 'un paramètre';

/**
 * The French label of a field path of a zod issue: the deepest named segment that has a
 * label, followed by the position in a list ("les communes (n° 4)").
 */
export function fieldLabel(path: readonly PropertyKey[]): string {
  for (let i = path.length - 1; i >= 0; i--) {
    const key = path[i];
    if (typeof key !== 'string' || !Object.hasOwn(FIELD_LABELS, key)) continue;
    const next = path[i + 1];
    return typeof next === 'number' ? `${FIELD_LABELS[key]} (n° ${next + 1})` : FIELD_LABELS[key]!;
  }
  return UNKNOWN_FIELD_LABEL;
}
