// One value kept while its key — a data version of what it reads — stays the same: the
// communes of France behind the national gaps answer, each part of the search index.
// Callers asking while it is computed share the computation; a failure is forgotten, so
// the next caller computes again.

export class KeptWhile<T> {
  private kept: { key: string; value: Promise<T> } | null = null;

  get(key: string, compute: () => Promise<T>): Promise<T> {
    if (this.kept?.key !== key) {
      const value = compute();
      const kept = { key, value };
      this.kept = kept;
      value.catch(() => {
        if (this.kept === kept) this.kept = null;
      });
    }
    return this.kept.value;
  }
}
