// The scheme registry from the client: the session (sign-in, CSRF token kept in memory by
// lib/http.ts), scheme reads and edits (If-Match on the version read), history, referents
// and the perimeter upload, each a call of the contract's endpoint (contract/*.ts) whose
// types these are. Errors are `ApiError`s with the server's French `detail` and body.
import type { z } from 'zod';
import { endpoints as auth, type Session, type User } from '../../../contract/auth.ts';
import { BEARER_TYPE_LABELS, type Role } from '../../../contract/domain.ts';
import { endpoints as perimeterImport, type PerimeterImportReport, type perimeterImportQuery } from '../../../contract/perimeter-import.ts';
import { endpoints as perimeterVersions, type PerimeterVersionOut } from '../../../contract/perimeter-versions.ts';
import { can } from '../../../contract/permissions.ts';
import {
  endpoints as schemes,
  type createSchemeSchema,
  type historyEntrySchema,
  type patchSchemeSchema,
  type referentGapsAnswer,
  type referentRowSchema,
  type referentSchema,
  type schemeRecordSchema,
} from '../../../contract/schemes.ts';
import { endpoints as territories } from '../../../contract/territories.ts';
import { ApiError, call, fetchJson, setCsrfToken } from './http.ts';
import { followJob, type Job } from './jobs.ts';

export { ROLE_LABELS, SCHEME_TYPES, THEMES } from '../../../contract/domain.ts';
export type { PerimeterVersionOut, Role, Session, User };

/**
 * A scheme as the editor holds it: one read from the server (the contract's record), or the
 * blank one a new scheme starts from, which has no status or provenance yet.
 */
export type SchemeRecord = Omit<z.infer<typeof schemeRecordSchema>, 'status' | 'perimeterRef' | 'source' | 'sourceKind' | 'sourceDate'> &
  Partial<Pick<z.infer<typeof schemeRecordSchema>, 'perimeterRef' | 'source' | 'sourceKind' | 'sourceDate'>> & { status: string | null };

type PatchInput = z.input<typeof patchSchemeSchema>;
/** A word list's values as the form holds them: free strings, checked by the server (French 400). */
type Widen<T> = T extends string ? string : T extends readonly (infer U)[] ? Widen<U>[] : T;
/** The edit the form sends: the contract's patch, its enumerations held as strings. */
export type SchemePatch = { [K in keyof PatchInput]?: Widen<PatchInput[K]> | null };
export type PerimeterInput = NonNullable<PatchInput['perimeter']>;
export type HistoryEntry = z.infer<typeof historyEntrySchema>;
export type Referent = z.infer<typeof referentRowSchema>;
export type ReferentInput = z.input<typeof referentSchema>;
export type ReferentGaps = z.infer<typeof referentGapsAnswer>;
export type ImportReport = PerimeterImportReport;

/** Bearer types as the form lists them: [value, French label]. */
export const BEARER_TYPES = Object.entries(BEARER_TYPE_LABELS);

/** The server's rule (contract/permissions.ts), asked before offering an edit; the server has the final word. */
export function canEdit(user: User | null, scheme: { code: string; region: string | null }): boolean {
  return can(user, 'edit', scheme);
}

export function canClose(user: User | null, scheme: { code: string; region: string | null }): boolean {
  return can(user, 'close', scheme);
}

export function canImport(user: User | null): boolean {
  return can(user, 'import-perimeters');
}

/** The région a user's comparison search keeps to by default: a planner's (an ARS works on its région); others search all of France. */
export function searchRegion(user: User | null): string | null {
  return user?.role === 'planner' ? user.region : null;
}

export const session = {
  /** The current session; null for a visitor (GET /api/auth/session answers 200 either way). */
  async me(): Promise<Session | null> {
    const data = await fetchJson(auth.session);
    if (!data.signedIn) return null;
    setCsrfToken(data.csrfToken);
    return { user: data.user, csrfToken: data.csrfToken };
  },
  async login(email: string, password: string): Promise<Session> {
    const data = await fetchJson(auth.login, { body: { email, password } });
    setCsrfToken(data.csrfToken);
    return data;
  },
  async logout(): Promise<void> {
    try {
      await call(auth.logout);
    } finally {
      setCsrfToken(null);
    }
  },
};

export const registry = {
  scheme: async (code: string) => {
    const { data, etag } = await call(schemes.get, { params: { code } });
    return { scheme: data.scheme, etag: etag ?? `"v${data.scheme.version}"` };
  },
  create: (body: SchemePatch & { type: string; name: string; code?: string }) =>
    fetchJson(schemes.create, { body: body as z.input<typeof createSchemeSchema> }),
  update: async (code: string, etag: string, patch: SchemePatch) => {
    const body = patch as z.input<typeof patchSchemeSchema>;
    const { data, etag: next } = await call(schemes.update, { params: { code }, body, headers: { 'If-Match': etag } });
    return { ...data, etag: next ?? `"v${data.scheme.version}"` };
  },
  close: (code: string, etag: string) =>
    fetchJson(schemes.close, { params: { code }, headers: { 'If-Match': etag } }).then((r) => r.scheme),
  history: (code: string) => fetchJson(schemes.history, { params: { code } }).then((r) => r.history),
  referents: (code: string) => fetchJson(schemes.referents, { params: { code } }),
  saveReferent: (code: string, commune: string, r: ReferentInput) => call(schemes.saveReferent, { params: { code, commune }, body: r }),
  deleteReferent: (code: string, commune: string) => call(schemes.deleteReferent, { params: { code, commune } }),
  referentGaps: (code: string) => fetchJson(schemes.referentGaps, { params: { code } }),
  locate: (lon: number, lat: number) => fetchJson(territories.locate, { query: { lon, lat } }),
  /** Uploads the file, then follows the import job to its report (a refused file throws with its report). */
  async importPerimeters(
    file: File,
    o: { layer: string; name: string; dryRun: boolean; scope: string },
    onProgress?: (job: Job) => void,
  ): Promise<ImportReport> {
    const query = {
      layer: o.layer as z.input<typeof perimeterImportQuery>['layer'],
      dryRun: String(o.dryRun) as 'true' | 'false',
      filename: file.name,
      scope: o.scope,
      ...(o.name ? { name: o.name } : {}),
    };
    const { job: started } = await fetchJson(perimeterImport.upload, { query, raw: file });
    const job = await followJob(started, onProgress);
    if (job.status === 'failed') {
      const error = job.error ?? { status: 500, detail: 'L’import a échoué.' };
      throw new ApiError(error.status, error.detail, { ...error, report: job.report });
    }
    return job.report as ImportReport;
  },
  perimeterVersions: (layer: string) => fetchJson(perimeterVersions.list, { query: { layer } }).then((r) => r.versions),
  undoPerimeterVersion: (id: number) => fetchJson(perimeterVersions.undo, { params: { id } }).then((r) => r.undone),
};

const seg = encodeURIComponent;

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
