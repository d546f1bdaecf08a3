// The API's reference page (/api/docs): the OpenAPI document rendered as plain HTML on the
// server, grouped by family, in French. No script and no inline style (the CSP forbids
// both); it borrows the OGC pages' style sheet. Works offline.
import { escapeHtml } from '../ogc/html.ts';

interface Param {
  name: string;
  in: string;
  required: boolean;
  description?: string;
  schema: Record<string, unknown>;
}
interface Operation {
  tags: string[];
  summary: string;
  description?: string;
  parameters: Param[];
  requestBody?: unknown;
  responses: Record<string, { description: string; content?: Record<string, unknown> }>;
}
interface Doc {
  info: { title: string; description: string };
  tags: { name: string }[];
  paths: Record<string, Record<string, Operation>>;
}

/** A parameter's type in a few words: "string", "json | csv", "integer ≤ 50". */
function typeOf(s: Record<string, unknown>): string {
  if (Array.isArray(s.enum)) return s.enum.map(String).join(' | ');
  if (Array.isArray(s.anyOf)) return (s.anyOf as Record<string, unknown>[]).map(typeOf).join(' ou ');
  const bits = [String(s.type ?? 'valeur')];
  if (s.type === 'array' && s.items) bits[0] = `liste de ${typeOf(s.items as Record<string, unknown>)}`;
  if (s.default !== undefined) bits.push(`(défaut : ${JSON.stringify(s.default)})`);
  return bits.join(' ');
}

const slug = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, '-');

export function docsHtml(doc: Doc): string {
  const byTag = new Map<string, [string, string, Operation][]>(doc.tags.map((t) => [t.name, []]));
  for (const [path, ops] of Object.entries(doc.paths))
    for (const [method, op] of Object.entries(ops)) byTag.get(op.tags[0]!)?.push([method, path, op]);
  const toc = doc.tags.map((t) => `<li><a href="#${slug(t.name)}">${escapeHtml(t.name)}</a> (${byTag.get(t.name)!.length})</li>`).join('');
  const sections = doc.tags.map((t) => {
    const ops = byTag.get(t.name)!.map(([method, path, op]) => {
      const params = op.parameters.length
        ? `<table><thead><tr><th>paramètre</th><th>où</th><th>type</th><th>obligatoire</th></tr></thead><tbody>${op.parameters
            .map(
              (p) =>
                `<tr><td><code>${escapeHtml(p.name)}</code></td><td>${p.in === 'path' ? 'chemin' : 'requête'}</td><td>${escapeHtml(typeOf(p.schema))}${
                  p.description ? ` — ${escapeHtml(p.description)}` : ''
                }</td><td>${p.required ? 'oui' : 'non'}</td></tr>`,
            )
            .join('')}</tbody></table>`
        : '';
      const answers = Object.entries(op.responses)
        .filter(([status]) => !status.endsWith('XX'))
        .map(
          ([status, r]) =>
            `${status} ${escapeHtml(r.description)}${r.content ? ` : ${Object.keys(r.content).map(escapeHtml).join(', ')}` : ''}`,
        )
        .join(' ; ');
      return `<section><h3><code>${method.toUpperCase()} ${escapeHtml(path)}</code></h3><p>${escapeHtml(op.summary)}</p>${
        op.description ? `<p class="note">${escapeHtml(op.description)}</p>` : ''
      }${params}${op.requestBody ? '<p>Corps : JSON (schéma dans le document OpenAPI).</p>' : ''}<p>Réponse : ${answers}.</p></section>`;
    });
    return `<h2 id="${slug(t.name)}">${escapeHtml(t.name)}</h2>${ops.join('')}`;
  });
  return `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Référence de l’API — Millefeuille</title><link rel="stylesheet" href="/ogc/style.css"></head>
<body><main><h1>${escapeHtml(doc.info.title)}</h1><p>${escapeHtml(doc.info.description)}</p>
<p>Document OpenAPI 3.1 complet : <a href="/api/openapi.json">/api/openapi.json</a>.</p>
<nav aria-label="Familles de routes"><ul>${toc}</ul></nav>
${sections.join('\n')}</main></body></html>`;
}
