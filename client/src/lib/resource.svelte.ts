// One fetch-with-abort for every panel: `resource(key, load)` loads what `key()` names,
// again whenever it changes (or on `reload()`), aborts the request it replaces, and keeps
// the answer, the French error and the loading flag in runes state. Call it while a
// component initialises (it owns an $effect, torn down with the component).
import { untrack } from 'svelte';
import { ApiError } from './http.ts';

export interface Resource<T> {
  /** The last answer (null while none, after an error, or when the key is null). */
  readonly value: T | null;
  /** The server's French message, or `failure` when it gave none. */
  readonly error: string | null;
  readonly loading: boolean;
  /** Loads the same key again (after a save, say). */
  reload(): void;
}

export interface ResourceOptions<K, T> {
  /** Shown when the error carries no French message of its own (network, parse). */
  failure: string;
  /** Keep the previous answer on screen while the next one loads (default: cleared). */
  keepPrevious?: boolean;
  /** Runs once per answer that was not superseded. */
  onload?: (value: T, key: K) => void;
  /** Runs once per failure that was not superseded. */
  onerror?: (message: string, key: K) => void;
}

/** What to show of a failure: the API's French detail, else the caller's sentence. */
export function failureMessage(err: unknown, failure: string): string {
  return err instanceof ApiError ? err.message : failure;
}

/**
 * `key` is read in an effect: every rune it reads is a dependency, and a null key loads
 * nothing. `load` runs untracked (what it reads does not restart the request).
 */
export function resource<K, T>(
  key: () => K | null,
  load: (key: K, signal: AbortSignal) => Promise<T>,
  options: ResourceOptions<K, T>,
): Resource<T> {
  let value = $state<T | null>(null);
  let error = $state<string | null>(null);
  let loading = $state(false);
  let round = $state(0);

  $effect(() => {
    const k = key();
    void round;
    if (k === null) {
      value = null;
      error = null;
      loading = false;
      return;
    }
    const controller = new AbortController();
    untrack(() => {
      loading = true;
      error = null;
      if (!options.keepPrevious) value = null;
    });
    untrack(() => load(k, controller.signal)).then(
      (v) => {
        if (controller.signal.aborted) return;
        value = v;
        loading = false;
        options.onload?.(v, k);
      },
      (err: unknown) => {
        if (controller.signal.aborted) return;
        value = null;
        loading = false;
        error = failureMessage(err, options.failure);
        options.onerror?.(error, k);
      },
    );
    return () => controller.abort();
  });

  return {
    get value() {
      return value;
    },
    get error() {
      return error;
    },
    get loading() {
      return loading;
    },
    reload() {
      round++;
    },
  };
}
