// The heaviest perimeter upload issue 11 measures: a GeoJSON of tens of megabytes under
// every parser limit, as a grid of small circles over metropolitan France (each one
// covers a few communes). Shared by test/integration/heavy-upload.test.ts and
// `npm run bench:load`, so that the test and the bench speak of the same file.

export interface HeavyGeojsonOptions {
  /** Circles west to east and south to north. */
  columns: number;
  rows: number;
  /** Vertices of each circle (about 22 bytes each in the file). */
  vertices: number;
}

/** The bench's default is about 49 MB (50 × 46 circles of 1,000 vertices). */
export function heavyGeojson({ columns, rows, vertices }: HeavyGeojsonOptions): string {
  const features: string[] = [];
  for (let i = 0; i < columns; i++) {
    for (let j = 0; j < rows; j++) {
      // 50 × 46 circles span -4.4..8.1 E and 42.6..50.7 N; a smaller grid keeps to the south-west
      const [cx, cy] = [-4.4 + i * 0.25, 42.6 + j * 0.18];
      const ring: string[] = [];
      for (let k = 0; k < vertices; k++) {
        const a = (2 * Math.PI * k) / vertices;
        ring.push(`[${(cx + 0.035 * Math.cos(a)).toFixed(6)},${(cy + 0.025 * Math.sin(a)).toFixed(6)}]`);
      }
      ring.push(ring[0]!);
      const code = `B${i}-${j}`;
      features.push(
        `{"type":"Feature","properties":{"code":"${code}","nom":"Cercle ${code}"},"geometry":{"type":"Polygon","coordinates":[[${ring.join(',')}]]}}`,
      );
    }
  }
  return `{"type":"FeatureCollection","features":[${features.join(',\n')}]}`;
}
