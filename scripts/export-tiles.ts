// npm run export:tiles [-- --out dist/tiles --maxzoom 10 --minzoom 0 --only base,commune]
// Writes the reference layers as PMTiles v3 archives for any static server or CDN,
// from the database the server would use (DATABASE_URL, else the embedded one in DATA_DIR).
import path from 'node:path';
import { parseArgs } from 'node:util';
import { formatReport, importReference } from '../geodata/import.ts';
import { loadConfig } from '../core/config.ts';
import { openDb } from '../core/db/db.ts';
import { migrate } from '../core/db/migrate.ts';
import { exportTiles } from './lib/tile-export.ts';

const { values } = parseArgs({
  options: {
    out: { type: 'string', default: 'dist/tiles' },
    maxzoom: { type: 'string', default: '10' },
    minzoom: { type: 'string', default: '0' },
    only: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});

if (values.help) {
  console.log(`Usage : npm run export:tiles -- [--out DOSSIER] [--maxzoom 10] [--minzoom 0] [--only base,commune,reference]
Écrit une archive PMTiles par source de la carte (base, commune, epci…) et reference.pmtiles (toutes les couches).`);
  process.exit(0);
}

const int = (name: string, v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n)) {
    console.error(`--${name} : entier attendu, reçu « ${v} »`);
    process.exit(2);
  }
  return n;
};

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
  console.log(`Export des tuiles (${db.kind}) vers ${outDir}`);
  const t0 = Date.now();
  const archives = await exportTiles(db, {
    outDir,
    minZoom: int('minzoom', values.minzoom),
    maxZoom: int('maxzoom', values.maxzoom),
    only: values.only
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    log: (line) => console.log(`  ${line}`),
  });
  const bytes = archives.reduce((s, a) => s + a.bytes, 0);
  console.log(`${archives.length} archives, ${(bytes / 1e6).toFixed(1)} Mo en ${((Date.now() - t0) / 1000).toFixed(1)} s`);
} catch (err) {
  console.error((err as Error).message);
  process.exitCode = 1;
} finally {
  await db.close();
}
