// The best few of many scored results, kept in order as they come: a search for "s"
// scores thousands of names but shows ten, and sorting them all (with a French collator
// on every tie) cost more than scoring them.

/** Keeps the `limit` smallest items under `before` (a strict total order), sorted. */
export class TopK<T> {
  readonly items: T[] = [];

  constructor(
    private readonly limit: number,
    private readonly before: (a: T, b: T) => boolean,
  ) {}

  get full(): boolean {
    return this.items.length === this.limit;
  }

  /** The last item kept (the one a newcomer must beat once full). */
  get last(): T | undefined {
    return this.items[this.items.length - 1];
  }

  offer(item: T): void {
    const items = this.items;
    if (items.length === this.limit && !this.before(item, items[items.length - 1]!)) return;
    let i = items.length;
    while (i > 0 && this.before(item, items[i - 1]!)) i--;
    items.splice(i, 0, item);
    if (items.length > this.limit) items.pop();
  }
}
