// Import of user perimeters (CPTS, psychiatric sectors, any zoning) from a CSV list of
// communes, a GeoJSON or a zipped shapefile: size check, reading and planning against the
// COG held in the database in the parse worker (read-file.ts, server/parse/: seconds of
// parsing stay off the thread that answers requests), for contours the costly geometry work staged in short
// statements (stage.ts: on the embedded database other requests run between them), then
// one short transaction that replaces the layer's units within
// the import's scope (a département, a région or the country) and records the import as
// a version that can be undone (versions.ts). A dry run goes through the same
// transaction and rolls it back, so its report — units added, replaced, removed — is
// exactly what a real run would write. Problems of the file come back as a 'rejected' report.
import fs from 'node:fs';
import path from 'node:path';
import type { Db, Queryable } from '../db/db.ts';
import { MAX_FILE_BYTES } from '../limits.ts';
import { describeImportFailure, PerimeterImportError } from './errors.ts';
import { resolvePerimeterLayer } from './layers.ts';
import { checkRegion, summariseMemberships } from './plan.ts';
import { cogContext, readPerimeterFile, type CogRows, type ReadFileOptions, type ReadFileResult } from './read-file.ts';
import { emptyImportReport, type PerimeterImportReport } from './report.ts';
import type { CommuneInfo } from './types.ts';
import { describeScope, type Scope } from './scope.ts';
import { stagePolygons, unstage, type Staged, type StageProgress } from './stage.ts';
import { closeVersion, openVersion, snapshotUnits, type VersionAuthor } from './versions.ts';
import { replaceScope, type LayerRowMeta } from './write.ts';

export { PerimeterImportError } from './errors.ts';
export { HEALTH_LAYERS, LAYER_CHOICES, otherLayerId, resolvePerimeterLayer } from './layers.ts';
export { formatPerimeterReport, type PerimeterImportReport } from './report.ts';
export { formatScope, parseScope, type Scope } from './scope.ts';

// Files larger than MAX_FILE_BYTES are refused before being read (every limit: core/limits.ts).
export { MAX_FILE_BYTES };

export interface PerimeterImportOptions {
  /** cpts | secteur-psy-adulte | secteur-psy-enfant | other */
  layer: string;
  file: string;
  /** Display name of an "other" layer (its id is derived from it). */
  name?: string | undefined;
  dryRun?: boolean | undefined;
  /** The units of the layer this import replaces: those lying within the scope. */
  scope: Scope;
  /** Who imports (recorded in the version); the command line by default. */
  author?: VersionAuthor | undefined;
  vintage?: string | undefined;
  licence?: string | undefined;
  codeField?: string | undefined;
  nameField?: string | undefined;
  communeField?: string | undefined;
  maxBytes?: number | undefined;
  /** Reads and plans the file: in this thread by default (the command line); the server passes its parse worker's. */
  readFile?: PerimeterFileReader | undefined;
  /** Told of each step (and of its count of done units) while the import runs. */
  progress?: StageProgress | undefined;
}

/** The COG as the database holds it (current communes and every code leading to one), as rows that cross threads. */
async function loadCogRows(db: Queryable): Promise<CogRows> {
  return {
    communes: await db.query<CogRows['communes'][number]>(`SELECT code, name, region, departement FROM atlas.commune ORDER BY code`),
    aliases: await db.query<CogRows['aliases'][number]>(`SELECT old_code, code FROM atlas.commune_alias ORDER BY old_code, code`),
  };
}

const formatMb = (n: number) => `${(n / 1024 / 1024).toLocaleString('fr-FR', { maximumFractionDigits: 1 })} Mo`;

/** Refuses a missing, empty or too large file before anything is read; returns the byte limit for decompressed content. */
function checkFile(file: string, maxBytes: number): number {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new PerimeterImportError(`Fichier introuvable : ${file}`);
  }
  if (!stat.isFile()) throw new PerimeterImportError(`${file} n'est pas un fichier.`);
  if (stat.size === 0) throw new PerimeterImportError('Le fichier est vide.');
  if (stat.size > maxBytes) {
    throw new PerimeterImportError(
      `Fichier trop volumineux : ${formatMb(stat.size)} (limite ${formatMb(maxBytes)}). Découpez-le (par région, par exemple).`,
    );
  }
  return maxBytes;
}

/** Reads and plans a file (format, source, plan, geometries); `loadCog` gives the COG when a list needs it. */
export type PerimeterFileReader = (task: ReadFileOptions, loadCog: () => Promise<CogRows>) => Promise<ReadFileResult>;

async function readInput(db: Queryable, options: PerimeterImportOptions, maxBytes: number, region: string | undefined) {
  const task = {
    file: options.file,
    maxBytes,
    codeField: options.codeField,
    nameField: options.nameField,
    communeField: options.communeField,
    region,
  };
  return (options.readFile ?? readPerimeterFile)(task, () => loadCogRows(db));
}

class DryRunRollback extends Error {
  constructor(readonly result: Awaited<ReturnType<typeof replaceScope>>) {
    super('dry run');
  }
}

export async function importPerimeters(db: Db, options: PerimeterImportOptions): Promise<PerimeterImportReport> {
  const started = Date.now();
  const report = emptyImportReport(path.basename(options.file));
  try {
    const { layer, warnings } = resolvePerimeterLayer(options.layer, options.name);
    report.layer = { id: layer.id, name: layer.name };
    const size = checkFile(options.file, options.maxBytes ?? MAX_FILE_BYTES);
    const scope = await describeScope(db, options.scope);
    report.scope = { kind: scope.kind, code: scope.code, label: scope.label };
    const { format, source, plan, geometries } = await readInput(db, options, size, scope.region ?? undefined);
    // member communes outside the scope's région are reported (lists: by the worker)
    const ctx = { communes: new Map<string, CommuneInfo>(), region: scope.region ?? undefined };
    if (plan.kind === 'polygons') {
      ctx.communes = cogContext(await loadCogRows(db)).communes;
      checkRegion(ctx);
    }
    report.format = format;
    report.source = source;
    Object.assign(report, plan.report, { warnings: [...warnings, ...plan.report.warnings] });
    if (plan.perimeters.length === 0) throw new PerimeterImportError("Aucun périmètre n'a de commune reconnue : rien à importer.");

    const meta: LayerRowMeta = {
      id: layer.id,
      name: layer.name,
      kind: layer.kind,
      sort: layer.sort,
      vintage: options.vintage?.trim() || `import du ${new Date().toISOString().slice(0, 10)}`,
      source: report.file,
      licence: options.licence?.trim() || 'non précisée',
      fictif: false,
    };
    const today = new Date().toISOString().slice(0, 10);
    const author = options.author ?? { id: null, name: 'ligne de commande' };
    // each unit says where it comes from: the layer may mix several sources
    const provenance = { fichier: report.file, date: today, par: author.name, millesime: meta.vintage, licence: meta.licence };
    // the contours are staged (polygons): the transaction reads them there, not from the plan
    const stamped = {
      ...plan,
      features: [],
      perimeters: plan.perimeters.map(({ geometry: _g, ...p }) => ({ ...p, attrs: { ...p.attrs, import: provenance } })),
    };
    let result: Awaited<ReturnType<typeof replaceScope>>;
    let staged: Staged | undefined;
    try {
      if (plan.kind === 'polygons') staged = await stagePolygons(db, plan, geometries, options.progress ?? (() => {}));
      options.progress?.('écriture des périmètres');
      result = await db.transaction(async (tx) => {
        const version = await openVersion(tx, layer.id, scope, report.file, author);
        const r = await replaceScope(tx, meta, stamped, options.scope, {
          beforeDelete: (codes) => snapshotUnits(tx, version, layer.id, codes),
          staged,
        });
        const changes = {
          ...r.changes,
          rekeyed: report.rekeyed.length,
          unknown: report.unknown.length,
          perimeters: r.perimeters,
          memberships: r.memberships.length,
        };
        await closeVersion(tx, version, changes, [...new Set(r.memberships.map((m) => m.code))].sort());
        if (options.dryRun) throw new DryRunRollback(r);
        report.version = version;
        return r;
      });
    } catch (err) {
      if (!(err instanceof DryRunRollback)) throw err;
      result = err.result;
    } finally {
      // rows left behind (the database failed meanwhile) are removed at the next start
      if (staged) await unstage(db, staged.key).catch(() => undefined);
    }
    report.replaced = result.previous;
    report.changes = result.changes;
    report.invalidGeometries = result.invalid;
    report.perimeters = result.perimeters;
    if (plan.kind === 'polygons') {
      report.emptyPerimeters = result.empty;
      report.partial = result.memberships
        .filter((m) => m.share < 1)
        .map((m) => ({ perimeter: m.code, commune: m.commune, share: m.share, listed: [] }));
      Object.assign(report, summariseMemberships(result.memberships, ctx));
    }
    report.status = options.dryRun ? 'dry-run' : 'imported';
  } catch (err) {
    report.status = 'rejected';
    report.errors.push(err instanceof PerimeterImportError ? err.message : describeImportFailure(err));
  }
  report.durationMs = Date.now() - started;
  return report;
}
