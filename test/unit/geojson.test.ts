import { describe, expect, it } from 'vitest';
import { parseFeatureCollection } from '../../geodata/readers/geojson.ts';

describe('parseFeatureCollection', () => {
  it('reads a feature collection and fills missing properties', () => {
    const fc = parseFeatureCollection(
      JSON.stringify({
        type: 'FeatureCollection',
        features: [
          {
            type: 'Feature',
            geometry: {
              type: 'Polygon',
              coordinates: [
                [
                  [0, 0],
                  [1, 0],
                  [1, 1],
                  [0, 0],
                ],
              ],
            },
          },
        ],
      }),
    );
    expect(fc.features).toHaveLength(1);
    expect(fc.features[0]!.properties).toEqual({});
  });

  it('explains what is wrong, in French', () => {
    expect(() => parseFeatureCollection('{not json', 'f.geojson')).toThrow(/f\.geojson : JSON illisible/);
    expect(() => parseFeatureCollection('{"type":"Feature"}')).toThrow(/FeatureCollection est attendue/);
    expect(() => parseFeatureCollection('{"type":"FeatureCollection"}')).toThrow(/"features" manque/);
    expect(() => parseFeatureCollection('{"type":"FeatureCollection","features":[{"type":"Point"}]}')).toThrow(
      /objet n° 1 n'est pas une Feature/,
    );
    expect(() =>
      parseFeatureCollection('{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Polygon"}}]}'),
    ).toThrow(/pas de coordonnées/);
  });
});
