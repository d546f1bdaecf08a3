// The scheme registry from the client: the session (sign-in, CSRF token kept in memory),
// scheme reads and edits (If-Match on the version read), history, referents and the
// perimeter upload. Errors carry the server's French `detail` (and, for 422, its body).
import type { PerimeterVersionOut } from '../../../contract/perimeter-versions.ts';
import { ApiError, readJson } from './api.ts';
import { followJob, type Job } from './jobs.ts';

export type Role = 'admin' | 'planner' | 'coordinator';

export interface User {
  id: number;
  email: string;
  name: string;
  role: Role;
  region: string | null;
  schemes: string[];
}

export interface Session {
  user: User;
  csrfToken: string;
}

export interface SchemeRecord {
  code: string;
  type: string;
  name: string;
  bearerType: string | null;
  bearerName: string | null;
  signatureDate: string | null;
  generation: number | null;
  status: string | null;
  endDate: string | null;
  coordinationFte: number | null;
  themes: string[];
  signatories: string[];
  region: string | null;
  remark: string | null;
  version: number;
  communes: { code: string; share: number | null }[];
}

export interface PerimeterInput {
  communes?: string[];
  epci?: string[];
  petr?: string[];
  pnr?: string[];
  pasted?: string;
}

export type SchemePatch = Partial<Omit<SchemeRecord, 'code' | 'region' | 'version' | 'communes'>> & { perimeter?: PerimeterInput };

export interface HistoryEntry {
  id: number;
  version: number;
  at: string;
  /** Editor's name and role; their e-mail only for admins. */
  userName: string | null;
  userRole: string | null;
  userEmail: string | null;
  action: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

export interface Referent {
  commune: string;
  communeName: string;
  population: number | null;
  name: string | null;
  delegation: string | null;
  email: string | null;
  phone: string | null;
  hasCommittee: boolean | null;
}

export interface ReferentGaps {
  communeCount: number;
  /** What the list is: never a complete fact ("sans élu référent connu"). */
  inventory: { status: string; known: number; wording: string };
  withoutReferent: {
    count: number;
    population: number;
    communes: { code: string; name: string; population: number | null; hasCommittee: boolean | null }[];
  };
}

export type { PerimeterVersionOut };

export interface ImportReport {
  status: string;
  perimeters: number;
  communesMatched: number;
  rekeyed: unknown[];
  unknown: unknown[];
  partial: unknown[];
  duplicates: unknown[];
  outsideRegion: unknown[];
  warnings: unknown[];
  errors: unknown[];
  /** Units of the layer within the scope before the import (replaced by a real run). */
  replaced?: { perimeters: number; fictif: number } | null;
  /** The zone whose units the import replaces. */
  scope?: { kind: string; code: string | null; label: string } | null;
  /** Units added, replaced and removed within the scope. */
  changes?: Record<'added' | 'replaced' | 'removed', { code: string; name: string; fictif?: boolean }[]> | null;
  /** Number of the version a real run recorded (to undo it). */
  version?: number | null;
}

/** An API error with the problem body (e.g. unknownCodes of a 422, report of an import). */
export class RegistryError extends ApiError {
  constructor(
    status: number,
    message: string,
    readonly body: Record<string, unknown>,
  ) {
    super(status, message);
  }
}

export const THEMES = [
  'santé mentale',
  'accès aux soins',
  'alimentation et activité physique',
  'santé environnementale',
  'addictions',
  'santé des femmes',
  'logement',
  'périnatalité',
  'numérique',
  'personnes âgées',
  'handicap',
  'santé des jeunes',
  'prévention et promotion de la santé',
  'précarité',
  'vaccination',
  'cancers',
];

export const SCHEME_TYPES = ['CLS', 'ASV', 'CLSM', 'PTSM'];
export const BEARER_TYPES: [string, string][] = [
  ['COMMUNE', 'commune'],
  ['EPCI', 'intercommunalité'],
  ['PETR', 'PETR'],
  ['PNR', 'parc naturel régional'],
  ['ASSOCIATION', 'association'],
  ['CCAS', 'CCAS'],
  ['EPSM', 'EPSM'],
  ['SYNDICAT_MIXTE', 'syndicat mixte'],
  ['DEPARTEMENT', 'département'],
  ['AUTRE', 'autre'],
];
export const ROLE_LABELS: Record<Role, string> = { admin: 'administrateur', planner: 'chargé de mission ARS', coordinator: 'coordinateur' };

/** Mirrors the server rule (server/auth/permissions.ts); the server has the final word. */
export function canEdit(user: User | null, scheme: { code: string; region: string | null }): boolean {
  if (!user) return false;
  if (user.role === 'admin') return true;
  if (user.role === 'planner') return !!user.region && user.region === scheme.region;
  return user.schemes.includes(scheme.code);
}

export function canClose(user: User | null, scheme: { code: string; region: string | null }): boolean {
  return !!user && user.role !== 'coordinator' && canEdit(user, scheme);
}

export function canImport(user: User | null): boolean {
  return !!user && (user.role === 'admin' || user.role === 'planner');
}

/** The CSRF token of the session, kept in memory only (read again from /api/auth/session on load). */
let csrfToken: string | null = null;

export async function call<T>(
  method: string,
  url: string,
  options: { body?: unknown; raw?: Blob; headers?: Record<string, string> } = {},
): Promise<{ data: T; etag: string | null }> {
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let body: BodyInit | undefined;
  if (options.raw) {
    body = options.raw;
    headers['Content-Type'] = 'application/octet-stream';
  } else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['Content-Type'] = 'application/json';
  }
  let res: Response;
  try {
    res = await fetch(url, { method, headers, body, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'Le serveur ne répond pas. Vérifiez votre connexion puis réessayez.');
  }
  if (!res.ok) {
    let detail = `Erreur ${res.status} du serveur.`;
    let problem: Record<string, unknown> = {};
    try {
      problem = (await res.json()) as Record<string, unknown>;
      if (typeof problem.detail === 'string') detail = problem.detail;
    } catch {
      // not a problem+json body
    }
    throw new RegistryError(res.status, detail, problem);
  }
  const data = res.status === 204 ? (undefined as T) : ((await readJson(res)) as T);
  return { data, etag: res.headers.get('ETag') };
}

const seg = encodeURIComponent;

export const session = {
  /** The current session; null for a visitor (GET /api/auth/session answers 200 either way). */
  async me(): Promise<Session | null> {
    const { data } = await call<({ signedIn: true } & Session) | { signedIn: false }>('GET', '/api/auth/session');
    if (!data.signedIn) return null;
    csrfToken = data.csrfToken;
    return data;
  },
  async login(email: string, password: string): Promise<Session> {
    const { data } = await call<Session>('POST', '/api/auth/login', { body: { email, password } });
    csrfToken = data.csrfToken;
    return data;
  },
  async logout(): Promise<void> {
    try {
      await call<void>('POST', '/api/auth/logout');
    } finally {
      csrfToken = null;
    }
  },
};

export const registry = {
  scheme: async (code: string) => {
    const { data, etag } = await call<{ scheme: SchemeRecord }>('GET', `/api/schemes/${seg(code)}`);
    return { scheme: data.scheme, etag: etag ?? `"v${data.scheme.version}"` };
  },
  create: (body: SchemePatch & { type: string; name: string; code?: string }) =>
    call<{ scheme: SchemeRecord; rekeyed: { from: string; to: string }[] }>('POST', '/api/schemes', { body }).then((r) => r.data),
  update: async (code: string, etag: string, patch: SchemePatch) => {
    const { data, etag: next } = await call<{ scheme: SchemeRecord; rekeyed: { from: string; to: string }[] }>(
      'PATCH',
      `/api/schemes/${seg(code)}`,
      {
        body: patch,
        headers: { 'If-Match': etag },
      },
    );
    return { ...data, etag: next ?? `"v${data.scheme.version}"` };
  },
  close: (code: string, etag: string) =>
    call<{ scheme: SchemeRecord }>('DELETE', `/api/schemes/${seg(code)}`, { headers: { 'If-Match': etag } }).then((r) => r.data.scheme),
  history: (code: string) => call<{ history: HistoryEntry[] }>('GET', `/api/schemes/${seg(code)}/history`).then((r) => r.data.history),
  referents: (code: string) =>
    call<{ contactsShown: boolean; communes: Referent[] }>('GET', `/api/schemes/${seg(code)}/referents`).then((r) => r.data),
  saveReferent: (
    code: string,
    commune: string,
    r: { name: string | null; delegation: string | null; email: string | null; phone: string | null; hasCommittee: boolean },
  ) => call<unknown>('PUT', `/api/schemes/${seg(code)}/referents/${seg(commune)}`, { body: r }),
  deleteReferent: (code: string, commune: string) => call<unknown>('DELETE', `/api/schemes/${seg(code)}/referents/${seg(commune)}`),
  referentGaps: (code: string) => call<ReferentGaps>('GET', `/api/schemes/${seg(code)}/referent-gaps`).then((r) => r.data),
  locate: (lon: number, lat: number) =>
    call<{ code: string; name: string }>('GET', `/api/locate?lon=${lon}&lat=${lat}`).then((r) => r.data),
  /** Uploads the file, then follows the import job to its report (a refused file throws with its report). */
  async importPerimeters(
    file: File,
    o: { layer: string; name: string; dryRun: boolean; scope: string },
    onProgress?: (job: Job) => void,
  ): Promise<ImportReport> {
    const q = new URLSearchParams({ layer: o.layer, dryRun: String(o.dryRun), filename: file.name, scope: o.scope });
    if (o.name) q.set('name', o.name);
    const { data } = await call<{ job: Job }>('POST', `/api/perimeters/import?${q.toString()}`, { raw: file });
    const job = await followJob(data.job, onProgress);
    if (job.status === 'failed') {
      const error = job.error ?? { status: 500, detail: 'L’import a échoué.' };
      throw new RegistryError(error.status, error.detail, { ...error, report: job.report });
    }
    return job.report as ImportReport;
  },
  perimeterVersions: (layer: string) =>
    call<{ versions: PerimeterVersionOut[] }>('GET', `/api/perimeters/versions?layer=${encodeURIComponent(layer)}`).then(
      (r) => r.data.versions,
    ),
  undoPerimeterVersion: (id: number) =>
    call<{ undone: { id: number; layer: string; removed: number; restored: number } }>('POST', `/api/perimeters/versions/${id}/undo`).then(
      (r) => r.data.undone,
    ),
};

export function referentGapsUrl(code: string, format: 'csv' | 'geojson'): string {
  return `/api/schemes/${seg(code)}/referent-gaps?format=${format}`;
}

/** The fields a change touched, by their French label. */
export const FIELD_LABELS: Record<string, string> = {
  name: 'nom',
  type: 'type',
  bearerType: 'type de porteur',
  bearerName: 'porteur',
  signatureDate: 'date de signature',
  generation: 'génération',
  status: 'statut',
  endDate: 'date de fin',
  coordinationFte: 'ETP de coordination',
  themes: 'thématiques',
  signatories: 'signataires',
  remark: 'remarque',
  communes: 'périmètre',
  delegation: 'délégation',
  hasCommittee: 'comité',
};

export function changedFields(before: Record<string, unknown> | null, after: Record<string, unknown> | null): string[] {
  if (!before || !after) return [];
  const keys = Object.keys(FIELD_LABELS).filter((k) => k in before || k in after);
  return keys.filter((k) => JSON.stringify(before[k] ?? null) !== JSON.stringify(after[k] ?? null)).map((k) => FIELD_LABELS[k]!);
}

export function communeCountOf(record: Record<string, unknown> | null): number | null {
  const c = record?.communes;
  return Array.isArray(c) ? c.length : null;
}
