// Extents [west, south, east, north] in degrees (contract/bbox.ts), and the client's start frame.
import type { Bbox } from '../../../contract/bbox.ts';

export { unionBbox, type Bbox } from '../../../contract/bbox.ts';

/** Metropolitan France: the start view, and the frame of national analyses. */
export const METROPOLE: Bbox = [-5.2, 41.3, 9.6, 51.1];
