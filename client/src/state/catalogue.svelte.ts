// The layers the server offers and how to draw them, loaded once at start: the catalogue
// (GET /api/layers), its legend entries, and the map's configuration (basemap opt-in,
// static tile archives). Every panel reads the same entries from here.
import { api, ApiError, type LayerInfo } from '../lib/api.ts';
import { buildEntries, type LayerEntry } from '../lib/layers.ts';

class Catalogue {
  layers = $state<LayerInfo[] | null>(null);
  entries = $derived<LayerEntry[]>(this.layers ? buildEntries(this.layers) : []);
  /** An online basemap's style, only when the server is configured for one (opt-in). */
  basemapStyleUrl = $state<string | null>(null);
  /** Static PMTiles archives instead of the live tiles, when the server names them. */
  tilesUrl = $state<string | null>(null);
  error = $state<string | null>(null);

  /** Layer ids drawable here (empty until loaded). */
  get known(): Set<string> {
    return new Set(this.entries.map((e) => e.id));
  }

  async load(): Promise<void> {
    try {
      const [layers, config] = await Promise.all([api.layers(), api.config()]);
      this.basemapStyleUrl = config.basemapStyleUrl;
      this.tilesUrl = config.tilesUrl ?? null;
      this.layers = layers;
    } catch (err) {
      this.error = err instanceof ApiError ? err.message : 'Le catalogue des couches n’a pas pu être chargé.';
    }
  }
}

export const catalogue = new Catalogue();
