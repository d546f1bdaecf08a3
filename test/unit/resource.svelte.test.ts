// resource() (client/src/lib/resource.svelte.ts), the panels' one fetch-with-abort: run
// under Svelte's client runtime (an effect root, flushSync), with promises the test
// settles by hand, so the order of answers is chosen, not raced.
import { flushSync } from 'svelte';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../client/src/lib/http.ts';
import { resource, type Resource } from '../../client/src/lib/resource.svelte.ts';

interface Pending {
  key: string;
  signal: AbortSignal;
  resolve: (v: string) => void;
  reject: (e: unknown) => void;
}

/** A resource keyed on a rune the test sets, whose loads wait for the test. */
function harness(options: { keepPrevious?: boolean } = {}) {
  let key = $state<string | null>('a');
  const pending: Pending[] = [];
  const loaded: string[] = [];
  const failed: string[] = [];
  let r!: Resource<string>;
  const stop = $effect.root(() => {
    r = resource(
      () => key,
      (k, signal) => new Promise<string>((resolve, reject) => pending.push({ key: k, signal, resolve, reject })),
      { failure: 'Échec générique.', onload: (v) => loaded.push(v), onerror: (m) => failed.push(m), ...options },
    );
  });
  flushSync();
  return {
    r,
    pending,
    loaded,
    failed,
    stop,
    setKey(k: string | null) {
      key = k;
      flushSync();
    },
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('resource()', () => {
  it('loads the key, shows loading, then the answer', async () => {
    const h = harness();
    expect(h.pending.map((p) => p.key)).toEqual(['a']);
    expect(h.r.loading).toBe(true);
    h.pending[0]!.resolve('A');
    await settle();
    expect(h.r.value).toBe('A');
    expect(h.r.loading).toBe(false);
    expect(h.loaded).toEqual(['A']);
    h.stop();
  });

  it('aborts the request a new key replaces, and never shows its late answer', async () => {
    const h = harness();
    h.setKey('b');
    expect(h.pending.map((p) => p.key)).toEqual(['a', 'b']);
    expect(h.pending[0]!.signal.aborted).toBe(true);
    h.pending[1]!.resolve('B');
    h.pending[0]!.resolve('A late');
    await settle();
    expect(h.r.value).toBe('B');
    expect(h.loaded).toEqual(['B']);
    h.stop();
  });

  it('clears the previous answer while loading, unless asked to keep it', async () => {
    for (const keepPrevious of [false, true]) {
      const h = harness({ keepPrevious });
      h.pending[0]!.resolve('A');
      await settle();
      h.setKey('b');
      expect(h.r.value).toBe(keepPrevious ? 'A' : null);
      expect(h.r.loading).toBe(true);
      h.stop();
    }
  });

  it('says the API’s French message, or the caller’s sentence for other failures', async () => {
    const h = harness();
    h.pending[0]!.reject(new ApiError(404, 'Aucun territoire ne porte ce code.'));
    await settle();
    expect(h.r.error).toBe('Aucun territoire ne porte ce code.');
    expect(h.r.value).toBeNull();
    h.setKey('b');
    expect(h.r.error).toBeNull();
    h.pending[1]!.reject(new TypeError('Failed to fetch'));
    await settle();
    expect(h.r.error).toBe('Échec générique.');
    expect(h.failed).toEqual(['Aucun territoire ne porte ce code.', 'Échec générique.']);
    h.stop();
  });

  it('loads nothing for a null key, and again on reload()', async () => {
    const h = harness();
    h.pending[0]!.resolve('A');
    await settle();
    h.setKey(null);
    expect(h.r.value).toBeNull();
    expect(h.pending).toHaveLength(1);
    h.setKey('c');
    h.r.reload();
    flushSync();
    expect(h.pending.map((p) => p.key)).toEqual(['a', 'c', 'c']);
    expect(h.pending[1]!.signal.aborted).toBe(true);
    h.stop();
    expect(h.pending[2]!.signal.aborted).toBe(true);
  });
});
