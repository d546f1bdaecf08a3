// Writes the publication to a folder for upload to a portal: the data files, their
// Table Schemas, the listing (index.json) and the DCAT-AP description (dcat.jsonld).
import fs from 'node:fs';
import path from 'node:path';
import { DCAT_FILE } from '../../contract/open-data.ts';
import type { Queryable } from '../../core/db/db.ts';
import { publicationState } from '../queries/open-data.ts';
import { buildOpenData } from './build.ts';
import { dcatCatalog, openDataIndex } from './describe.ts';

export const INDEX_FILE = 'index.json';

/** `base`: the address the folder will be published at (ending in '/'), or '' for relative links. */
export async function exportOpenData(db: Queryable, outDir: string, base: string): Promise<{ name: string; bytes: number }[]> {
  const state = await publicationState(db);
  const bundle = await buildOpenData(db, state.modified ?? new Date().toISOString());
  fs.mkdirSync(outDir, { recursive: true });
  const written = bundle.files.map((f) => ({ name: f.name as string, body: f.body }));
  written.push({ name: INDEX_FILE, body: Buffer.from(`${JSON.stringify(openDataIndex(bundle, base), null, 2)}\n`) });
  const listing = base ? base + INDEX_FILE : null;
  written.push({ name: DCAT_FILE, body: Buffer.from(`${JSON.stringify(dcatCatalog(bundle, base, listing), null, 2)}\n`) });
  for (const f of written) fs.writeFileSync(path.join(outDir, f.name), f.body);
  return written.map((f) => ({ name: f.name, bytes: f.body.length }));
}
