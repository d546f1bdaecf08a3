// The registry published as open data, on every backend: the listing's checksums match
// the files, the CSV files pass the frictionless validator (`tableschema`) against their
// own Table Schema, nothing personal leaks, GDAL reads the GeoJSON, identifiers survive
// an edit and a re-import while the files change, and the exported folder holds the same.
import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tableschema from 'tableschema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DCAT_FILE, LICENCE, OPEN_DATA_FILES, openDataIndexSchema, type OpenDataIndex } from '../../contract/open-data.ts';
import { hashPassword } from '../../server/auth/passwords.ts';
import { exportOpenData } from '../../server/open-data/export.ts';
import { createUser } from '../../server/queries/users.ts';
import { materializeSchemes } from '../../core/registry/materialize.ts';
import { BEARER_TYPES, SCHEME_TYPES, STATUSES, THEMES } from '../../contract/domain.ts';
import { finishedJob } from '../support/jobs.ts';
import { backends, startTestServer, type TestServer } from '../support/backends.ts';

const PASSWORD = 'correct horse battery staple';
const ADMIN = { email: 'agathe.editrice@donnees-ouvertes.test', name: 'Agathe Éditrice-Témoin' };
const REFERENT = { name: 'Gaspard Référent-Témoin', email: 'g.referent@mairie-temoin.test', phone: '05 65 12 34 56' };
const CODE = 'cls-test-opendata';
const GRAND_CAHORS = '200023737';
const INVENTORY = { zone: 'region:76', type: 'CLS' };
const EMAIL = /[\w.+-]+@[\w-]+\.[\w.-]+/;
const PHONE = /(?:\+33|\b0)\s*[1-9](?:[\s.-]*\d{2}){4}\b/;

type Row = Record<string, unknown>;

/** RFC 4180 CSV into keyed rows (quoted cells may hold commas, quotes and line breaks). */
function parseCsv(text: string): { header: string[]; rows: Record<string, string>[] } {
  const records: string[][] = [];
  const cell = /("(?:[^"]|"")*"|[^",\r\n]*)(,|\r\n)/y;
  let record: string[] = [];
  while (cell.lastIndex < text.length) {
    const m = cell.exec(text);
    if (!m) throw new Error(`CSV illisible à l'octet ${cell.lastIndex}`);
    const raw = m[1]!;
    record.push(raw.startsWith('"') ? raw.slice(1, -1).replace(/""/g, '"') : raw);
    if (m[2] === '\r\n') {
      records.push(record);
      record = [];
    }
  }
  const [header, ...rows] = records;
  return { header: header!, rows: rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]!]))) };
}

describe.each(backends())('open data on $name', (backend) => {
  let server: TestServer;
  let session: { cookie: string; csrf: string };
  let savedInventory: Row[] = [];
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `mf-open-data-${backend.name}-`));

  const call = (method: string, url: string, body?: unknown, headers: Record<string, string> = {}) =>
    fetch(server.url + url, {
      method,
      headers: {
        ...(typeof body === 'object' ? { 'content-type': 'application/json' } : {}),
        cookie: session.cookie,
        'x-csrf-token': session.csrf,
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
  const listing = async (): Promise<OpenDataIndex> => {
    const res = await fetch(`${server.url}/api/open-data/`);
    expect(res.status).toBe(200);
    return openDataIndexSchema.parse(await res.json());
  };
  const download = async (url: string) => {
    const res = await fetch(url);
    expect(res.status, url).toBe(200);
    return { type: res.headers.get('content-type'), etag: res.headers.get('etag'), body: Buffer.from(await res.arrayBuffer()) };
  };
  const csvOf = async (name: string) => parseCsv((await download(`${server.url}/api/open-data/${name}`)).body.toString('utf8'));
  const versionOf = async (code: string) =>
    (await server.db.query<{ version: number }>(`SELECT version FROM registry.scheme WHERE code = $1`, [code]))[0]!.version;
  const cleanup = async () => {
    await server.db.query(`DELETE FROM registry.scheme WHERE code = $1`, [CODE]);
    await server.db.query(`DELETE FROM registry.history WHERE scheme = $1`, [CODE]);
    await server.db.query(`DELETE FROM registry.app_user WHERE email = $1`, [ADMIN.email]);
  };

  /** Validates a CSV text against a Table Schema with the frictionless JavaScript library. */
  async function validateCsv(text: string, schema: object, relations?: Record<string, Row[]>) {
    const file = path.join(tmp, `${crypto.randomUUID()}.csv`);
    fs.writeFileSync(file, text);
    const table = await tableschema.Table.load(file, { schema });
    const rows = await table.read({ keyed: true, forceCast: true, relations });
    const errors = rows
      .filter((r): r is Error & { rowNumber?: number; errors?: Error[] } => r instanceof Error)
      .map((e) => `ligne ${e.rowNumber} : ${e.message} ${(e.errors ?? []).map((x) => x.message).join(' ; ')}`);
    return { errors, rows: rows.filter((r) => !(r instanceof Error)) as Row[] };
  }

  beforeAll(async () => {
    server = await startTestServer(backend);
    await cleanup();
    savedInventory = await server.db.query(`SELECT * FROM registry.inventory WHERE zone = $1 AND scheme_type = $2`, [
      INVENTORY.zone,
      INVENTORY.type,
    ]);
    await createUser(server.db, { ...ADMIN, role: 'admin', region: null, passwordHash: await hashPassword(PASSWORD), schemes: [] });
    const res = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: ADMIN.email, password: PASSWORD }),
    });
    expect(res.status).toBe(200);
    session = { cookie: res.headers.get('set-cookie')!.split(';')[0]!, csrf: ((await res.json()) as { csrfToken: string }).csrfToken };
    // a CLS on the Grand Cahors agglomeration (Lot, Occitanie), with an elected referent
    const created = await call('POST', '/api/schemes', {
      code: CODE,
      type: 'CLS',
      name: 'CLS de test des données ouvertes',
      bearerType: 'EPCI',
      bearerName: 'CA du Grand Cahors',
      perimeter: { epci: [GRAND_CAHORS] },
      signatureDate: '2021-03',
      generation: 2,
      themes: ['santé mentale', 'accès aux soins'],
      coordinationFte: 0.8,
      remark: `Contact : ${REFERENT.email}`,
    });
    expect(created.status).toBe(201);
    const referent = await call('PUT', `/api/schemes/${CODE}/referents/46042`, {
      ...REFERENT,
      delegation: 'adjoint à la santé',
      hasCommittee: true,
    });
    expect(referent.status).toBe(204);
    await server.db.query(
      `INSERT INTO registry.inventory (zone, scheme_type, status, complete_at) VALUES ($1, $2, 'complet', '2026-06-30')
       ON CONFLICT (zone, scheme_type) DO UPDATE SET status = 'complet', complete_at = '2026-06-30', updated_at = now()`,
      [INVENTORY.zone, INVENTORY.type],
    );
  });

  afterAll(async () => {
    if (server) {
      await cleanup();
      await server.db.query(`DELETE FROM registry.inventory WHERE zone = $1 AND scheme_type = $2`, [INVENTORY.zone, INVENTORY.type]);
      for (const r of savedInventory) {
        await server.db.query(
          `INSERT INTO registry.inventory (zone, scheme_type, status, complete_at, comment, updated_by, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          [r.zone, r.scheme_type, r.status, r.complete_at, r.comment, r.updated_by, r.updated_at],
        );
      }
      await server.db.query(`DELETE FROM atlas.perimeter WHERE layer = 'scheme' AND code = $1`, [CODE]);
      await server.db.query(`DELETE FROM atlas.membership WHERE layer = 'scheme' AND code = $1`, [CODE]);
      await server.db.transaction((tx) => materializeSchemes(tx, 'atlas', null));
      await server.close();
    }
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('lists every file with its schema, date and a SHA-256 that matches what is served', async () => {
    const index = await listing();
    expect(index.files.map((f) => f.name)).toEqual([...OPEN_DATA_FILES]);
    expect(index.licence.url).toBe(LICENCE.url);
    const [{ vintage }] = (await server.db.query<{ vintage: string }>(
      `SELECT vintage FROM public.import_run WHERE status = 'ok' ORDER BY id DESC LIMIT 1`,
    )) as [{ vintage: string }];
    expect(index.cogVintage).toBe(vintage);
    const base = `${server.url}/api/open-data/`;
    for (const f of index.files) {
      const got = await download(f.url);
      expect(f.url).toBe(base + f.name);
      expect(crypto.createHash('sha256').update(got.body).digest('hex'), f.name).toBe(f.sha256);
      expect(got.body.length).toBe(f.bytes);
      expect(got.etag).toBe(`"${f.sha256}"`);
      expect(got.type).toBe(`${f.mediaType}; charset=utf-8`);
      expect(Number.isNaN(Date.parse(f.modified))).toBe(false);
    }
    expect(Object.fromEntries(index.files.map((f) => [f.name, f.schema]))).toMatchObject({
      'demarches.csv': `${base}schema-demarches.json`,
      'demarches-communes.csv': `${base}schema-demarches-communes.json`,
      'demarches.geojson': null,
    });
    const unknown = await fetch(`${base}registre-complet.csv`);
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { detail: string }).detail).toMatch(/Fichier de données ouvertes inconnu/);
  });

  it('publishes CSV files that pass the frictionless validator against their own Table Schema', async () => {
    const index = await listing();
    const byName = new Map<string, OpenDataIndex['files'][number]>(index.files.map((f) => [f.name, f]));
    const text = async (name: string) => (await download(byName.get(name)!.url)).body.toString('utf8');
    const schemesSchema = JSON.parse(await text('schema-demarches.json')) as object;
    const membersSchema = JSON.parse(await text('schema-demarches-communes.json')) as object;
    for (const s of [schemesSchema, membersSchema]) expect(await tableschema.validate(s)).toEqual({ valid: true, errors: [] });

    const schemes = await validateCsv(await text('demarches.csv'), schemesSchema);
    expect(schemes.errors).toEqual([]);
    const [{ n }] = (await server.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM registry.scheme`)) as [{ n: number }];
    expect(schemes.rows).toHaveLength(n);
    const members = await validateCsv(await text('demarches-communes.csv'), membersSchema, { demarches: schemes.rows });
    expect(members.errors).toEqual([]);
    expect(members.rows).toHaveLength(schemes.rows.reduce((sum, r) => sum + (r.nombre_communes as number), 0));

    // the validator is live: the same files, broken, are refused, each for its reason
    const broken = (await text('demarches.csv')).replace(`${CODE},CLS,`, `${CODE},CLSX,`);
    expect((await validateCsv(broken, schemesSchema)).errors.join('\n')).toMatch(/enum/);
    const badCode = (await text('demarches-communes.csv')).replace(`${CODE},46042,`, `${CODE},2C042,`);
    expect((await validateCsv(badCode, membersSchema)).errors.join('\n')).toMatch(/pattern/);
    const orphan = (await text('demarches-communes.csv')).replace(`${CODE},46042,`, `cls-inconnue,46042,`);
    expect((await validateCsv(orphan, membersSchema, { demarches: schemes.rows })).errors.join('\n')).toMatch(/Foreign key/);
  });

  it('keeps the schemas’ enums in step with the registry', async () => {
    const schema = JSON.parse((await download(`${server.url}/api/open-data/schema-demarches.json`)).body.toString('utf8')) as {
      fields: { name: string; constraints?: { enum?: string[]; pattern?: string } }[];
      licenses: { name: string }[];
    };
    const field = (name: string) => schema.fields.find((f) => f.name === name)!.constraints!;
    expect(field('type').enum).toEqual([...SCHEME_TYPES]);
    expect(field('statut').enum).toEqual([...STATUSES]);
    expect(field('porteur_type').enum).toEqual([...BEARER_TYPES]);
    const themes = new RegExp(field('thematiques').pattern!);
    expect(THEMES.filter((t) => !themes.test(t))).toEqual([]);
    expect(themes.test(THEMES.join(';'))).toBe(true);
    expect(themes.test('santé mentale;astrologie')).toBe(false);
    const insee = new RegExp(field('communes').pattern!);
    expect(['46042', '2A004;2B033;97411', ''].map((v) => insee.test(v))).toEqual([true, true, true]);
    expect(['4604', '2C004', '46042,46043'].map((v) => insee.test(v))).toEqual([false, false, false]);
    expect(schema.licenses[0]!.name).toBe(LICENCE.name);
  });

  it('publishes each scheme’s public record: bearer SIREN when known, its région’s inventory, its communes', async () => {
    const { rows } = await csvOf('demarches.csv');
    const row = rows.find((r) => r.identifiant === CODE)!;
    const epci = await server.db.query<{ commune: string }>(
      `SELECT commune FROM atlas.membership WHERE layer = 'epci' AND code = $1 ORDER BY commune`,
      [GRAND_CAHORS],
    );
    expect(row).toMatchObject({
      type: 'CLS',
      nom: 'CLS de test des données ouvertes',
      porteur_type: 'EPCI',
      porteur_nom: 'CA du Grand Cahors',
      statut: 'en_cours',
      date_signature: '2021-03',
      date_fin: '',
      generation: '2',
      etp_coordination: '0.8',
      thematiques: 'santé mentale;accès aux soins',
      region: '76',
      inventaire_region: 'complet',
      inventaire_region_date: '2026-06-30',
      nombre_communes: String(epci.length),
      communes: epci.map((m) => m.commune).join(';'),
      source: 'Registre Millefeuille',
    });
    expect(row.date_maj).toBe(new Date().toISOString().slice(0, 10));
    // an intercommunality bearing a scheme on its own perimeter: its SIREN is known (taken
    // from the registry at test time: another test may have redrawn a seed scheme's perimeter)
    const [onEpci] = await server.db.query<{ code: string; ref: string }>(
      `SELECT code, perimeter_ref AS ref FROM registry.scheme WHERE bearer_type = 'EPCI' AND perimeter_ref LIKE 'epci:%' ORDER BY code LIMIT 1`,
    );
    expect(onEpci, 'a scheme borne by an EPCI on its own perimeter').toBeDefined();
    expect(rows.find((r) => r.identifiant === onEpci!.code)).toMatchObject({ porteur_siren: onEpci!.ref.slice('epci:'.length) });
    // a town bearing a scheme: no SIREN in the registry, and the inventory defaults to unknown
    expect(rows.find((r) => r.identifiant === 'asv-cergy')).toMatchObject({ porteur_siren: '', inventaire_region: 'inconnu' });
    const members = (await csvOf('demarches-communes.csv')).rows.filter((r) => r.identifiant_demarche === CODE);
    expect(members.map((m) => m.code_commune)).toEqual(epci.map((m) => m.commune));
    expect(members.find((m) => m.code_commune === '46042')).toMatchObject({ nom_commune: 'Cahors', part: '1' });
  });

  it('publishes no personal data in any file: no e-mail, no phone, no referent, no editor', async () => {
    const index = await listing();
    const texts = await Promise.all(
      [...index.files.map((f) => f.url), index.dcat].map(async (u) => [u, (await download(u)).body.toString('utf8')] as const),
    );
    const referents = await server.db.query<{ name: string | null; email: string | null; phone: string | null }>(
      `SELECT name, email, phone FROM registry.referent`,
    );
    const users = await server.db.query<{ name: string; email: string }>(`SELECT name, email FROM registry.app_user`);
    const personal = [...referents.flatMap((r) => [r.name, r.email, r.phone]), ...users.flatMap((u) => [u.name, u.email])].filter(
      (v): v is string => !!v && v.length >= 5,
    );
    expect(personal).toEqual(expect.arrayContaining([REFERENT.name, REFERENT.email, REFERENT.phone, ADMIN.name, ADMIN.email]));
    for (const [url, text] of texts) {
      expect(text.match(EMAIL)?.[0] ?? null, url).toBeNull();
      expect(text.match(PHONE)?.[0] ?? null, url).toBeNull();
      expect(
        personal.filter((p) => text.includes(p)),
        url,
      ).toEqual([]);
    }
    // the registry does hold the editor (by name): the test would see a leak
    const [{ source }] = (await server.db.query<{ source: string }>(`SELECT source FROM registry.scheme WHERE code = $1`, [CODE])) as [
      { source: string },
    ];
    expect(source).toContain(ADMIN.name);
  });

  it('changes the files after an edit and a re-import, and keeps every identifier; a closed scheme stays', async () => {
    const before = await listing();
    const idsBefore = (await csvOf('demarches.csv')).rows.map((r) => r.identifiant);
    const sha = (index: OpenDataIndex, name: string) => index.files.find((f) => f.name === name)!.sha256;

    const current = await fetch(`${server.url}/api/schemes/${CODE}`);
    const edit = await call(
      'PATCH',
      `/api/schemes/${CODE}`,
      { name: 'CLS de test des données ouvertes (clos)', status: 'termine', endDate: '2026-03-31' },
      { 'if-match': current.headers.get('etag')! },
    );
    expect(edit.status).toBe(200);
    const edited = await listing();
    expect(sha(edited, 'demarches.csv')).not.toBe(sha(before, 'demarches.csv'));
    expect(sha(edited, 'demarches.geojson')).not.toBe(sha(before, 'demarches.geojson'));
    expect(sha(edited, 'schema-demarches.json')).toBe(sha(before, 'schema-demarches.json'));
    expect(Date.parse(edited.modified)).toBeGreaterThanOrEqual(Date.parse(before.modified));
    const rows = (await csvOf('demarches.csv')).rows;
    expect(rows.map((r) => r.identifiant)).toEqual(idsBefore);
    expect(rows.find((r) => r.identifiant === CODE)).toMatchObject({
      nom: 'CLS de test des données ouvertes (clos)',
      statut: 'termine',
      date_fin: '2026-03-31',
    });

    // the whole registry exported and imported back: new versions, same identifiers
    const editedVersion = await versionOf(CODE);
    const exported = await (await fetch(`${server.url}/api/registry/export.csv`)).text();
    const reimport = await call('POST', '/api/registry/import', exported, { 'content-type': 'text/csv' });
    expect((await finishedJob(server.url, reimport, { cookie: session.cookie })).status).toBe('succeeded');
    expect(await versionOf(CODE)).toBe(editedVersion + 1);
    expect((await csvOf('demarches.csv')).rows.map((r) => r.identifiant)).toEqual(idsBefore);
    expect([...new Set((await csvOf('demarches-communes.csv')).rows.map((r) => r.identifiant_demarche))]).toEqual(
      (await csvOf('demarches.csv')).rows.filter((r) => r.nombre_communes !== '0').map((r) => r.identifiant),
    );
  });

  it('describes the dataset in DCAT-AP (JSON-LD) with one distribution per file', async () => {
    const index = await listing();
    const res = await fetch(index.dcat);
    expect(res.headers.get('content-type')).toBe('application/ld+json; charset=utf-8');
    const catalog = (await res.json()) as Row & { 'dcat:dataset': Row[] };
    expect(catalog['@type']).toBe('dcat:Catalog');
    const [dataset] = catalog['dcat:dataset'];
    expect(dataset).toMatchObject({ '@type': 'dcat:Dataset', 'dct:license': { '@id': LICENCE.url } });
    const distributions = dataset!['dcat:distribution'] as Row[];
    expect(
      distributions.map((d) => [
        (d['dcat:downloadURL'] as Row)['@id'],
        ((d['spdx:checksum'] as Row)['spdx:checksumValue'] as Row)['@value'],
        (d['dct:conformsTo'] as Row | undefined)?.['@id'] ?? null,
      ]),
    ).toEqual(index.files.map((f) => [f.url, f.sha256, f.schema]));
  });

  it('writes the same files to a folder with `export:open-data`, and GDAL reads them', async () => {
    const index = await listing();
    const out = path.join(tmp, 'export');
    const written = await exportOpenData(server.db, out, '');
    expect(written.map((w) => w.name).sort()).toEqual([...OPEN_DATA_FILES, 'index.json', DCAT_FILE].sort());
    for (const f of index.files) {
      const body = fs.readFileSync(path.join(out, f.name));
      expect(crypto.createHash('sha256').update(body).digest('hex'), f.name).toBe(f.sha256);
    }
    const local = openDataIndexSchema.parse(JSON.parse(fs.readFileSync(path.join(out, 'index.json'), 'utf8')));
    expect(local.files.map((f) => [f.url, f.sha256])).toEqual(index.files.map((f) => [f.name, f.sha256]));
    const dcat = fs.readFileSync(path.join(out, DCAT_FILE), 'utf8');
    expect(dcat).not.toContain('http://127.0.0.1');

    const info = execFileSync('ogrinfo', ['-ro', '-so', '-al', path.join(out, 'demarches.geojson')], { encoding: 'utf8' });
    const schemes = (await csvOf('demarches.csv')).rows;
    expect(info).toMatch(/Geometry: Multi Polygon/);
    expect(info).toContain(`Feature Count: ${schemes.length}`);
    const feature = execFileSync(
      'ogrinfo',
      ['-ro', '-al', '-q', '-where', `identifiant = '${CODE}'`, '-dialect', 'OGRSQL', path.join(out, 'demarches.geojson')],
      { encoding: 'utf8' },
    );
    expect(feature).toMatch(/statut \(String\) = termine/);
    expect(feature).toMatch(/MULTIPOLYGON \(\(\(/);
  });
});
