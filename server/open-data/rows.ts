// From registry records to the published rows, keyed by the Table Schema's field names.
// Only public fields cross here: no referent, no editor, no reporter, no free remark.
import type { PublishedMember, PublishedScheme } from '../queries/open-data.ts';
import type { OpenCell } from './csv.ts';

/**
 * The bearer's SIREN when the registry knows it: an EPCI or a PETR bearing a scheme
 * whose reference perimeter is that very grouping, named by its 9-digit SIREN.
 */
export function bearerSiren(bearerType: string | null, perimeterRef: string | null): string | null {
  const m = /^(epci|petr):(\d{9})$/.exec(perimeterRef ?? '');
  return m && bearerType?.toLowerCase() === m[1] ? m[2]! : null;
}

const EMAIL = /\s*\(?[^\s()<>@,;]+@[^\s()<>@,;]+\.[^\s()<>@,;]+\)?/g;
const PHONE = /\s*\(?(?:\+33|0)\s*[1-9](?:[\s.-]*\d{2}){4}\)?/g;

/**
 * The record's source without the person who wrote it: a scheme typed in the app is
 * sourced "Saisie par <editor>" in the registry, published as "Registre Millefeuille";
 * an imported file keeps its name, not who imported it; any e-mail address or phone
 * number left in a source is removed.
 */
export function publicSource(source: string | null, kind: string | null = null): string | null {
  if (kind === 'saisie') return 'Registre Millefeuille';
  const text = kind === 'import' ? source?.replace(/\s+par\s+.*$/u, '') : source;
  return text?.replace(EMAIL, '').replace(PHONE, '').trim() || null;
}

export function schemeRow(s: PublishedScheme, cogVintage: string): Record<string, OpenCell> {
  return {
    identifiant: s.code,
    type: s.type,
    nom: s.name,
    porteur_type: s.bearerType,
    porteur_nom: s.bearerName,
    porteur_siren: bearerSiren(s.bearerType, s.perimeterRef),
    statut: s.status,
    date_signature: s.signatureDate,
    date_fin: s.endDate,
    generation: s.generation,
    etp_coordination: s.coordinationFte,
    thematiques: s.themes.length ? s.themes.join(';') : null,
    region: s.region,
    inventaire_region: s.inventoryStatus,
    inventaire_region_date: s.inventoryCompleteAt,
    nombre_communes: s.communes.length,
    communes: s.communes.length ? s.communes.join(';') : null,
    millesime_cog: cogVintage,
    source: publicSource(s.source, s.sourceKind),
    date_maj: s.updatedAt,
  };
}

export function memberRow(m: PublishedMember, cogVintage: string): Record<string, OpenCell> {
  return { identifiant_demarche: m.scheme, code_commune: m.commune, nom_commune: m.name, part: m.share, millesime_cog: cogVintage };
}
