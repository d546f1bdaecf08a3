// The scheme editor's form, as pure functions: the text fields a scheme fills, and the
// patch its changes make (only the fields that differ from the version read; a changed
// perimeter is sent whole). SchemeEditor.svelte holds the state; this module decides
// what is sent, so it is unit-tested without a browser (test/unit/scheme-form.test.ts).
import type { SchemePatch, SchemeRecord } from './registry.ts';

/** The editor's fields, as the inputs hold them (text; lists for themes and signatories). */
export interface SchemeForm {
  type: string;
  name: string;
  bearerType: string;
  bearerName: string;
  signatureDate: string;
  endDate: string;
  generation: string;
  status: string;
  coordinationFte: string;
  remark: string;
  themes: string[];
  signatories: string[];
}

/** A grouping added whole to the perimeter (found by search). */
export interface PerimeterGroup {
  layer: 'epci' | 'petr' | 'pnr';
  code: string;
  name: string;
}

/** The perimeter as edited: communes kept or picked, groupings added, codes pasted. */
export interface PerimeterDraft {
  communes: string[];
  groups: PerimeterGroup[];
  pasted: string;
}

const text = (v: unknown) => (v == null ? '' : String(v));
/** An emptied field is null; others are trimmed. */
const orNull = (v: string) => (v.trim() === '' ? null : v.trim());

/** The form before the scheme is read. */
export function emptyForm(): SchemeForm {
  return {
    type: '',
    name: '',
    bearerType: '',
    bearerName: '',
    signatureDate: '',
    endDate: '',
    generation: '',
    status: '',
    coordinationFte: '',
    remark: '',
    themes: [],
    signatories: [],
  };
}

export function formFromScheme(scheme: SchemeRecord): SchemeForm {
  return {
    type: scheme.type,
    name: scheme.name,
    bearerType: text(scheme.bearerType),
    bearerName: text(scheme.bearerName),
    signatureDate: text(scheme.signatureDate),
    endDate: text(scheme.endDate),
    generation: text(scheme.generation),
    status: text(scheme.status),
    coordinationFte: text(scheme.coordinationFte),
    remark: text(scheme.remark),
    themes: [...scheme.themes],
    signatories: [...scheme.signatories],
  };
}

/** Communes the draft adds to the version read, and those it removes. */
export function perimeterDiff(original: SchemeRecord, communes: string[]): { added: string[]; removed: string[] } {
  const before = new Set(original.communes.map((c) => c.code));
  const after = new Set(communes);
  return {
    added: communes.filter((c) => !before.has(c)),
    removed: original.communes.map((c) => c.code).filter((c) => !after.has(c)),
  };
}

export function perimeterChanged(original: SchemeRecord, draft: PerimeterDraft): boolean {
  const { added, removed } = perimeterDiff(original, draft.communes);
  return added.length > 0 || removed.length > 0 || draft.groups.length > 0 || draft.pasted.trim() !== '';
}

/** The fields that differ from `original` ("1,5" ETP read as 1.5); the perimeter whole when it changed. */
export function buildPatch(original: SchemeRecord, form: SchemeForm, draft: PerimeterDraft): SchemePatch {
  const o = original;
  const patch: SchemePatch = {};
  if (form.type !== o.type) patch.type = form.type;
  if (form.name.trim() !== o.name) patch.name = form.name.trim();
  for (const key of ['bearerType', 'bearerName', 'signatureDate', 'endDate', 'status', 'remark'] as const) {
    const value = orNull(form[key]);
    if (value !== o[key]) patch[key] = value;
  }
  const generation = form.generation.trim() === '' ? null : Number(form.generation);
  if (generation !== o.generation) patch.generation = generation;
  const fte = form.coordinationFte.trim() === '' ? null : Number(form.coordinationFte.replace(',', '.'));
  if (fte !== o.coordinationFte) patch.coordinationFte = fte;
  if (JSON.stringify(form.themes) !== JSON.stringify(o.themes)) patch.themes = [...form.themes];
  if (JSON.stringify(form.signatories) !== JSON.stringify(o.signatories)) patch.signatories = [...form.signatories];
  if (perimeterChanged(o, draft)) {
    const codes = (layer: PerimeterGroup['layer']) => draft.groups.filter((g) => g.layer === layer).map((g) => g.code);
    patch.perimeter = {
      communes: [...draft.communes],
      epci: codes('epci'),
      petr: codes('petr'),
      pnr: codes('pnr'),
      ...(draft.pasted.trim() ? { pasted: draft.pasted } : {}),
    };
  }
  return patch;
}
