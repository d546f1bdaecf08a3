// Registry edits: each one validated, authorised, written with its history and
// re-materialised into the atlas inside a single transaction — nothing half-saved —
// then the scheme tiles are invalidated so the map never shows stale perimeters. A
// registry import stages its costly part (each scheme's contour) before its transaction,
// which then only copies staged rows (queries/registry-stage.ts): on the embedded
// database, other requests wait for that short transaction only.
import { randomUUID } from 'node:crypto';
import { can, canPlacePerimeter, statusAction, type Action, type SessionUser } from '../../contract/permissions.ts';
import type { Db, Queryable } from '../../core/db/db.ts';
import { communeRegions, majorityRegion } from '../queries/commune-regions.ts';
import { HttpError } from '../errors.ts';
import {
  addHistory,
  bumpVersion,
  getScheme,
  insertScheme,
  replaceCommunes,
  resolvePerimeter,
  updateScheme,
  upsertReferent,
  deleteReferent,
  referentForHistory,
  setSchemeRegion,
  type Provenance,
  type SchemeFields,
  type SchemeRecord,
} from '../../core/queries/registry.ts';
import { materializeSchemes, updateSchemeRegions } from '../../core/registry/materialize.ts';
import { SCHEMES_PER_STATEMENT, stagedScheme, stageSchemes, unstageSchemes, writeStagedSchemes } from '../queries/registry-stage.ts';
import type { PerimeterInput } from '../../contract/schemes.ts';
import { importedSchemeSchema, slugify } from './schema.ts';
import type { RegistryCsvRow } from './csv.ts';
import { describeZodError } from '../errors.ts';

export interface RegistryDeps {
  db: Db;
  /** Called after a commit that changed scheme perimeters or attributes. */
  onSchemesChanged: () => void;
}

function forbid(user: SessionUser, action: Action, scheme?: { code: string; region: string | null }) {
  if (!can(user, action, scheme)) {
    const what: Record<Action, string> = {
      create: 'créer une démarche dans cette région',
      edit: 'modifier cette démarche',
      close: 'clore cette démarche',
      referents: 'modifier les référents de cette démarche',
      contacts: 'voir les coordonnées',
      'manage-users': 'gérer les comptes',
      'import-registry': 'importer le registre',
      'import-perimeters': 'importer des périmètres',
    };
    throw new HttpError(403, `Votre rôle ne permet pas de ${what[action]}.`);
  }
}

/** 403 for a coordinator's perimeter reaching outside the scheme's région. */
function outsideRegion(region: string | null, communes: { code: string; region: string | null }[]) {
  const outside = communes.filter((c) => c.region !== region).map((c) => c.code);
  const list = `${outside.slice(0, 10).join(', ')}${outside.length > 10 ? '…' : ''}`;
  return new HttpError(
    403,
    `Un coordinateur ne peut pas placer le périmètre hors de la région de sa démarche (${region ?? 'région inconnue'}) : ${outside.length} commune(s) hors région (${list}). Demandez ce changement à votre ARS ; rien n’a été enregistré.`,
    { outsideCommunes: outside },
  );
}

async function perimeterMembers(tx: Queryable, p: PerimeterInput) {
  const resolved = await resolvePerimeter(tx, {
    communes: [...p.communes, ...p.pasted].map((c) => c.trim().toUpperCase()),
    groups: [
      ...p.epci.map((code) => ({ layer: 'epci', code })),
      ...p.petr.map((code) => ({ layer: 'petr', code })),
      ...p.pnr.map((code) => ({ layer: 'pnr', code })),
    ],
  });
  if (resolved.unknown.length) {
    throw new HttpError(422, `Codes inconnus : ${resolved.unknown.join(', ')}. Rien n’a été enregistré.`, {
      unknownCodes: resolved.unknown,
    });
  }
  return resolved;
}

const snapshot = (s: SchemeRecord | null) => s && { ...s };

export function registryEditor({ db, onSchemesChanged }: RegistryDeps) {
  const who = (user: SessionUser) => ({ userId: user.id, userEmail: user.email });

  async function commit<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const result = await db.transaction(fn);
    onSchemesChanged();
    return result;
  }

  return {
    /** `source`: who or what the scheme comes from (default: the user's entry, by name — never their e-mail). */
    async create(
      user: SessionUser,
      input: Omit<SchemeFields, 'code' | 'perimeterRef' | 'source'> & { code?: string | undefined; perimeter: PerimeterInput },
      source: { text: string; provenance: Provenance } = { text: `Saisie par ${user.name}`, provenance: { kind: 'saisie' } },
    ) {
      return commit(async (tx) => {
        const resolved = await perimeterMembers(tx, input.perimeter);
        const region = await majorityRegion(tx, resolved.members);
        forbid(user, 'create', { code: '', region: region ?? user.region });
        const code = input.code ?? slugify(`${input.type}-${input.name}`);
        if (await getScheme(tx, code)) throw new HttpError(409, `Une démarche de code « ${code} » existe déjà.`);
        const { perimeter: _p, code: _c, ...fields } = input;
        await insertScheme(tx, { ...fields, code, perimeterRef: null, source: source.text }, source.provenance);
        await replaceCommunes(tx, code, resolved.members);
        await updateSchemeRegions(tx, 'atlas', [code]);
        if (!resolved.members.length && user.region) await setSchemeRegion(tx, code, user.region);
        const after = await getScheme(tx, code);
        await addHistory(tx, { scheme: code, version: 1, ...who(user), action: 'création', before: null, after });
        await materializeSchemes(tx, 'atlas', [code]);
        return { scheme: after!, rekeyed: resolved.rekeyed };
      });
    },

    async update(
      user: SessionUser,
      code: string,
      expectedVersion: number,
      patch: Partial<Omit<SchemeFields, 'code'>> & { perimeter?: PerimeterInput },
    ) {
      return commit(async (tx) => {
        const before = await getScheme(tx, code, true);
        if (!before) throw new HttpError(404, `Démarche introuvable : « ${code} ».`);
        forbid(user, 'edit', before);
        forbid(user, statusAction(before.status, patch.status), before);
        if (before.version !== expectedVersion) {
          throw new HttpError(
            409,
            `Cette démarche a été modifiée entre-temps (version ${before.version}, vous éditiez la version ${expectedVersion}). Rechargez-la pour voir ces changements avant d’enregistrer les vôtres.`,
            { currentVersion: before.version },
          );
        }
        let rekeyed: { from: string; to: string }[] = [];
        const { perimeter, ...fields } = patch;
        if (perimeter) {
          const resolved = await perimeterMembers(tx, perimeter);
          if (user.role === 'planner' && resolved.members.length)
            forbid(user, 'edit', { code, region: await majorityRegion(tx, resolved.members) });
          const regions = await communeRegions(tx, resolved.members);
          if (!canPlacePerimeter(user, before, regions)) throw outsideRegion(before.region, regions);
          await replaceCommunes(tx, code, resolved.members);
          rekeyed = resolved.rekeyed;
        }
        const { version: _v, communes: _c, region: _r, ...current } = before;
        const ok = await updateScheme(
          tx,
          { ...current, ...fields, perimeterRef: perimeter ? null : current.perimeterRef },
          expectedVersion,
        );
        if (!ok) throw new HttpError(409, 'Cette démarche a été modifiée entre-temps : rechargez-la.');
        const after = await getScheme(tx, code);
        await addHistory(tx, {
          scheme: code,
          version: after!.version,
          ...who(user),
          action: 'modification',
          before: snapshot(before),
          after,
        });
        await materializeSchemes(tx, 'atlas', [code]);
        return { scheme: after!, rekeyed };
      });
    },

    async close(user: SessionUser, code: string, expectedVersion: number | null) {
      return commit(async (tx) => {
        const before = await getScheme(tx, code, true);
        if (!before) throw new HttpError(404, `Démarche introuvable : « ${code} ».`);
        forbid(user, 'close', before);
        if (expectedVersion !== null && before.version !== expectedVersion) {
          throw new HttpError(
            409,
            `Cette démarche a été modifiée entre-temps (version ${before.version}) : rechargez-la avant de la clore.`,
          );
        }
        if (before.status === 'termine') throw new HttpError(409, 'Cette démarche est déjà close.');
        const { version: _v, communes: _c, region: _r, ...current } = before;
        await updateScheme(
          tx,
          { ...current, status: 'termine', endDate: current.endDate ?? new Date().toISOString().slice(0, 10) },
          before.version,
        );
        const after = await getScheme(tx, code);
        await addHistory(tx, { scheme: code, version: after!.version, ...who(user), action: 'clôture', before: snapshot(before), after });
        await materializeSchemes(tx, 'atlas', [code]);
        return after!;
      });
    },

    /**
     * Creates or replaces schemes from registry CSV rows, all or nothing; `progress` follows
     * the rows. An admin imports for the country; `checkScope` refuses rows outside what
     * this user may touch.
     */
    async importRows(
      user: SessionUser,
      rows: RegistryCsvRow[],
      checkScope?: (tx: Queryable) => Promise<void>,
      progress: (step: string, done?: number, total?: number) => void = () => {},
    ) {
      if (!checkScope) forbid(user, 'import-registry');
      // checks only read: outside the transaction, other requests' statements interleave with them
      const errors: string[] = [];
      const seen = new Set<string>();
      for (const [i, { line, record }] of rows.entries()) {
        progress('vérification des démarches', i, rows.length);
        if (seen.has(record.code)) errors.push(`ligne ${line} : code en double « ${record.code} »`);
        seen.add(record.code);
        const checked = importedSchemeSchema.safeParse(record);
        if (!checked.success) errors.push(`ligne ${line} : ${describeZodError(checked.error)}`);
        const resolved = await resolvePerimeter(db, { communes: record.communes.map((c) => c.code), groups: [] });
        if (resolved.unknown.length) errors.push(`ligne ${line} : codes communes inconnus ${resolved.unknown.join(', ')}`);
      }
      if (errors.length) throw new HttpError(422, `Import refusé, rien n’a été modifié : ${errors.join(' ; ')}`, { errors });
      // the costly part — each scheme's contour and statistics — is staged before the
      // transaction, a few schemes per statement; the transaction only copies the staged rows
      const key = randomUUID();
      try {
        for (let i = 0; i < rows.length; i += SCHEMES_PER_STATEMENT) {
          progress('contours et statistiques', i, rows.length);
          await stageSchemes(
            db,
            key,
            rows.slice(i, i + SCHEMES_PER_STATEMENT).map((row, k) => stagedScheme(row, i + k)),
          );
        }
        progress('écriture des démarches', rows.length, rows.length);
        return await commit(async (tx) => {
          await checkScope?.(tx);
          return writeStagedSchemes(tx, key, { id: user.id, email: user.email, defaultSource: `Import du registre par ${user.name}` });
        });
      } finally {
        // rows left behind (the database failed meanwhile) are removed at the next start
        await unstageSchemes(db, key).catch(() => undefined);
      }
    },

    async setReferent(user: SessionUser, code: string, commune: string, referent: Parameters<typeof upsertReferent>[3] | null) {
      return db.transaction(async (tx) => {
        const scheme = await getScheme(tx, code, true);
        if (!scheme) throw new HttpError(404, `Démarche introuvable : « ${code} ».`);
        forbid(user, 'referents', scheme);
        if (!scheme.communes.some((c) => c.code === commune)) {
          throw new HttpError(422, `La commune ${commune} n’appartient pas au périmètre de « ${scheme.name} ».`);
        }
        const before = await referentForHistory(tx, code, commune);
        if (referent) await upsertReferent(tx, code, commune, referent);
        else if (!(await deleteReferent(tx, code, commune))) throw new HttpError(404, `Aucun référent pour la commune ${commune}.`);
        await bumpVersion(tx, code);
        // contact details stay out of the history, which every visitor may read
        const after = referent ? { name: referent.name, delegation: referent.delegation, hasCommittee: referent.hasCommittee } : null;
        await addHistory(tx, {
          scheme: code,
          version: scheme.version + 1,
          ...who(user),
          action: `référent ${commune}`,
          before: before ?? null,
          after,
        });
      });
    },
  };
}

export type RegistryEditor = ReturnType<typeof registryEditor>;
