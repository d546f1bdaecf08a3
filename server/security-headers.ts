// Security headers on every answer of the server (API, tiles, the built client, and the
// answers to requests Node's HTTP parser refuses): a Content-Security-Policy, no framing,
// no MIME sniffing, no referrer sent elsewhere.
//
// The policy fits what the client does (checked in headless Chromium, test/e2e): its
// scripts and styles are files of client/dist; Svelte's style: directives and MapLibre
// write styles through the CSSOM, which style-src does not govern; MapLibre's worker is a
// file of client/dist, or a blob: URL wrapping it, and it makes blob: URLs for images;
// the favicon is a data: URL. Nothing else is fetched but our own API and tiles, unless
// the server is configured with a remote basemap style (its tiles, glyphs and sprites
// may come from any HTTPS host that style names) or PMTiles archives on another origin.
import type { ServerResponse } from 'node:http';

export interface SecuritySettings {
  basemapStyleUrl?: string | null | undefined;
  tilesUrl?: string | null | undefined;
}

const originOf = (url: string | null | undefined): string | null => {
  if (!url || !/^https?:\/\//.test(url)) return null;
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
};

/** The Content-Security-Policy of the application for these settings. */
export function contentSecurityPolicy({ basemapStyleUrl, tilesUrl }: SecuritySettings = {}): string {
  const remote = [originOf(tilesUrl), originOf(basemapStyleUrl), basemapStyleUrl ? 'https:' : null].filter(
    (x, i, all): x is string => x !== null && all.indexOf(x) === i,
  );
  return [
    "default-src 'self'",
    "script-src 'self'",
    "worker-src 'self' blob:",
    "child-src 'self' blob:",
    "style-src 'self'",
    `img-src 'self' data: blob:${remote.length ? ` ${remote.join(' ')}` : ''}`,
    "font-src 'self' data:",
    `connect-src 'self'${remote.length ? ` ${remote.join(' ')}` : ''}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The headers every answer carries. */
export function securityHeaderValues(settings: SecuritySettings = {}): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(settings),
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'strict-origin-when-cross-origin',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
  };
}

/** Sets the security headers on an answer before anything else writes it. */
export function securityHeaders(settings: SecuritySettings = {}): (res: ServerResponse) => void {
  const headers = Object.entries(securityHeaderValues(settings));
  return (res) => {
    for (const [name, value] of headers) res.setHeader(name, value);
  };
}
