// `npm run import`: (re)imports the reference data into the configured database.
// `npm run import -- perimeters --layer <couche> --file <fichier> [--dry-run] …`: imports
// user perimeters (CPTS, psychiatric sectors, any zoning) from a CSV, GeoJSON or zipped
// shapefile. `npm run import -- exemples`: regenerates the fictitious example layers.
import { parseArgs } from 'node:util';
import { loadConfig } from '../server/config.ts';
import { holdDataDir } from '../server/db/data-dir-lock.ts';
import { openDb, type Db } from '../server/db/db.ts';
import { migrate } from '../server/db/migrate.ts';
import { ensureExampleLayers, formatExampleReport } from './examples/index.ts';
import { formatReport, importReference } from './import.ts';
import { formatPerimeterReport, importPerimeters, LAYER_CHOICES } from './perimeters/index.ts';

const USAGE = `Usage :
  npm run import                                   import des données de référence
  npm run import -- perimeters --layer <couche> --file <fichier> [options]
      couches : ${LAYER_CHOICES.join(', ')}
      --name <nom>        nom de la couche (obligatoire pour « other »)
      --dry-run           affiche le rapport sans rien écrire
      --region <code>     signale les communes hors de cette région (code INSEE)
      --vintage <texte>   millésime affiché (par défaut : date de l'import)
      --licence <texte>   licence des données
      --code-field, --name-field, --commune-field <colonne>   colonnes à utiliser
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
  if (!values.layer || !values.file) throw new UsageError('--layer et --file sont obligatoires.');
  await withDb(async (db) => {
    const report = await importPerimeters(db, {
      layer: values.layer!,
      file: values.file!,
      name: values.name,
      dryRun: values['dry-run'],
      region: values.region,
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
      region: { type: 'string' },
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
