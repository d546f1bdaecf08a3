// Unsaved edits are never discarded without asking: an editor holding changes registers
// a check here; whatever would close it (another territory, another view, closing the
// sheet, leaving the page) asks first.
const checks = new Set<() => boolean>();

export const UNSAVED_QUESTION = 'Des modifications de la démarche ne sont pas enregistrées. Les abandonner ?';

/** Registers an editor's "has unsaved changes" check; returns the unregistering function. */
export function watchUnsaved(dirty: () => boolean): () => void {
  checks.add(dirty);
  return () => checks.delete(dirty);
}

export function hasUnsaved(): boolean {
  return [...checks].some((dirty) => dirty());
}

/** True when nothing unsaved would be lost, or the user agreed to lose it. */
export function mayDiscard(): boolean {
  return !hasUnsaved() || confirm(UNSAVED_QUESTION);
}
