// npm run export:open-data [-- --out dist/open-data --base-url https://exemple.fr/donnees/]
// Writes the registry's open-data files (CSV with their Table Schema, GeoJSON, listing,
// DCAT-AP description) into a folder to upload to a portal, from the database the server
// would use (DATABASE_URL, else the embedded one in DATA_DIR).
import path from 'node:path';
import { parseArgs } from 'node:util';
import { formatReport, importReference } from '../geodata/import.ts';
import { loadConfig } from '../core/config.ts';
import { openDb } from '../core/db/db.ts';
import { migrate } from '../core/db/migrate.ts';
import { exportOpenData } from '../server/open-data/export.ts';

const { values } = parseArgs({
  options: {
    out: { type: 'string', default: 'dist/open-data' },
    'base-url': { type: 'string', default: '' },
    help: { type: 'boolean', short: 'h' },
  },
});

if (values.help) {
  console.log(`Usage : npm run export:open-data -- [--out DOSSIER] [--base-url https://adresse/du/dossier/]
Écrit demarches.csv, demarches-communes.csv, demarches.geojson, leurs Table Schema, index.json et dcat.jsonld.
--base-url : adresse où le dossier sera publié (liens absolus dans dcat.jsonld et index.json) ; sans elle, liens relatifs.`);
  process.exit(0);
}

const base = values['base-url'];
if (base && !/^https?:\/\/\S+\/$/.test(base)) {
  console.error(`--base-url : adresse http(s) terminée par « / » attendue, reçu « ${base} »`);
  process.exit(2);
}

const config = loadConfig();
const db = await openDb(config);
try {
  await migrate(db);
  const [{ n }] = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM atlas.commune')) as [{ n: number }];
  if (n === 0) {
    console.log(`Base vide : import des données de référence depuis ${config.geodataDir}…`);
    console.log(formatReport(await importReference(db, config.geodataDir)));
  }
  const outDir = path.resolve(values.out);
  for (const f of await exportOpenData(db, outDir, base)) console.log(`  ${f.name} : ${f.bytes} octets`);
  console.log(`Données ouvertes écrites dans ${outDir}`);
} catch (err) {
  console.error((err as Error).message);
  process.exitCode = 1;
} finally {
  await db.close();
}
