// Export file names that say what they are — the subject, the zone and the date
// ("communes-sans-cls-puy-de-dome-63-2026-12-01.csv"): the server's Content-Disposition
// and the client's download attribute are built here, so both name a file alike.

/** Lower-case ASCII words joined by hyphens: "Puy-de-Dôme" → "puy-de-dome". */
export function fileSlug(text: string): string {
  return text
    .replace(/œ/g, 'oe')
    .replace(/Œ/g, 'OE')
    .replace(/æ/g, 'ae')
    .replace(/Æ/g, 'AE')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** Today in France, as YYYY-MM-DD. */
export function exportDate(now: Date = new Date()): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/Paris',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(now);
  const get = (t: string) => parts.find((p) => p.type === t)!.value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** "communes-sans-cls" + Puy-de-Dôme (63) + date → "communes-sans-cls-puy-de-dome-63-2026-12-01.csv"; no zone: France. */
export function exportFileName(subject: string, zone: { name: string; code: string } | null, date: string, ext: 'csv' | 'geojson'): string {
  const where = zone ? [fileSlug(zone.name), fileSlug(zone.code)].filter(Boolean).join('-') : 'france';
  return `${fileSlug(subject)}-${where}-${date}.${ext}`;
}
