// `npm run import`: (re)imports the reference data into the configured database.
// `npm run import -- perimeters --layer <couche> --file <fichier> [--dry-run] …`: imports
// user perimeters (CPTS, psychiatric sectors, any zoning) from a CSV, GeoJSON or zipped
// shapefile, within a scope (département, région or country) and as a version that
// `--undo <n>` restores; `--versions` lists them. `npm run import -- exemples`:
// regenerates the fictitious example layers.
import { parseArgs } from 'node:util';
import { loadConfig } from '../core/config.ts';
import { holdDataDir } from '../core/db/data-dir-lock.ts';
import { openDb, type Db } from '../core/db/db.ts';
import { migrate } from '../core/db/migrate.ts';
import { ensureExampleLayers, formatExampleReport } from './examples/index.ts';
import { formatReport, importReference } from './import.ts';
import { formatPerimeterReport, importPerimeters, LAYER_CHOICES, parseScope, PerimeterImportError } from '../core/perimeters/index.ts';
import { listVersions, undoVersion } from '../core/perimeters/versions.ts';

const USAGE = `Usage :
  npm run import                                   import des données de référence
  npm run import -- perimeters --layer <couche> --file <fichier> --scope <zone> [options]
      couches : ${LAYER_CHOICES.join(', ')}
      --scope <zone>      departement:63, region:84 ou pays : seuls les périmètres de la
                          couche situés dans cette zone sont remplacés
      --name <nom>        nom de la couche (obligatoire pour « other »)
      --dry-run           affiche le rapport sans rien écrire
      --vintage <texte>   millésime affiché (par défaut : date de l'import)
      --licence <texte>   licence des données
      --code-field, --name-field, --commune-field <colonne>   colonnes à utiliser
  npm run import -- perimeters --versions [--layer <id de couche>]   liste les imports
  npm run import -- perimeters --undo <n>          annule l'import n (rétablit sa zone)
  npm run import -- exemples                       régénère les exemples fictifs (CPTS, secteurs)`;

async function withDb(fn: (db: Db) => Promise<void>) {
  const config = loadConfig();
  holdDataDir(config, 'commande');
  const db = await openDb(config);
  try {
    await migrate(db);
    await fn(db);
  } finally {
    await db.close();
  }
}

async function referenceImport() {
  const config = loadConfig();
  holdDataDir(config, 'commande');
  const db = await openDb(config);
  try {
    await migrate(db);
    const t0 = Date.now();
    const report = await importReference(db, config.geodataDir, (step) =>
      console.log(`[${((Date.now() - t0) / 1000).toFixed(1).padStart(5)} s] ${step}`),
    );
    console.log(formatReport(report));
  } catch (err) {
    console.error(`Échec de l'import : ${(err as Error).message}\nLes données précédentes sont intactes.`);
    process.exitCode = 1;
  } finally {
    await db.close();
  }
}

class UsageError extends Error {}

async function perimeterImport(args: string[]) {
  const { values } = parseUsage(args);
  if (values.versions) {
    await withDb(async (db) => {
      for (const v of await listVersions(db, values.layer ? { layer: values.layer } : {})) {
        const c = v.changes;
        console.log(
          `n° ${v.id}  ${v.createdAt}  ${v.layer}  ${v.scope.label}  ${v.file}  par ${v.author}  +${c.added?.length ?? 0} ~${c.replaced?.length ?? 0} -${c.removed?.length ?? 0}${v.undoneAt ? `  annulé le ${v.undoneAt}` : ''}`,
        );
      }
    });
    return;
  }
  if (values.undo) {
    const id = Number(values.undo);
    if (!Number.isInteger(id) || id <= 0) throw new UsageError(`--undo attend un numéro d'import, pas « ${values.undo} ».`);
    await withDb(async (db) => {
      try {
        const r = await undoVersion(db, id, 'ligne de commande');
        console.log(`Import n° ${id} annulé (couche ${r.layer}) : ${r.removed} périmètres retirés, ${r.restored} rétablis.`);
      } catch (err) {
        if (!(err instanceof PerimeterImportError)) throw err;
        console.error(err.message);
        process.exitCode = 1;
      }
    });
    return;
  }
  if (!values.layer || !values.file || !values.scope) throw new UsageError('--layer, --file et --scope sont obligatoires.');
  let scope;
  try {
    scope = parseScope(values.scope);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  await withDb(async (db) => {
    const report = await importPerimeters(db, {
      layer: values.layer!,
      file: values.file!,
      name: values.name,
      dryRun: values['dry-run'],
      scope,
      vintage: values.vintage,
      licence: values.licence,
      codeField: values['code-field'],
      nameField: values['name-field'],
      communeField: values['commune-field'],
    });
    console.log(formatPerimeterReport(report));
    if (report.status === 'rejected') process.exitCode = 1;
  });
}

function parseUsage(args: string[]) {
  try {
    return parsePerimeterArgs(args);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

function parsePerimeterArgs(args: string[]) {
  return parseArgs({
    args,
    options: {
      layer: { type: 'string' },
      file: { type: 'string' },
      name: { type: 'string' },
      'dry-run': { type: 'boolean' },
      scope: { type: 'string' },
      versions: { type: 'boolean' },
      undo: { type: 'string' },
      vintage: { type: 'string' },
      licence: { type: 'string' },
      'code-field': { type: 'string' },
      'name-field': { type: 'string' },
      'commune-field': { type: 'string' },
    },
    strict: true,
  });
}

const [command, ...rest] = process.argv.slice(2);
if (command === undefined) {
  await referenceImport();
} else {
  try {
    if (command === 'perimeters' || command === 'perimetres') await perimeterImport(rest);
    else if (command === 'exemples' || command === 'examples') {
      await withDb(async (db) => console.log(formatExampleReport(await ensureExampleLayers(db))));
    } else if (command === '--help' || command === 'aide') console.log(USAGE);
    else throw new UsageError(`Commande inconnue : « ${command} ».`);
  } catch (err) {
    console.error(err instanceof UsageError ? `${err.message}\n\n${USAGE}` : `Échec : ${(err as Error).message}`);
    process.exitCode = 1;
  }
}
