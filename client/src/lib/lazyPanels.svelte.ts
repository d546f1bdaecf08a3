// Components the first map does not need, loaded on first use so that they stay out of
// the first bundle: the analysis panels and the registry editor's forms (Vite puts each
// dynamic import in its own chunk). `loaded` is reactive: a view renders its panel once
// the chunk is there; `ensure` loads it (call it before focusing a panel).
const loaders = {
  compare: () => import('../components/ComparePanel.svelte'),
  entanglement: () => import('../components/EntanglementPanel.svelte'),
  gaps: () => import('../components/GapsPanel.svelte'),
  load: () => import('../components/LoadPanel.svelte'),
  panorama: () => import('../components/PanoramaPanel.svelte'),
  editor: () => import('../components/SchemeEditor.svelte'),
  upload: () => import('../components/PerimeterUpload.svelte'),
  versions: () => import('../components/PerimeterVersions.svelte'),
};

export type LazyPanel = keyof typeof loaders;
type Loaded = { [K in LazyPanel]?: Awaited<ReturnType<(typeof loaders)[K]>>['default'] };

class LazyPanels {
  loaded = $state<Loaded>({});

  /** Loads a panel's chunk (once); resolves when the panel can be rendered. */
  async ensure<K extends LazyPanel>(name: K): Promise<void> {
    if (this.loaded[name]) return;
    const module = await loaders[name]();
    this.loaded = { ...this.loaded, [name]: module.default };
  }
}

export const lazyPanels = new LazyPanels();
