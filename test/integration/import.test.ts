// The reference import on each backend: its report, idempotence, and atomicity (a
// failed import leaves the previous data serving).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importReference } from '../../geodata/import.ts';
import { buildReferenceDataset } from '../../geodata/reference.ts';
import { REFERENCE_LAYERS, sourceFiles } from '../../geodata/sources.ts';
import { writeDataset } from '../../geodata/write.ts';
import type { Db } from '../../core/db/db.ts';
import { backends, GEODATA_DIR, openBackend } from '../support/backends.ts';

/** A fingerprint of everything the import writes. */
async function snapshot(db: Db) {
  const [row] = await db.query(
    `SELECT (SELECT count(*)::int FROM atlas.commune) AS communes,
            (SELECT count(*)::int FROM atlas.commune_alias) AS aliases,
            (SELECT count(*)::int FROM atlas.perimeter) AS perimeters,
            (SELECT count(*)::int FROM atlas.membership) AS memberships,
            (SELECT count(*)::int FROM registry.scheme) AS schemes,
            (SELECT sum(population)::float8 FROM atlas.commune) AS population,
            (SELECT round(sum(area_km2)::numeric, 3)::float8 FROM atlas.perimeter WHERE layer = 'departement') AS dep_area,
            (SELECT round(sum(coalesce(share, -1))::numeric, 6)::float8 FROM atlas.membership) AS shares`,
  );
  return row;
}

/** Each test runs a whole national import (half a minute on PGlite, more on a loaded machine). */
const IMPORT_BUDGET = 240_000;

describe.each(backends())('reference import on $name', (backend) => {
  let db: Db;
  beforeAll(async () => {
    db = await openBackend(backend);
  });
  afterAll(async () => db?.close());

  it(
    'is idempotent and reports re-keyed, unknown and partial codes',
    async () => {
      const before = await snapshot(db);
      const report = await importReference(db, GEODATA_DIR);
      expect(await snapshot(db)).toEqual(before);
      expect(report.layers.commune!.stored).toBe(before!.communes);
      expect(report.layers.pnr!.rekeyed).toEqual([
        { from: '25347', to: '25390' },
        { from: '25620', to: '25390' },
      ]);
      expect(report.layers.pnr!.partial).toEqual([{ code: '25390', share: 0.4, listed: ['25347', '25620'] }]);
      expect(report.unknown).toBe(0);
      const [run] = await db.query<{ status: string }>(`SELECT status FROM public.import_run ORDER BY id DESC LIMIT 1`);
      expect(run!.status).toBe('ok');
    },
    IMPORT_BUDGET,
  );

  it(
    'leaves the previous data intact when writing fails half-way',
    async () => {
      const before = await snapshot(db);
      const data = buildReferenceDataset(sourceFiles(GEODATA_DIR));
      // a second perimeter under an existing key: rejected after thousands of rows were written
      data.perimeters.push({ ...data.perimeters[0]!, name: 'Doublon' });
      await expect(db.transaction((tx) => writeDataset(tx, data, { layers: REFERENCE_LAYERS }))).rejects.toThrow();
      expect(await snapshot(db)).toEqual(before);
      const next = await db.query(`SELECT 1 FROM information_schema.schemata WHERE schema_name = 'atlas_next'`);
      expect(next).toHaveLength(0);
    },
    IMPORT_BUDGET,
  );

  it(
    'records a failed run and keeps serving when a source file is missing',
    async () => {
      const before = await snapshot(db);
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mf-geodata-'));
      fs.cpSync(GEODATA_DIR, dir, { recursive: true });
      fs.rmSync(path.join(dir, 'petr', 'petr-grand-quercy.csv'));
      await expect(importReference(db, dir)).rejects.toThrow(/petr-grand-quercy\.csv/);
      const [run] = await db.query<{ status: string; report: { error: string } }>(
        `SELECT status, report FROM public.import_run ORDER BY id DESC LIMIT 1`,
      );
      expect(run!.status).toBe('failed');
      expect(run!.report.error).toMatch(/petr-grand-quercy\.csv/);
      expect(await snapshot(db)).toEqual(before);
      fs.rmSync(dir, { recursive: true, force: true });
    },
    IMPORT_BUDGET,
  );
});
