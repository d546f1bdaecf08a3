// GET /api/open-data/ (listing: schema, date and SHA-256 of each file) and
// GET /api/open-data/:file (the CSV files, the GeoJSON, the Table Schemas and the
// DCAT-AP description): the registry published as open data, Licence Ouverte 2.0.
import { Router, type Request } from 'express';
import { DCAT_FILE, openDataFileParamsSchema } from '../../contract/open-data.ts';
import type { Db } from '../../core/db/db.ts';
import { notFound } from '../errors.ts';
import { dcatCatalog, openDataIndex } from '../open-data/describe.ts';
import { openDataPublication } from '../open-data/publication.ts';

/** Absolute address of the folder the files are served from. */
const baseOf = (req: Request) => `${req.protocol}://${req.get('host')}${req.baseUrl}/open-data/`;

export function openDataRoutes(db: Db): Router {
  const router = Router();
  const publication = openDataPublication(db);

  router.get('/open-data', async (req, res) => {
    res.set('cache-control', 'no-cache').json(openDataIndex(await publication.current(), baseOf(req)));
  });

  router.get('/open-data/:file', async (req, res) => {
    const parsed = openDataFileParamsSchema.safeParse(req.params);
    if (!parsed.success)
      throw notFound(`Fichier de données ouvertes inconnu : « ${req.params.file} ». ${parsed.error.issues[0]!.message}.`);
    const bundle = await publication.current();
    const { file } = parsed.data;
    res.set('cache-control', 'no-cache');
    if (file === DCAT_FILE) {
      const base = baseOf(req);
      res.type('application/ld+json; charset=utf-8').send(JSON.stringify(dcatCatalog(bundle, base, base), null, 2));
      return;
    }
    const published = bundle.files.find((f) => f.name === file)!;
    res
      .set('etag', `"${published.sha256}"`)
      .set('last-modified', new Date(published.modified).toUTCString())
      .type(`${published.mediaType}; charset=utf-8`)
      .send(published.body);
  });

  return router;
}
