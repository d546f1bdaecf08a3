// The HTML face of the OGC API – Features service: the same answers as the JSON ones,
// readable in a browser, in French, with links to navigate. Everything that comes from the
// data (names, sources) is escaped. No script; one small style sheet served beside the
// pages (/ogc/style.css), as the Content-Security-Policy allows no inline style.
import type { Collection } from './catalogue.ts';

export interface Link {
  href: string;
  rel: string;
  type?: string;
  title?: string;
}

export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** The pages' style sheet, served at /ogc/style.css. */
export const STYLE = `body{font:16px/1.5 system-ui,sans-serif;color:#161616;max-width:72rem;margin:0 auto;padding:1rem 1.5rem}
a{color:#000091}table{border-collapse:collapse;margin:1rem 0}th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f0f0f0}nav{margin-bottom:1rem}.fictif{color:#b34000;font-weight:bold}.note{background:#f6f6f6;padding:.5rem 1rem}
td.num{text-align:right;font-variant-numeric:tabular-nums}`;

const a = (href: string, text: string) => `<a href="${escapeHtml(href)}">${escapeHtml(text)}</a>`;

/** Link to the HTML rendering of a resource. */
export function htmlHref(href: string): string {
  const url = new URL(href);
  url.searchParams.set('f', 'html');
  return url.toString();
}

function page(title: string, root: string, crumbs: [string, string][], body: string): string {
  const nav = [[`${root}?f=html`, 'Accueil OGC'] as [string, string], ...crumbs].map(([h, t]) => a(h, t)).join(' › ');
  return `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} — Millefeuille, OGC API – Features</title><link rel="stylesheet" href="${escapeHtml(root)}/style.css"></head>
<body><nav aria-label="Fil d’Ariane">${nav}</nav><main><h1>${escapeHtml(title)}</h1>
${body}</main></body></html>`;
}

function linkList(links: Link[]): string {
  return `<ul>${links.map((l) => `<li>${a(l.href, l.title ?? l.rel)} <small>(${escapeHtml(l.type ?? '')})</small></li>`).join('')}</ul>`;
}

const fmt = (v: unknown): string => {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'boolean') return v ? 'oui' : 'non';
  if (typeof v === 'number') return v.toLocaleString('fr-FR');
  return escapeHtml(v);
};

export function landingHtml(root: string, title: string, description: string, links: Link[]): string {
  return page(title, root, [], `<p>${escapeHtml(description)}</p>${linkList(links)}`);
}

export function conformanceHtml(root: string, conformsTo: string[]): string {
  return page('Classes de conformité', root, [], `<ul>${conformsTo.map((c) => `<li>${a(c, c)}</li>`).join('')}</ul>`);
}

export function collectionsHtml(root: string, collections: Collection[]): string {
  const rows = collections
    .map(
      (c) =>
        `<tr><td>${a(`${root}/collections/${c.id}?f=html`, c.id)}</td><td>${escapeHtml(c.title)}${
          c.fictif ? ' <span class="fictif">(exemple fictif)</span>' : ''
        }</td><td class="num">${fmt(c.count)}</td><td>${escapeHtml(c.vintage)}</td><td>${a(`${root}/collections/${c.id}/items?f=html`, 'objets')}</td></tr>`,
    )
    .join('');
  return page(
    'Collections',
    root,
    [],
    `<table><thead><tr><th scope="col">Identifiant</th><th scope="col">Titre</th><th scope="col">Objets</th><th scope="col">Millésime</th><th scope="col">Données</th></tr></thead><tbody>${rows}</tbody></table>`,
  );
}

export function collectionHtml(root: string, c: Collection): string {
  const props = c.properties
    .map((p) => `<tr><td><code>${escapeHtml(p.name)}</code></td><td>${escapeHtml(p.title)}</td><td>${p.type}</td></tr>`)
    .join('');
  const bbox = c.bbox ? c.bbox.join(', ') : 'aucune géométrie connue';
  return page(
    c.title,
    root,
    [[`${root}/collections?f=html`, 'Collections']],
    `<p>${escapeHtml(c.description)}</p>
<dl><dt>Objets</dt><dd>${fmt(c.count)}</dd><dt>Emprise (lon/lat WGS84)</dt><dd>${escapeHtml(bbox)}</dd>
<dt>Filtres acceptés</dt><dd>${c.filters.map((f) => `<code>${f}</code>`).join(', ') || 'aucun'} ; bbox, limit (100 par défaut, 10 000 au plus), offset, properties</dd></dl>
<p>${a(`${root}/collections/${c.id}/items?f=html`, 'Parcourir les objets')} · ${a(`${root}/collections/${c.id}/items`, 'GeoJSON')}</p>
<h2>Propriétés</h2><table><thead><tr><th scope="col">Nom</th><th scope="col">Description</th><th scope="col">Type</th></tr></thead><tbody>${props}</tbody></table>`,
  );
}

export interface HtmlFeature {
  id: string;
  properties: Record<string, unknown>;
}

export function itemsHtml(
  root: string,
  c: Collection,
  features: HtmlFeature[],
  counts: { matched: number; offset: number },
  links: Link[],
  simplification: string | null,
): string {
  const names = features[0] ? Object.keys(features[0].properties) : c.properties.map((p) => p.name);
  const head = names.map((n) => `<th scope="col">${escapeHtml(n)}</th>`).join('');
  const rows = features
    .map(
      (f) =>
        `<tr>${names
          .map((n, i) => {
            const v = f.properties[n];
            const cell = i === 0 ? a(`${root}/collections/${c.id}/items/${encodeURIComponent(f.id)}?f=html`, String(v ?? f.id)) : fmt(v);
            return `<td${typeof v === 'number' ? ' class="num"' : ''}>${cell}</td>`;
          })
          .join('')}</tr>`,
    )
    .join('');
  const nav = links
    .filter((l) => l.rel === 'prev' || l.rel === 'next')
    .map((l) => a(htmlHref(l.href), l.rel === 'prev' ? '← Page précédente' : 'Page suivante →'))
    .join(' · ');
  const first = features.length ? counts.offset + 1 : 0;
  return page(
    `${c.title} — objets`,
    root,
    [
      [`${root}/collections?f=html`, 'Collections'],
      [`${root}/collections/${c.id}?f=html`, c.title],
    ],
    `${c.fictif ? '<p class="fictif">Exemples fictifs : ces périmètres ne sont pas réels.</p>' : ''}
<p>Objets ${fmt(first)} à ${fmt(counts.offset + features.length)} sur ${fmt(counts.matched)}.</p>
${simplification ? `<p class="note">${escapeHtml(simplification)}</p>` : ''}
<p>${nav}</p><table><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table><p>${nav}</p>`,
  );
}

export function itemHtml(root: string, c: Collection, feature: HtmlFeature, hasGeometry: boolean): string {
  const titles = new Map(c.properties.map((p) => [p.name, p.title]));
  const rows = Object.entries(feature.properties)
    .map(([k, v]) => `<tr><th scope="row">${escapeHtml(titles.get(k) ?? k)}</th><td>${fmt(v)}</td></tr>`)
    .join('');
  const name = feature.properties.name;
  return page(
    typeof name === 'string' ? name : feature.id,
    root,
    [
      [`${root}/collections?f=html`, 'Collections'],
      [`${root}/collections/${c.id}?f=html`, c.title],
      [`${root}/collections/${c.id}/items?f=html`, 'Objets'],
    ],
    `<table><tbody>${rows}</tbody></table>
<p>${hasGeometry ? a(`${root}/collections/${c.id}/items/${encodeURIComponent(feature.id)}?f=json`, 'Géométrie (GeoJSON)') : 'Aucune géométrie connue pour cet objet.'}</p>`,
  );
}
