// The perimeters chosen for a comparison (at most MAX_COMPARED), in one runes object
// shared by the territory sheet (which fills it without leaving the sheet), the compare
// view and the application shell (which mirrors it in the permalink). A full basket
// refuses additions instead of dropping a perimeter the user chose.
import { MAX_COMPARED, refString, sameSelection, type TerritoryRef } from '../lib/permalink.ts';

/** Shown wherever an add control is disabled because the basket is full. */
export const BASKET_FULL = `${MAX_COMPARED} périmètres au plus : retirez-en un pour en ajouter`;
/** Id of the element showing BASKET_FULL beside the sheet's disabled controls. */
export const BASKET_FULL_ID = 'compare-basket-full';

/** What the basket shows of a perimeter: its name and the name of its layer. */
export interface BasketLabel {
  name: string;
  kind: string;
  fictif?: boolean;
}

class CompareBasket {
  perimeters = $state<TerritoryRef[]>([]);
  /** Labels known from where the perimeters were picked, by refString. */
  labels = $state<Record<string, BasketLabel>>({});
  /** The last change, said by a live region. */
  notice = $state('');

  get count(): number {
    return this.perimeters.length;
  }

  /** Places left before the limit. */
  get room(): number {
    return Math.max(0, MAX_COMPARED - this.perimeters.length);
  }

  get full(): boolean {
    return this.room === 0;
  }

  has(ref: TerritoryRef): boolean {
    return this.perimeters.some((p) => sameSelection(p, ref));
  }

  label(ref: TerritoryRef): BasketLabel | undefined {
    return this.labels[refString(ref)];
  }

  remember(ref: TerritoryRef, label: BasketLabel): void {
    if (this.labels[refString(ref)]?.name !== label.name) this.labels[refString(ref)] = label;
  }

  /** Adds one perimeter; false when it is already there or the basket is full. */
  add(ref: TerritoryRef, label?: BasketLabel): boolean {
    return this.addAll([{ ref, label }]) > 0;
  }

  /** Adds the perimeters not yet chosen, all of them or none when they do not fit;
   *  returns how many were added. */
  addAll(items: { ref: TerritoryRef; label?: BasketLabel }[]): number {
    const fresh = items.filter((x, i) => !this.has(x.ref) && items.findIndex((y) => sameSelection(x.ref, y.ref)) === i);
    if (!fresh.length) return 0;
    if (fresh.length > this.room) {
      this.notice = this.full ? `${BASKET_FULL}.` : `Il reste ${this.room} place${this.room > 1 ? 's' : ''} : rien n’a été ajouté.`;
      return 0;
    }
    for (const x of fresh) if (x.label) this.remember(x.ref, x.label);
    this.perimeters = [...this.perimeters, ...fresh.map((x) => ({ layer: x.ref.layer, code: x.ref.code }))];
    const what = fresh.length === 1 ? (fresh[0]!.label?.name ?? 'Un périmètre') : `${fresh.length} périmètres`;
    this.notice = `${what} ajouté${fresh.length > 1 ? 's' : ''} à la comparaison (${this.count} sur ${MAX_COMPARED}).`;
    return fresh.length;
  }

  remove(ref: TerritoryRef): void {
    this.perimeters = this.perimeters.filter((p) => !sameSelection(p, ref));
    this.notice = `${this.label(ref)?.name ?? 'Le périmètre'} retiré de la comparaison (${this.count} sur ${MAX_COMPARED}).`;
  }

  clear(): void {
    this.perimeters = [];
    this.notice = 'Comparaison vidée.';
  }

  /** Replaces the whole list (a permalink, the compare view's own choices). */
  set(list: TerritoryRef[]): void {
    this.perimeters = list.slice(0, MAX_COMPARED);
  }
}

export const compareBasket = new CompareBasket();
