// Real CPTS of Provence-Alpes-Côte d'Azur from the ARS listing (one row per CPTS and
// commune). Three kinds of members:
//   - a whole commune: share 1;
//   - Marseille listed with some of its arrondissements municipaux: a partial member whose
//     share is the population of those arrondissements over Marseille's (COG population);
//   - a commune shared by several CPTS with no finer split (`commune_partagee_sans_maille_infra
//     = oui`, e.g. Nice ×3, Toulon ×2): a member of each with share NULL (a part of unknown
//     size, as atlas.membership defines it), listed in the perimeter's attrs so the sheet
//     says the split is unknown.
import { rekey, type CogIndex } from '../../core/cog.ts';
import type { Decoupage } from '../decoupage.ts';
import type { LayerReport, MembershipRow, PerimeterRow } from '../../core/model.ts';
import type { CsvTable } from '../../core/csv/read.ts';
import { codeFromName } from '../../core/perimeters/fields.ts';

export const CPTS_PACA_SOURCE = "ARS Provence-Alpes-Côte d'Azur";
export const CPTS_PACA_VINTAGE = 'listing ARS de janvier 2026';
/** The région the listing covers: the reference import replaces the CPTS of this région only. */
export const CPTS_PACA_REGION = '93';
export const SHARED_NOTE = 'partage sans maille infra-communale : la part de la commune dans chaque CPTS est inconnue';

/**
 * "CPTS Aix Sainte Victoire" -> "CPTS-AIX-SAINTE-VICTOIRE": the code an import of the same
 * listing would give (codeFromName), so that an ARS re-importing it replaces these units.
 */
export const cptsCode = (name: string): string => codeFromName(name) ?? name;

export function loadCptsPaca(
  table: CsvTable,
  cog: CogIndex,
  decoupage: Decoupage,
): { perimeters: PerimeterRow[]; memberships: MembershipRow[]; report: LayerReport } {
  const population = new Map(decoupage.communes.map((c) => [c.code, c.population ?? 0]));
  const communeName = new Map(decoupage.communes.filter((c) => c.type === 'commune-actuelle').map((c) => [c.code, c.nom]));
  const report: LayerReport = { rows: 0, rekeyed: [], unknown: [], partial: [], warnings: [] };
  const groups = new Map<string, { name: string; rows: Record<string, string>[] }>();
  for (const row of table.rows) {
    const name = row.cpts_nom?.trim();
    if (!name) continue;
    const code = cptsCode(name);
    const g = groups.get(code) ?? { name, rows: [] };
    g.rows.push(row);
    groups.set(code, g);
  }
  // communes shared without a finer split, and the CPTS sharing each
  const sharedBy = new Map<string, string[]>();
  for (const [, g] of groups)
    for (const r of g.rows)
      if (r.commune_partagee_sans_maille_infra === 'oui')
        sharedBy.set(r.insee_com_2025!, [...(sharedBy.get(r.insee_com_2025!) ?? []), g.name]);

  const perimeters: PerimeterRow[] = [];
  const memberships: MembershipRow[] = [];
  for (const [code, g] of [...groups].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const shared: { commune: string; name: string; with: string[] }[] = [];
    const partial: { commune: string; arrondissements: string[]; share: number }[] = [];
    const departements = new Set<string>();
    for (const r of g.rows) {
      const listed = r.insee_com_2025 ?? '';
      const k = rekey(cog, listed);
      if (!k.code) {
        report.unknown!.push(listed);
        continue;
      }
      if (k.status === 'rekeyed') report.rekeyed!.push({ from: listed, to: k.code });
      if (r.code_source && r.code_source !== k.code) report.rekeyed!.push({ from: r.code_source, to: k.code });
      departements.add(r.dep ?? '');
      let share: number | null = 1;
      const arrondissements = (r.arrondissements_marseille ?? '').split(';').filter(Boolean);
      if (arrondissements.length) {
        const whole = population.get(k.code) ?? 0;
        const part = arrondissements.reduce((s, a) => s + (population.get(a) ?? 0), 0);
        share = whole > 0 ? Math.min(1, part / whole) : null;
        if (share !== null) {
          partial.push({ commune: k.code, arrondissements, share });
          report.partial!.push({ code: k.code, share, listed: arrondissements });
        }
      } else if (r.commune_partagee_sans_maille_infra === 'oui') {
        share = null;
        shared.push({
          commune: k.code,
          name: communeName.get(k.code) ?? r.nom_com ?? k.code,
          with: sharedBy.get(listed)!.filter((n) => n !== g.name),
        });
      }
      memberships.push({ layer: 'cpts', code, commune: k.code, share });
    }
    perimeters.push({
      layer: 'cpts',
      code,
      name: g.name,
      subtype: null,
      attrs: {
        source: CPTS_PACA_SOURCE,
        millesime: CPTS_PACA_VINTAGE,
        departements: [...departements].sort(),
        ...(partial.length ? { arrondissementsMunicipaux: partial } : {}),
        ...(shared.length ? { communesPartagees: shared, note: SHARED_NOTE } : {}),
      },
    });
  }
  for (const [commune, names] of sharedBy) {
    report.warnings!.push(
      `${communeName.get(commune) ?? commune} (${commune}) partagée sans maille infra entre ${names.length} CPTS : part inconnue`,
    );
  }
  report.rows = perimeters.length;
  return { perimeters, memberships, report };
}
