// The parse worker (server/parse/): an uploaded file is read in a worker thread and comes
// back planned, its geometries as GeoJSON text; the file's own errors come back as the
// same French errors as before; a commune list asks for the COG; a file that takes too
// long is stopped and refused in French; a full queue is refused, never piled up.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PerimeterImportError } from '../../core/perimeters/errors.ts';
import { geometryText } from '../../core/perimeters/read-file.ts';
import { HttpError } from '../../server/errors.ts';
import { ParsePool, ParseRefused, PARSE_LIMITS } from '../../server/parse/pool.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mf-parse-pool-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, content);
  return p;
}

const square = (x: number, y: number) => [
  [
    [x, y],
    [x + 0.1, y],
    [x + 0.1, y + 0.1],
    [x, y + 0.1],
    [x, y],
  ],
];
const GEOJSON = JSON.stringify({
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', properties: { code: 'A', nom: 'Secteur A' }, geometry: { type: 'Polygon', coordinates: square(1.4, 44.4) } },
    { type: 'Feature', properties: { code: 'A', nom: 'Secteur A' }, geometry: { type: 'Polygon', coordinates: square(1.6, 44.4) } },
    { type: 'Feature', properties: { code: 'B', nom: 'Secteur B' }, geometry: { type: 'Polygon', coordinates: square(1.8, 44.4) } },
  ],
});

describe('the parse worker', () => {
  const pool = new ParsePool();

  it('reads and plans a GeoJSON off the main thread; geometries come back as GeoJSON text, each once', async () => {
    const result = await pool.run({ kind: 'perimeter-file', options: { file: file('secteurs.geojson', GEOJSON), maxBytes: 1e6 } });
    expect(result.format).toBe('geojson');
    expect(result.source).toMatchObject({ 'attribut code': 'code', 'attribut nom': 'nom' });
    expect(result.plan.perimeters.map((p) => p.code)).toEqual(['A', 'B']);
    expect(result.plan.features).toHaveLength(3);
    const text = (ref: { start: number; end: number }) => geometryText(result.geometries, ref);
    const merged = JSON.parse(text(result.plan.perimeters[0]!.geometry!)) as { type: string; coordinates: unknown[] };
    expect(merged.type).toBe('MultiPolygon');
    expect(merged.coordinates).toHaveLength(2);
    expect(JSON.parse(text(result.plan.features[2]!.geometry))).toEqual({ type: 'Polygon', coordinates: square(1.8, 44.4) });
    // perimeter B is its one feature: its text is that feature's, not a copy
    expect(result.plan.perimeters[1]!.geometry).toEqual(result.plan.features[2]!.geometry);
  });

  it('gives back the file’s own refusal as the same French PerimeterImportError', async () => {
    const truncated = file('tronque.geojson', GEOJSON.slice(0, 200));
    const err = await pool.run({ kind: 'perimeter-file', options: { file: truncated, maxBytes: 1e6 } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PerimeterImportError);
    expect((err as Error).message).toMatch(/JSON illisible/);
  });

  it('asks the main thread for the COG only for a commune list, then plans it', async () => {
    let asked = 0;
    const cog = async () => {
      asked++;
      return {
        communes: [
          { code: '46042', name: 'Cahors', region: '76', departement: '46' },
          { code: '46102', name: 'Figeac', region: '76', departement: '46' },
        ],
        aliases: [],
      };
    };
    const csv = file('liste.csv', 'code;nom;insee\nC1;CPTS du Lot;46042\nC1;CPTS du Lot;46102\nC1;CPTS du Lot;99999\n');
    const result = await pool.run({ kind: 'perimeter-file', options: { file: csv, maxBytes: 1e6, region: '76' } }, cog);
    expect(asked).toBe(1);
    expect(result.plan.memberships.map((m) => m.commune)).toEqual(['46042', '46102']);
    expect(result.plan.report.unknown).toEqual([{ code: '99999', perimeters: ['C1'] }]);
    await pool.run({ kind: 'perimeter-file', options: { file: file('b.geojson', GEOJSON), maxBytes: 1e6 } }, cog);
    expect(asked).toBe(1);
  });

  it('refuses a registry CSV beyond its size limits in the worker, with the API’s 413', async () => {
    const header =
      'code;type;nom;porteur_type;porteur_nom;perimetre_reference;date_signature;generation;statut;date_fin;etp_coordination;thematiques;signataires;source;remarque;communes';
    const line = (i: number) => `cls-${i};CLS;CLS n° ${i};;;;;;en_cours;;;;;;;46042`;
    const bytes = new TextEncoder().encode([header, ...Array.from({ length: 2_001 }, (_, i) => line(i))].join('\n'));
    const err = await pool.run({ kind: 'registry-csv', bytes }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect((err as HttpError).status).toBe(413);
    const ok = await pool.run({ kind: 'registry-csv', bytes: new TextEncoder().encode([header, line(1)].join('\n')) });
    expect(ok.errors).toEqual([]);
    expect(ok.rows[0]!.record).toMatchObject({ code: 'cls-1', communes: [{ code: '46042', share: 1 }] });
  });

  it('stops a file that takes longer than allowed and refuses it in French', async () => {
    const slow = new ParsePool({ ...PARSE_LIMITS, timeoutMs: 1 });
    const err = await slow
      .run({ kind: 'perimeter-file', options: { file: file('lent.geojson', GEOJSON), maxBytes: 1e6 } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ParseRefused);
    expect((err as ParseRefused).message).toMatch(/^Lecture du fichier trop longue/);
  });

  it('reads one file at a time and refuses beyond its queue, in French', async () => {
    const one = new ParsePool({ ...PARSE_LIMITS, maxQueued: 1 });
    const task = { kind: 'perimeter-file' as const, options: { file: file('c.geojson', GEOJSON), maxBytes: 1e6 } };
    const [a, b, c] = await Promise.allSettled([one.run(task), one.run(task), one.run(task)]);
    expect(a.status).toBe('fulfilled');
    expect(b.status).toBe('fulfilled');
    expect(c.status).toBe('rejected');
    const refused = (c as PromiseRejectedResult).reason as ParseRefused;
    expect(refused).toBeInstanceOf(ParseRefused);
    expect(refused.status).toBe(503);
    expect(refused.message).toMatch(/^Trop de fichiers en cours de lecture/);
  });
});
