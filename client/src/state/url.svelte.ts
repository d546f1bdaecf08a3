// The URL fragment mirrors the view state: a new selection or analysis is a new history
// entry (pushState), anything else replaces the current one (replaceState); back and
// forward restore the state the entry describes. Call mirrorUrl() once, from the shell,
// while it initialises; nothing is written before the layer catalogue is known.
import { decodePermalink, encodePermalink, historyKey } from '../lib/permalink.ts';
import { catalogue } from './catalogue.svelte.ts';
import { viewState } from './view.svelte.ts';

export function mirrorUrl(): void {
  let lastKey = viewState.historyKey;

  $effect(() => {
    if (!catalogue.layers) return;
    const p = viewState.permalink;
    const hash = '#' + encodePermalink(p);
    const key = historyKey(p);
    if (hash !== location.hash) {
      if (key !== lastKey && !viewState.replaceNext) history.pushState(null, '', hash);
      else history.replaceState(null, '', hash);
    }
    lastKey = key;
    viewState.replaceNext = false;
  });

  $effect(() => {
    const restore = () => {
      const p = decodePermalink(location.hash);
      lastKey = historyKey(p);
      viewState.restore(p);
    };
    window.addEventListener('popstate', restore);
    return () => window.removeEventListener('popstate', restore);
  });
}
