// An import made outside the server (the importer called directly, as `npm run import`
// does from another process) reaches a running server: it reads public.data_change and
// forgets the tiles of the layer that was replaced, instead of serving the old ones.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importPerimeters } from '../../core/perimeters/index.ts';
import { backends, startTestServer, type TestServer } from '../support/backends.ts';

const NAME = 'Test fraîcheur des tuiles';

function tileOf(lon: number, lat: number, z: number): [number, number] {
  const n = 2 ** z;
  const r = (lat * Math.PI) / 180;
  return [Math.floor(((lon + 180) / 360) * n), Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n)];
}

describe.each(backends())('imports made outside the server, on $name', (backend) => {
  let server: TestServer;
  let dir: string;
  let layer = '';

  beforeAll(async () => {
    server = await startTestServer(backend, { dataChangeIntervalMs: 100 });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mf-data-changes-'));
  });
  afterAll(async () => {
    if (layer) {
      await server.db.transaction(async (tx) => {
        await tx.query(`DELETE FROM atlas.membership WHERE layer = $1`, [layer]);
        await tx.query(`DELETE FROM atlas.perimeter WHERE layer = $1`, [layer]);
        await tx.query(`DELETE FROM atlas.layer WHERE id = $1`, [layer]);
      });
    }
    await server?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const importCodes = async (code: string) => {
    const file = path.join(dir, `${code}.csv`);
    fs.writeFileSync(file, `code;nom;insee\n${code};Périmètre ${code};46042\n`);
    const report = await importPerimeters(server.db, { layer: 'other', name: NAME, file, scope: { kind: 'departement', code: '46' } });
    expect(report.status, report.errors.join('\n')).toBe('imported');
    return report.layer!.id;
  };

  const found = async (q: string) => {
    const res = await fetch(`${server.url}/api/search?q=${encodeURIComponent(q)}`);
    return ((await res.json()) as { results: { layer: string; code: string }[] }).results.map((r) => `${r.layer}:${r.code}`);
  };

  const codesInTile = async (tilePath: string) => {
    const res = await fetch(server.url + tilePath);
    expect(res.status).toBe(200);
    const vt = new VectorTile(new PbfReader(new Uint8Array(await res.arrayBuffer())));
    const shapes = vt.layers[layer]!;
    return Array.from({ length: shapes.length }, (_, i) => String(shapes.feature(i).properties.code));
  };

  it('serves the perimeters of the new import once the server has read the change', async () => {
    layer = await importCodes('AVANT');
    const [{ lon, lat }] = (await server.db.query<{ lon: number; lat: number }>(
      `SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (SELECT ST_PointOnSurface(geom) AS p FROM atlas.commune WHERE code = '46042') c`,
    )) as [{ lon: number; lat: number }];
    const [x, y] = tileOf(lon, lat, 9);
    const tilePath = `/tiles/${layer}/9/${x}/${y}.mvt`;
    // the first import may or may not have been read yet: wait for it, then the tile is cached
    let codes: string[] = [];
    for (let i = 0; i < 50 && codes.join() !== 'AVANT'; i++) {
      codes = await codesInTile(tilePath);
      if (codes.join() !== 'AVANT') await new Promise((r) => setTimeout(r, 100));
    }
    expect(codes).toEqual(['AVANT']);
    expect(await found('périmètre avant')).toContain(`${layer}:AVANT`);

    await importCodes('APRES');
    const seen: string[] = [];
    for (let i = 0; i < 50 && !seen.includes('APRES'); i++) {
      await new Promise((r) => setTimeout(r, 100));
      seen.push(...(await codesInTile(tilePath)));
    }
    expect(seen).toContain('APRES');
    expect(await codesInTile(tilePath)).toEqual(['APRES']);
    // the search reads the reference territories again too
    expect(await found('périmètre apres')).toContain(`${layer}:APRES`);
  });
});
