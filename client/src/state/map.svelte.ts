// The map context: what panels and the view state ask of the map without holding it —
// frame an extent, jump to a view, redraw the registry's schemes. The map component
// attaches itself once created; a frame asked before that is applied on attach.
import type { Bbox } from '../lib/bbox.ts';
import type { MapView } from '../lib/permalink.ts';

/** What the map component offers (MapView.svelte's exported functions). */
export interface MapHandle {
  fitBbox(bbox: Bbox): void;
  jumpTo(view: MapView): void;
  reloadSchemeTiles(): void;
  refreshSchemes(): Promise<number>;
}

class MapContext {
  #handle: MapHandle | null = null;
  #pendingFit: Bbox | null = null;

  attach(handle: MapHandle | null): void {
    this.#handle = handle;
    if (handle && this.#pendingFit) {
      handle.fitBbox(this.#pendingFit);
      this.#pendingFit = null;
    }
  }

  /** Frames the map on an extent, now or as soon as the map exists (a sheet may load first). */
  fit(bbox: Bbox): void {
    if (this.#handle) this.#handle.fitBbox(bbox);
    else this.#pendingFit = bbox;
  }

  jumpTo(view: MapView): void {
    this.#handle?.jumpTo(view);
  }

  /** A scheme was saved: new tiles for its perimeter, new colours for its status. */
  redrawSchemes(): void {
    this.#handle?.reloadSchemeTiles();
    void this.#handle?.refreshSchemes();
  }
}

export const mapContext = new MapContext();
