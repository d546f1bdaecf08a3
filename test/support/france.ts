// A 256-byte GeoJSON that once froze the embedded database's server for 18–21 s: one
// rectangle over metropolitan France, whose import intersects it with every commune.
export const FRANCE = JSON.stringify({
  type: 'FeatureCollection',
  features: [
    {
      type: 'Feature',
      properties: { code: 'FR', nom: 'France métropolitaine (rectangle)' },
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [-5.2, 41.3],
            [9.6, 41.3],
            [9.6, 51.1],
            [-5.2, 51.1],
            [-5.2, 41.3],
          ],
        ],
      },
    },
  ],
});
