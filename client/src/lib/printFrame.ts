// The printed map shows the territory (or analysis) on the sheet, whatever the screen
// showed: before printing, the map takes the shape of its place on paper and is fitted
// on the territory's extent; after printing, its size and camera come back as they were.
import type { Map as MlMap } from 'maplibre-gl';
import type { Bbox } from './bbox.ts';

/** The shape of the printed map, in CSS pixels (16:10, its column of the print layout). */
export const PRINT_MAP_SIZE = { width: 1040, height: 650 };

/** Resizes and frames the map for paper; returns what puts it back. */
export function frameForPrint(map: MlMap, container: HTMLElement, bbox: Bbox): () => void {
  const camera = { center: map.getCenter(), zoom: map.getZoom() };
  container.style.width = `${PRINT_MAP_SIZE.width}px`;
  container.style.height = `${PRINT_MAP_SIZE.height}px`;
  map.resize();
  map.fitBounds(
    [
      [bbox[0], bbox[1]],
      [bbox[2], bbox[3]],
    ],
    { padding: 40, maxZoom: 13, duration: 0 },
  );
  return () => {
    container.style.width = '';
    container.style.height = '';
    map.resize();
    map.jumpTo(camera);
  };
}

/** Resolves once the map has drawn its tiles (or after `ms`, printing with what is there). */
export function mapIdle(map: MlMap, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    map.once('idle', () => {
      clearTimeout(timer);
      resolve();
    });
    map.triggerRepaint();
  });
}
