// The codes each recent selection matches, in order, kept per data version. A client
// paging through a collection (GDAL, QGIS) asks for the same selection page after page:
// with OFFSET, every page would sort the whole selection again and count it again (on
// the 34,875 communes, ≈ 25 ms for page 349 as for page 1). Kept here, a page is a slice
// of the list and a primary-key lookup of its codes, and numberMatched is the list's length.
import type { Queryable } from '../../core/db/db.ts';
import { matchingCodes, type FeatureSelection } from '../queries/ogc.ts';

/** Selections kept (least recently used dropped first): ≈ 1 MB for all communes. */
const MAX_SELECTIONS = 16;

export class SelectionCache {
  private readonly entries = new Map<string, Promise<string[]>>();

  constructor(
    private readonly db: Queryable,
    private readonly dataVersion: () => number,
    private readonly maxEntries = MAX_SELECTIONS,
  ) {}

  codes(selection: FeatureSelection): Promise<string[]> {
    const key = `${this.dataVersion()}|${JSON.stringify(selection)}`;
    let codes = this.entries.get(key);
    if (codes) this.entries.delete(key);
    else {
      codes = matchingCodes(this.db, selection);
      // a failed read is not kept: the next request tries again
      codes.catch(() => {
        if (this.entries.get(key) === codes) this.entries.delete(key);
      });
    }
    this.entries.set(key, codes);
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    return codes;
  }
}
