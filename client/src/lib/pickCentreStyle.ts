// While communes are picked with the keyboard, the commune at the centre of the map (the
// one Enter adds or removes) is outlined on the map, not only named: a light fill and a
// white-cased line in the focus colour, distinct from every layer of the palette.
import type { FilterSpecification, LayerSpecification } from 'maplibre-gl';

export const PICK_CENTRE_LAYERS = ['pick-centre:fill', 'pick-centre:casing', 'pick-centre:line'] as const;

/** The colour of keyboard focus (app.css --focus): this is the commune the keyboard acts on. */
export const PICK_CENTRE_COLOR = '#0a76f6';

/** The layers outlining commune `code` on the commune source. */
export function pickCentreLayers(code: string): LayerSpecification[] {
  const common = {
    source: 'commune',
    'source-layer': 'commune',
    filter: ['==', ['to-string', ['get', 'code']], code] as FilterSpecification,
  };
  return [
    { ...common, id: PICK_CENTRE_LAYERS[0], type: 'fill', paint: { 'fill-color': PICK_CENTRE_COLOR, 'fill-opacity': 0.14 } },
    {
      ...common,
      id: PICK_CENTRE_LAYERS[1],
      type: 'line',
      layout: { 'line-join': 'round' },
      paint: { 'line-color': '#ffffff', 'line-width': 7, 'line-opacity': 0.9 },
    },
    {
      ...common,
      id: PICK_CENTRE_LAYERS[2],
      type: 'line',
      layout: { 'line-join': 'round' },
      paint: { 'line-color': PICK_CENTRE_COLOR, 'line-width': 3.5 },
    },
  ];
}
