// Pure rules of an honest registry: how inventory statuses combine over a zone and word a
// coverage figure, who acts in which région, e-mail masking, and the pure parts of the
// bulk scheme import (columns, tokens, names never guessed, grouping, change detection).
import { describe, expect, it } from 'vitest';
import type { SessionUser } from '../../contract/permissions.ts';
import {
  classifyToken,
  groupSchemes,
  normaliseDate,
  readSheet,
  resolveName,
  schemeChanged,
  splitPerimeter,
} from '../../server/registry/bulk-import.ts';
import { fictionWording, withPreamble } from '../../server/registry/coverage-context.ts';
import {
  combineStatus,
  coverageWording,
  departementStatus,
  zoneInventory,
  type InventoryEntry,
} from '../../server/registry/inventory-status.ts';
import { actsInRegion, canSeeContacts, maskEmails } from '../../server/registry/scope.ts';

const user = (role: SessionUser['role'], region: string | null = null, schemes: string[] = []): SessionUser => ({
  id: 1,
  email: 'x@y.test',
  name: 'X',
  role,
  region,
  schemes,
});

describe('inventory status of a zone', () => {
  const entries = new Map<string, InventoryEntry>([
    ['region:76|CLS', { status: 'complet', completeAt: '2026-10-01' }],
    ['departement:46|CLS', { status: 'partiel', completeAt: null }],
    ['departement:63|CLS', { status: 'complet', completeAt: '2026-09-15' }],
  ]);

  it('takes the more informative of the département and its région', () => {
    expect(departementStatus(entries, '46', '76', 'CLS')).toEqual({ status: 'complet', completeAt: '2026-10-01' });
    expect(departementStatus(entries, '63', '84', 'CLS').status).toBe('complet');
    expect(departementStatus(entries, '01', '84', 'CLS').status).toBe('inconnu');
    expect(departementStatus(entries, '46', '76', 'ASV').status).toBe('inconnu');
  });

  it('is complete only if every part is, dated by the oldest', () => {
    const c = (d: string): InventoryEntry => ({ status: 'complet', completeAt: d });
    expect(combineStatus([c('2026-10-01'), c('2026-09-15')])).toEqual({ status: 'complet', completeAt: '2026-09-15' });
    expect(combineStatus([c('2026-10-01'), { status: 'inconnu', completeAt: null }]).status).toBe('partiel');
    expect(combineStatus([{ status: 'inconnu', completeAt: null }]).status).toBe('inconnu');
    expect(combineStatus([]).status).toBe('inconnu');
  });

  it('words the figure: "sans CLS" only when complete, "connu" with the count otherwise', () => {
    const occitanie = zoneInventory(entries, [{ departement: '46', region: '76' }], ['CLS'], 3, 'communes');
    expect(occitanie.wording).toBe('communes sans CLS (inventaire complet au 01/10/2026)');
    const france = zoneInventory(
      entries,
      [
        { departement: '46', region: '76' },
        { departement: '01', region: '84' },
      ],
      ['CLS'],
      19,
      'communes',
    );
    expect(france.status).toBe('partiel');
    expect(france.wording).toBe('communes sans CLS connu — registre partiel : 19 CLS recensés dans la zone');
    expect(coverageWording('communes', ['CPTS'], { status: 'inconnu', completeAt: null, known: 1 })).toBe(
      'communes sans CPTS connue — exhaustivité du registre inconnue : 1 CPTS recensée dans la zone',
    );
    expect(coverageWording('QPV', ['ASV', 'CLS'], { status: 'partiel', completeAt: null, known: 4 })).toMatch(
      /^QPV sans ASV ni CLS connus — /,
    );
  });

  it('says how many units are fictitious, and puts the words first in a CSV', () => {
    expect(fictionWording('CPTS', 0, 5)).toBeNull();
    expect(fictionWording('CPTS', 5, 5)).toMatch(/^Les 5 CPTS de la zone sont des exemples fictifs/);
    expect(fictionWording('CPTS', 1, 3)).toMatch(/^1 des 3 CPTS de la zone est un exemple fictif/);
    expect(withPreamble('\uFEFFa;b\r\n1;2\r\n', ['communes sans CLS connu', null])).toBe(
      '\uFEFF# communes sans CLS connu\r\na;b\r\n1;2\r\n',
    );
  });
});

describe('région scope', () => {
  it('lets an admin act anywhere, a planner in their région, a coordinator nowhere', () => {
    expect(actsInRegion(user('admin'), '11')).toBe(true);
    expect(actsInRegion(user('planner', '76'), '76')).toBe(true);
    expect(actsInRegion(user('planner', '76'), '11')).toBe(false);
    expect(actsInRegion(user('planner', null), null)).toBe(false);
    expect(actsInRegion(user('coordinator', '76'), '76')).toBe(false);
    expect(actsInRegion(null, '76')).toBe(false);
  });

  it('shows contacts to the scheme’s coordinator, its région’s planner, admins', () => {
    const scheme = { code: 'cls-a', region: '76' };
    expect(canSeeContacts(user('coordinator', null, ['cls-a']), scheme)).toBe(true);
    expect(canSeeContacts(user('coordinator', null, ['cls-b']), scheme)).toBe(false);
    expect(canSeeContacts(user('planner', '76'), scheme)).toBe(true);
    expect(canSeeContacts(user('planner', '11'), scheme)).toBe(false);
    expect(canSeeContacts(user('admin'), scheme)).toBe(true);
    expect(canSeeContacts(null, scheme)).toBe(false);
  });

  it('masks e-mail addresses anywhere in a value', () => {
    expect(maskEmails({ a: 'Registre Millefeuille (jean.dupont@ars.sante.fr)', b: [1, 'x'] })).toEqual({
      a: 'Registre Millefeuille ([adresse masquée])',
      b: [1, 'x'],
    });
  });
});

describe('bulk scheme import, pure parts', () => {
  it('maps French column names, either layout, Latin-1 and commas', () => {
    const latin1 = Buffer.from('Identifiant,Type,Intitulé,Périmètre\r\nA1,CLS,Contrat de Figeac,"46102, 46042"\r\n', 'latin1');
    const sheet = readSheet(new Uint8Array(latin1));
    expect(sheet).toMatchObject({ layout: 'scheme', encoding: 'latin1', separator: ',' });
    expect(sheet.rows[0]).toEqual({ line: 2, values: { id: 'A1', type: 'CLS', name: 'Contrat de Figeac', perimeter: '46102, 46042' } });
    expect(readSheet('id;type;nom;code_commune\nA1;CLS;X;46102\n').layout).toBe('commune');
    expect(() => readSheet('id;nom\nA;B\n')).toThrow(/Colonnes manquantes : type, perimetre \(ou commune\)/);
  });

  it('splits and classifies perimeter items', () => {
    expect(splitPerimeter('46042 | Figeac, 200023737;2A004')).toEqual(['46042', 'Figeac', '200023737', '2A004']);
    expect(['46042', '2a004', '200023737', 'Saint-Céré'].map(classifyToken)).toEqual([
      { kind: 'commune', code: '46042' },
      { kind: 'commune', code: '2A004' },
      { kind: 'epci', code: '200023737' },
      { kind: 'name', name: 'Saint-Céré' },
    ]);
    expect(normaliseDate('12/3/2019')).toBe('2019-03-12');
    expect(normaliseDate('2019-07')).toBe('2019-07');
    expect(normaliseDate('mars 2019')).toBeUndefined();
  });

  it('resolves a name to one unit, reports homonyms and never guesses', () => {
    const candidates = [
      { kind: 'commune' as const, code: '46102', name: 'Figeac', key: 'figeac' },
      { kind: 'commune' as const, code: '46001', name: 'Saint-Jean', key: 'saint jean' },
      { kind: 'commune' as const, code: '46002', name: 'Saint Jean', key: 'saint jean' },
    ];
    expect(resolveName('FIGEAC', candidates).match?.code).toBe('46102');
    const twin = resolveName('St Jean', candidates);
    expect(twin.match).toBeNull();
    expect(twin.ambiguous.map((c) => c.code)).toEqual(['46001', '46002']);
    expect(resolveName('Paris', candidates)).toEqual({ name: 'Paris', match: null, ambiguous: [] });
  });

  it('groups rows by identifier and refuses contradictions', () => {
    const perCommune = readSheet(
      'id;type;nom;commune\nA;CLS;Contrat A;46042\nA;CLS;Contrat A;Figeac\nB;ASV;Atelier B;46042\nB;CLSM;Atelier B;46102\n',
    );
    const [a, b] = groupSchemes(perCommune);
    expect(a).toMatchObject({ code: 'A', lines: [2, 3], tokens: ['46042', 'Figeac'], errors: [] });
    expect(b!.errors).toEqual(['ligne 5 : type diffère(nt) des lignes précédentes']);
    const dup = groupSchemes(readSheet('id;type;nom;perimetre\nA;CLS;Contrat A;46042\nA;CLS;Contrat A;46102\n'));
    expect(dup[0]!.errors).toEqual(['identifiant « A » en double (ligne 3)']);
    const bad = groupSchemes(readSheet('id;type;nom;perimetre;etp\nA;XYZ;Co;;9999\n'));
    expect(bad[0]!.errors).toEqual([
      'type « XYZ » (attendu : CLS, ASV, CLSM, PTSM)',
      'nom manquant ou trop long',
      'ETP de coordination invalide « 9999 »',
      'périmètre vide',
    ]);
  });

  it('tells an unchanged scheme from an updated one', () => {
    const stored = {
      type: 'CLS',
      name: 'A',
      bearerName: null,
      bearerType: null,
      signatureDate: '2019',
      endDate: null,
      coordinationFte: 0.5,
      status: 'en_cours',
      communes: [
        { code: '46042', share: 1 },
        { code: '46102', share: 1 },
      ],
    };
    expect(schemeChanged(stored, { ...stored, communes: [...stored.communes].reverse() })).toBe(false);
    expect(schemeChanged(stored, { ...stored, coordinationFte: 1 })).toBe(true);
    expect(schemeChanged(stored, { ...stored, communes: stored.communes.slice(1) })).toBe(true);
  });
});
