// The registry of territorial health schemes (CLS, ASV, CLSM, PTSM). A scheme's
// perimeter is a reference to another perimeter ("epci:200070407", "commune:95127"…)
// whose communes it takes; an empty reference = perimeter not known yet, still listed.
import { rekey, type CogIndex } from '../../core/cog.ts';
import type { CsvTable } from '../../core/csv/read.ts';
import type { LayerReport, MembershipRow, PerimeterRow, SchemeRow } from '../../core/model.ts';

export const SCHEME_TYPES = ['CLS', 'ASV', 'CLSM', 'PTSM'] as const;
const REF_LAYERS = new Set(['commune', 'epci', 'petr', 'pnr', 'arrondissement', 'departement', 'region']);

const num = (v: string | undefined) => (v && Number.isFinite(Number(v.replace(',', '.'))) ? Number(v.replace(',', '.')) : null);
const text = (v: string | undefined) => (v && v.trim() ? v.trim() : null);

export function parsePerimeterRef(ref: string): { layer: string; code: string } | null {
  const m = /^([a-z]+):(.+)$/.exec(ref.trim());
  if (!m || !REF_LAYERS.has(m[1]!)) return null;
  return { layer: m[1]!, code: m[2]!.trim() };
}

export function loadSchemes(
  table: CsvTable,
  cog: CogIndex,
  membershipsOf: (layer: string, code: string) => MembershipRow[],
): { schemes: SchemeRow[]; perimeters: PerimeterRow[]; memberships: MembershipRow[]; report: LayerReport } {
  const schemes: SchemeRow[] = [];
  const perimeters: PerimeterRow[] = [];
  const memberships: MembershipRow[] = [];
  const warnings: string[] = [];
  const unknown: string[] = [];
  const rekeyed: { from: string; to: string }[] = [];
  for (const row of table.rows) {
    const code = text(row.id);
    const type = text(row.type)?.toUpperCase();
    if (!code || !type || !(SCHEME_TYPES as readonly string[]).includes(type)) {
      warnings.push(`ligne ignorée : identifiant ou type invalide (${row.id ?? ''}, ${row.type ?? ''})`);
      continue;
    }
    const ref = text(row.perimetre);
    let members: MembershipRow[] = [];
    if (ref) {
      const parsed = parsePerimeterRef(ref);
      if (!parsed) {
        warnings.push(`${code} : périmètre illisible « ${ref} »`);
      } else if (parsed.layer === 'commune') {
        const r = rekey(cog, parsed.code);
        if (r.code) {
          if (r.status === 'rekeyed') rekeyed.push({ from: parsed.code, to: r.code });
          members = [{ layer: 'scheme', code, commune: r.code, share: 1 }];
        } else unknown.push(parsed.code);
      } else {
        members = membershipsOf(parsed.layer, parsed.code).map((m) => ({ ...m, layer: 'scheme', code }));
        if (!members.length) warnings.push(`${code} : périmètre ${ref} inconnu ou vide`);
      }
    }
    memberships.push(...members);
    const scheme: SchemeRow = {
      code,
      type,
      name: text(row.nom) ?? code,
      bearerType: text(row.porteur_type),
      bearerName: text(row.porteur_nom),
      perimeterRef: ref,
      startDate: text(row.debut),
      generation: num(row.generation),
      coordinationFte: num(row.coordination_etp),
      status: text(row.statut),
      source: text(row.source),
      remark: text(row.remarque),
    };
    schemes.push(scheme);
    perimeters.push({
      layer: 'scheme',
      code,
      name: scheme.name,
      subtype: type,
      attrs: { perimeterKnown: members.length > 0, status: scheme.status },
    });
  }
  return { schemes, perimeters, memberships, report: { rows: schemes.length, warnings, unknown, rekeyed } };
}
