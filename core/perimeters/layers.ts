// The perimeter layers a user may bring: CPTS, adult and child psychiatric sectors,
// and any "other" zoning named by the user. Layer ids are identifiers of atlas.layer
// and appear in URLs: they come only from this fixed list or from a validated slug.
import { searchKey } from '../search-key.ts';
import { PerimeterImportError } from './errors.ts';

export type LayerChoice = 'cpts' | 'secteur-psy-adulte' | 'secteur-psy-enfant' | 'other';

export interface PerimeterLayer {
  id: string;
  name: string;
  kind: 'sante' | 'autre';
  sort: number;
  /** Short tag used in the codes of generated examples. */
  tag?: string;
}

/** The health layers, in display order after the reference layers. */
export const HEALTH_LAYERS: Record<Exclude<LayerChoice, 'other'>, PerimeterLayer> = {
  cpts: { id: 'cpts', name: 'CPTS', kind: 'sante', sort: 20, tag: 'CPTS' },
  'secteur-psy-adulte': {
    id: 'secteur-psy-adulte',
    name: 'Secteurs de psychiatrie générale (adultes)',
    kind: 'sante',
    sort: 21,
    tag: 'PSYA',
  },
  'secteur-psy-enfant': {
    id: 'secteur-psy-enfant',
    name: 'Secteurs de psychiatrie infanto-juvénile',
    kind: 'sante',
    sort: 22,
    tag: 'PSYE',
  },
};

export const LAYER_CHOICES: LayerChoice[] = ['cpts', 'secteur-psy-adulte', 'secteur-psy-enfant', 'other'];

/** Same rule as the API's layer ids (server/layers.ts): lower-case letters, digits, hyphens, 40 at most. */
export const LAYER_ID = /^[a-z][a-z0-9-]{0,39}$/;

/** "Mon zonage n°2" -> "autre-mon-zonage-n-2". */
export function otherLayerId(name: string): string {
  const slug = searchKey(name).split(' ').filter(Boolean).join('-').slice(0, 33).replace(/-+$/, '');
  const id = `autre-${slug}`;
  if (!slug || !LAYER_ID.test(id)) {
    throw new PerimeterImportError(`Nom de couche inutilisable : « ${name} » (il faut au moins une lettre ou un chiffre).`);
  }
  return id;
}

export function resolvePerimeterLayer(choice: string, name?: string): { layer: PerimeterLayer; warnings: string[] } {
  if (choice === 'other') {
    const display = name?.trim();
    if (!display) throw new PerimeterImportError('La couche « other » demande un nom : --name "Mon zonage".');
    if (display.length > 120) throw new PerimeterImportError('Nom de couche trop long (120 caractères au plus).');
    return { layer: { id: otherLayerId(display), name: display, kind: 'autre', sort: 30 }, warnings: [] };
  }
  const layer = HEALTH_LAYERS[choice as Exclude<LayerChoice, 'other'>];
  if (!layer) {
    throw new PerimeterImportError(`Couche inconnue : « ${choice} ». Couches possibles : ${LAYER_CHOICES.join(', ')}.`);
  }
  const warnings =
    name?.trim() && name.trim() !== layer.name ? [`--name ignoré : la couche « ${layer.id} » s'appelle « ${layer.name} ».`] : [];
  return { layer, warnings };
}
