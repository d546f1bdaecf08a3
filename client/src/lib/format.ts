// French formatting of the figures shown to users.
const integer = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 });
const percent = new Intl.NumberFormat('fr-FR', { style: 'percent', maximumFractionDigits: 1 });

export function formatInteger(value: number | null | undefined): string {
  return value == null ? '—' : integer.format(value);
}

export function formatArea(km2: number | null | undefined): string {
  if (km2 == null) return '—';
  return `${km2 < 10 ? decimal.format(km2) : integer.format(km2)} km²`;
}

export function formatDecimal(value: number | null | undefined): string {
  return value == null ? '—' : decimal.format(value);
}

/** A share in 0..1; null means the share is not known. */
export function formatShare(value: number | null | undefined): string {
  if (value == null) return 'inconnue';
  if (value > 0 && value < 0.001) return '< 0,1 %';
  return percent.format(value);
}

export function plural(n: number, one: string, many: string): string {
  return `${formatInteger(n)} ${n >= 2 ? many : one}`;
}

export const STATUS_LABELS: Record<string, string> = {
  en_cours: 'en cours',
  en_elaboration: 'en élaboration',
  termine: 'terminé',
};

export function statusLabel(status: string | null | undefined): string {
  if (!status) return 'non renseigné';
  return STATUS_LABELS[status] ?? status.replace(/_/g, ' ');
}

const BEARER_LABELS: Record<string, string> = {
  COMMUNE: 'commune',
  EPCI: 'intercommunalité',
  CCAS: 'CCAS',
  PETR: 'PETR',
  PAYS: 'pays',
  PNR: 'parc naturel régional',
  DEPARTEMENT: 'département',
  CH: 'centre hospitalier',
  ASSOCIATION: 'association',
  AUTRE: 'autre',
};

export function bearerLabel(type: string): string {
  return BEARER_LABELS[type.toUpperCase()] ?? type;
}
