// `npm run import`: (re)imports the reference data into the configured database.
import { loadConfig } from '../server/config.ts';
import { openDb } from '../server/db/db.ts';
import { migrate } from '../server/db/migrate.ts';
import { formatReport, importReference } from './import.ts';

const config = loadConfig();
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
