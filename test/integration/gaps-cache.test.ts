// The national gap answer is kept per data version (server/analysis/gap-answers.ts), with
// the communes of France kept while the reference layers stay the same: on every backend,
// a scheme written by another process and a renamed département show in the very next
// answers once the change is announced, and the kept answer has the figures of the SQL
// query it replaces (zoneCoverage).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coverageGaps, gapsByArea } from '../../server/analysis/gaps.ts';
import { zoneCoverage } from '../../server/queries/analysis.ts';
import { backends, startTestServer, type TestServer } from '../support/backends.ts';

const CODE = 'cls-test-gap-cache';

describe.each(backends())('kept national gaps on $name', (backend) => {
  let server: TestServer;
  const national = async (encoding = 'gzip') => {
    const res = await fetch(`${server.url}/api/gaps?layer=cls`, { headers: { 'accept-encoding': encoding } });
    expect(res.status).toBe(200);
    return (await res.json()) as any;
  };
  /** Asks until the answer meets `done` (the server learns of a change by polling, or NOTIFY). */
  const until = async (done: (body: any) => boolean) => {
    for (let i = 0; i < 100; i++) {
      const body = await national();
      if (done(body)) return body;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('the national answer never showed the change');
  };
  const announce = (layer: string) => server.db.query(`INSERT INTO public.data_change (layer) VALUES ($1)`, [layer]);
  const cleanup = async () => {
    await server.db.query(`DELETE FROM atlas.membership WHERE layer = 'scheme' AND code = $1`, [CODE]);
    await server.db.query(`DELETE FROM atlas.perimeter WHERE layer = 'scheme' AND code = $1`, [CODE]);
  };

  beforeAll(async () => {
    server = await startTestServer(backend, { dataChangeIntervalMs: 100 });
    await cleanup();
  });
  afterAll(async () => {
    await cleanup();
    await announce('scheme');
    await server?.close();
  });

  it('gives the figures of the zone query, compressed or not', async () => {
    const rows = await zoneCoverage(server.db, 'scheme', 'CLS', null, null, false);
    const expected = coverageGaps(rows);
    const body = await national();
    expect({ zone: body.zone, uncovered: body.uncovered, partlyCovered: body.partlyCovered }).toEqual(expected);
    expect(body.areas.departement).toEqual(gapsByArea(rows, (c) => ({ code: c.departement, name: c.departementName ?? c.departement })));
    expect(body.areas.epci).toEqual(gapsByArea(rows, (c) => (c.epci ? { code: c.epci, name: c.epciName ?? c.epci } : null)));
    expect(await national('identity')).toEqual(body);
    expect(await national('br')).toEqual(body);
  });

  it('shows a new scheme in the next answer after the change is announced', async () => {
    const before = await national();
    const target = before.uncovered.communes[0];
    const [{ departement } = { departement: '' }] = await server.db.query<{ departement: string }>(
      `SELECT departement FROM atlas.commune WHERE code = $1`,
      [target.code],
    );
    await server.db.query(
      `INSERT INTO atlas.perimeter (layer, code, name, subtype, search_key) VALUES ('scheme', $1, 'CLS de test', 'CLS', 'cls de test')`,
      [CODE],
    );
    await server.db.query(`INSERT INTO atlas.membership (layer, code, commune, share) VALUES ('scheme', $1, $2, 1)`, [CODE, target.code]);
    await announce('scheme');
    const after = await until((b) => b.uncovered.communeCount !== before.uncovered.communeCount);
    expect(after.uncovered.communes.map((c: any) => c.code)).not.toContain(target.code);
    expect(after.uncovered.communeCount).toBe(before.uncovered.communeCount - 1);
    expect(after.uncovered.population).toBe(before.uncovered.population - target.population);
    const row = (b: any) => b.areas.departement.find((d: any) => d.code === departement);
    expect(row(after).uncoveredCount).toBe(row(before).uncoveredCount - 1);

    await cleanup();
    await announce('scheme');
    const back = await until((b) => b.uncovered.communeCount === before.uncovered.communeCount);
    expect(back).toEqual(before);
  });

  it('shows a renamed département (a reference layer) in the next answer', async () => {
    const before = await national();
    const code = before.areas.departement[0].code;
    const name = before.areas.departement[0].name;
    try {
      await server.db.query(`UPDATE atlas.perimeter SET name = $2 WHERE layer = 'departement' AND code = $1`, [code, `${name} (renommé)`]);
      await announce('departement');
      const after = await until((b) => b.areas.departement[0].name !== name);
      expect(after.areas.departement[0]).toEqual({ ...before.areas.departement[0], name: `${name} (renommé)` });
    } finally {
      await server.db.query(`UPDATE atlas.perimeter SET name = $2 WHERE layer = 'departement' AND code = $1`, [code, name]);
      await announce('departement');
    }
    expect(await until((b) => b.areas.departement[0].name === name)).toEqual(before);
  });
});
