// The view state of the application: the layers shown and their opacity, the map's
// centre and zoom, the selected territory, the analysis shown with the parameters of
// each (kept when switching views, so that coming back finds them), the scheme being
// created, what the map highlights, and what the panels ask of the shell (select a
// territory, frame an extent, name the view, go back to the map). It starts from the
// URL fragment and is mirrored there by state/url.svelte.ts.
// Length: one class holding the view state and every action on it, so the shell's rules read in one place.
import { untrack } from 'svelte';
import { DEFAULT_LAYERS, sourcesOf } from '../lib/layers.ts';
import type { Territory } from '../lib/api.ts';
import type { Bbox } from '../lib/bbox.ts';
import type { MapHighlight } from '../lib/highlight.ts';
import { lazyPanels } from '../lib/lazyPanels.svelte.ts';
import {
  decodePermalink,
  historyKey,
  sameSelection,
  type Analysis,
  type AnalysisKind,
  type MapView,
  type Permalink,
  type TerritoryRef,
} from '../lib/permalink.ts';
import type { SchemeRecord } from '../lib/registry.ts';
import { mayDiscard } from '../lib/unsaved.ts';
import { BASKET_FULL, compareBasket } from './compareBasket.svelte.ts';
import { catalogue } from './catalogue.svelte.ts';
import { mapContext } from './map.svelte.ts';

const DEFAULT_GAP_LAYER = 'cls';

/** What takes the focus once rendered: the sheet, the analysis panel, the new scheme's form. */
export type FocusTarget = 'sheet' | 'panel' | 'creator';

/** How a territory is opened: frame the map on it, move the focus to its sheet. */
export interface OpenHow {
  fly: boolean;
  focus: boolean;
}

export class ViewState {
  active = $state<string[]>(DEFAULT_LAYERS);
  opacity = $state<Record<string, number>>({});
  selection = $state<TerritoryRef | null>(null);
  /** Centre and zoom of the map, as it reports them. */
  camera = $state<MapView | null>(null);
  /** Said by the live region. */
  announce = $state('');
  /** The scheme editor is picking communes on the map. */
  pickingCommunes = $state(false);
  /** While picking: the commune at the centre of the map (named by PickCentre, outlined by the map). */
  centreCommune = $state<{ code: string; name: string } | null>(null);
  /** A new scheme is being entered (the scheme editor in create mode, in the sheet panel). */
  creating = $state(false);
  /** The analysis shown (null: the map and the sheet). */
  mode = $state<AnalysisKind | null>(null);
  gapsLayer = $state<string | null>(DEFAULT_GAP_LAYER);
  gapsWithin = $state<TerritoryRef | 'france' | null>(null);
  loadSchemes = $state<string[]>([]);
  panorama = $state<Extract<Analysis, { kind: 'panorama' }>>({ kind: 'panorama', within: 'france', fictif: false });
  /** The compare view adds the perimeters clicked on the map. */
  picking = $state(false);
  /** What the map draws over the layers (an analysis's result). */
  highlight = $state<MapHighlight | null>(null);
  /** The name of the sheet or analysis shown (tab, print title). */
  title = $state('');
  /** The side panel opened or closed by the user (null: open on the map, closed in analyses). */
  sideChoice = $state<boolean | null>(null);
  /** Who takes the focus once rendered (the shell clears it). */
  focusRequest = $state<FocusTarget | null>(null);
  /** The extent of the territory or analysis shown, with the view it belongs to. */
  #frame = $state<{ key: string; bbox: Bbox } | null>(null);
  /** The map view came with the URL: analyses must not move it until the user acts. */
  viewFromUrl = false;
  /** The next URL write replaces the entry (a former commune code answered with the current one). */
  replaceNext = false;
  /** What to do once the selected territory's sheet has loaded. */
  #pending: ({ ref: TerritoryRef } & OpenHow) | null = null;

  analysis = $derived<Analysis | null>(
    this.mode === 'compare'
      ? { kind: 'compare', perimeters: compareBasket.perimeters }
      : this.mode === 'gaps'
        ? { kind: 'gaps', layer: this.gapsLayer, within: this.gapsWithin }
        : this.mode === 'load'
          ? { kind: 'load', schemes: this.loadSchemes }
          : this.mode === 'entanglement'
            ? { kind: 'entanglement' }
            : this.mode === 'panorama'
              ? this.panorama
              : null,
  );
  /** The sheet is shown without an analysis; the entanglement view is of the selection. */
  shownSelection = $derived(this.mode === null || this.mode === 'entanglement' ? this.selection : null);
  sideOpen = $derived(this.sideChoice ?? this.mode === null);
  /** The extent the printed map is framed on (null: the view as seen). */
  printBbox = $derived(this.#frame && (this.selection || this.mode) && this.#frame.key === this.#frameKey() ? this.#frame.bbox : null);
  /** The tab's and the printed page's title. */
  printTitle = $derived(
    this.mode === null && !this.selection ? 'Carte des démarches territoriales de santé' : this.title || 'Millefeuille',
  );
  /** The sources of what is drawn: the active layers, and the communes the analyses count. */
  printSources = $derived(
    sourcesOf(catalogue.entries, [
      ...this.active,
      ...(this.mode || this.selection ? ['commune'] : []),
      ...(this.selection ? [this.selection.layer] : []),
    ]),
  );
  /** What the URL says of this state (opacity only where changed). */
  permalink = $derived<Permalink>({
    view: this.camera,
    layers: this.active,
    opacity: Object.fromEntries(Object.entries(this.opacity).filter(([, v]) => v !== 1)),
    analysis: this.analysis,
    selection: this.shownSelection,
  });

  /** Starts from a permalink (the URL at load). */
  constructor(initial: Permalink) {
    this.restore(initial);
    this.camera = initial.view;
    // a shared link to a sheet without a map view frames the territory
    if (initial.selection && !initial.view && !initial.analysis) this.#pending = { ref: initial.selection, fly: true, focus: false };
  }

  /** Takes the state a permalink describes (start, or back/forward in history). */
  restore(p: Permalink): void {
    const known = catalogue.known;
    this.active = (p.layers ?? DEFAULT_LAYERS).filter((id) => known.size === 0 || known.has(id));
    this.opacity = p.opacity;
    this.selection = p.selection;
    this.viewFromUrl = p.view !== null;
    const a = p.analysis;
    this.picking = false;
    if (!a) this.highlight = null;
    this.mode = a?.kind ?? null;
    if (a?.kind === 'compare') compareBasket.set(a.perimeters);
    if (a?.kind === 'gaps') {
      this.gapsLayer = a.layer;
      this.gapsWithin = a.within;
    }
    if (a?.kind === 'load') this.loadSchemes = a.schemes;
    if (a?.kind === 'panorama') this.panorama = a;
    if (p.view) {
      this.camera = p.view;
      mapContext.jumpTo(p.view);
    }
  }

  /** The catalogue has loaded: layers it does not offer are dropped. */
  keepKnownLayers(): void {
    const known = catalogue.known;
    this.active = this.active.filter((id) => known.has(id));
  }

  /** The key of the history entry (a new selection or analysis is a new entry). */
  get historyKey(): string {
    return historyKey(this.permalink);
  }

  /** Opens a territory's sheet (leaving any analysis), unless an unsaved edit is kept. */
  select(ref: TerritoryRef, how: OpenHow = { fly: true, focus: true }): void {
    if (!mayDiscard()) return;
    this.creating = false;
    this.#pending = { ref, ...how };
    this.selection = ref;
    this.leaveAnalysis();
  }

  leaveAnalysis(): void {
    this.mode = null;
    this.picking = false;
    this.pickingCommunes = false;
    this.highlight = null;
  }

  /** A click on the map: adds to the comparison while picking, else opens the sheet. */
  mapSelect(ref: TerritoryRef): void {
    if (this.mode === 'compare' && this.picking) this.addToComparison(ref);
    else this.select(ref, { fly: false, focus: false });
  }

  /** A perimeter picked on the map; a full comparison refuses it and stops picking. */
  addToComparison(ref: TerritoryRef): void {
    this.viewFromUrl = false;
    if (compareBasket.has(ref)) return;
    this.announce = compareBasket.add(ref) ? 'Périmètre ajouté à la comparaison.' : `${BASKET_FULL}.`;
    if (compareBasket.full) this.picking = false;
  }

  /** Opens an analysis view (null: back to the map); its panel then takes the focus. */
  async openView(kind: AnalysisKind | null): Promise<void> {
    if (!mayDiscard()) return;
    this.viewFromUrl = false;
    this.creating = false;
    this.picking = false;
    if (kind === null) {
      this.leaveAnalysis();
      this.selection = null;
      this.announce = 'Carte.';
      return;
    }
    if (kind !== 'entanglement') this.selection = null;
    if (kind === 'gaps' && !this.gapsLayer) this.gapsLayer = DEFAULT_GAP_LAYER;
    this.highlight = null;
    await lazyPanels.ensure(kind);
    this.mode = kind;
    this.focusRequest = 'panel';
  }

  /** The user changed an analysis's parameters: the map is theirs to move again. */
  touched(): void {
    this.viewFromUrl = false;
  }

  /** The compare view of a past version of a scheme against its current perimeter. */
  compareVersion(code: string, version: number): void {
    compareBasket.set([
      { layer: 'scheme', code: `${code}@${version}` },
      { layer: 'scheme', code },
    ]);
    void this.openView('compare');
  }

  /** An analysis or sheet knows its extent: it frames the print, and the map unless the URL set the view. */
  showExtent(bbox: Bbox): void {
    // called from panels' effects: what it reads must not make them run again
    untrack(() => {
      this.#frame = { key: this.#frameKey(), bbox };
      if (!this.viewFromUrl) mapContext.fit(bbox);
    });
  }

  /** The selected territory's sheet has loaded: name it, and frame or focus it as asked. */
  sheetLoaded(t: Territory): void {
    this.announce = `Fiche ouverte : ${t.name}.`;
    this.title = t.name;
    const sel = this.selection;
    if (sel && sel.code !== t.code && sel.layer === t.layer) {
      // a former commune code: the server answered with the current one
      this.replaceNext = true;
      const p = this.#pending;
      if (p && sameSelection(p.ref, sel)) this.#pending = { ...p, ref: { layer: t.layer, code: t.code } };
      this.selection = { layer: t.layer, code: t.code };
    }
    if (t.bbox) this.#frame = { key: this.#frameKey(), bbox: t.bbox };
    const p = this.#pending;
    if (!p || p.ref.layer !== t.layer || p.ref.code !== t.code) return;
    this.#pending = null;
    if (p.fly && t.bbox) mapContext.fit(t.bbox);
    if (p.focus) this.focusRequest = 'sheet';
  }

  closeSheet(): void {
    if (!mayDiscard()) return;
    this.selection = null;
    this.#pending = null;
    this.announce = 'Fiche fermée.';
    globalThis.document?.querySelector<HTMLElement>('.maplibregl-canvas')?.focus();
  }

  /** "Nouvelle démarche": the scheme editor in create mode, in place of the sheet. */
  async startCreate(): Promise<void> {
    if (!mayDiscard()) return;
    this.leaveAnalysis();
    this.selection = null;
    this.creating = true;
    this.announce = 'Nouvelle démarche.';
    await lazyPanels.ensure('editor');
    this.focusRequest = 'creator';
  }

  cancelCreate(): void {
    this.creating = false;
    this.pickingCommunes = false;
  }

  /** A scheme was saved: recolour (statuses) and redraw (perimeter) it on the map. */
  schemeSaved(s: SchemeRecord): void {
    this.announce = `Démarche enregistrée : ${s.name}.`;
    mapContext.redrawSchemes();
  }

  /** A scheme was created: drawn on the map (like an edit), then its sheet opens. */
  schemeCreated(s: SchemeRecord): void {
    this.creating = false;
    this.schemeSaved(s);
    this.announce = `Démarche créée : ${s.name}.`;
    this.select({ layer: 'scheme', code: s.code }, { fly: true, focus: true });
  }

  /** Picking communes for a perimeter: the commune layer shows what is picked. */
  setPickingCommunes(on: boolean): void {
    this.pickingCommunes = on;
    untrack(() => {
      if (on && !this.active.includes('commune') && catalogue.known.has('commune')) this.toggle('commune', true);
    });
  }

  toggle(id: string, on: boolean): void {
    this.active = on ? [...this.active.filter((a) => a !== id), id] : this.active.filter((a) => a !== id);
  }

  setOpacity(id: string, value: number): void {
    this.opacity = { ...this.opacity, [id]: value };
  }

  #frameKey(): string {
    return `${this.mode ?? ''}|${this.selection ? `${this.selection.layer}:${this.selection.code}` : ''}`;
  }
}

/** The view state of the page, started from its URL. */
export const viewState = new ViewState(decodePermalink(globalThis.location?.hash ?? ''));
