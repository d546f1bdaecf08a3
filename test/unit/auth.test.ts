import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '../../server/auth/passwords.ts';
import { passwordProblem } from '../../server/auth/password-policy.ts';
import { can, canPlacePerimeter, statusAction, type Action, type SessionUser } from '../../contract/permissions.ts';
import { accountKey, addressKey, DEFAULT_POLICY, delayAfter, describeWait } from '../../server/auth/throttle.ts';

const user = (role: SessionUser['role'], region: string | null = null, schemes: string[] = []): SessionUser => ({
  id: 1,
  email: `${role}@example.fr`,
  name: role,
  role,
  region,
  schemes,
});

const scheme = { code: 'cls-grand-quercy', region: '76' };
const elsewhere = { code: 'cls-cergy', region: '11' };

describe('permission matrix', () => {
  const actors = {
    visitor: null,
    coordinator: user('coordinator', null, ['cls-grand-quercy']),
    otherCoordinator: user('coordinator', null, ['cls-cergy']),
    planner: user('planner', '76'),
    otherPlanner: user('planner', '11'),
    admin: user('admin'),
  };
  const expected: Record<keyof typeof actors, Record<Action, boolean>> = {
    visitor: {
      create: false,
      edit: false,
      close: false,
      referents: false,
      contacts: false,
      'manage-users': false,
      'import-registry': false,
      'import-perimeters': false,
    },
    coordinator: {
      create: false,
      edit: true,
      close: false,
      referents: true,
      contacts: true,
      'manage-users': false,
      'import-registry': false,
      'import-perimeters': false,
    },
    otherCoordinator: {
      create: false,
      edit: false,
      close: false,
      referents: false,
      contacts: true,
      'manage-users': false,
      'import-registry': false,
      'import-perimeters': false,
    },
    planner: {
      create: true,
      edit: true,
      close: true,
      referents: true,
      contacts: true,
      'manage-users': false,
      'import-registry': false,
      'import-perimeters': true,
    },
    otherPlanner: {
      create: false,
      edit: false,
      close: false,
      referents: false,
      contacts: true,
      'manage-users': false,
      'import-registry': false,
      'import-perimeters': true,
    },
    admin: {
      create: true,
      edit: true,
      close: true,
      referents: true,
      contacts: true,
      'manage-users': true,
      'import-registry': true,
      'import-perimeters': true,
    },
  };
  for (const [name, actor] of Object.entries(actors)) {
    it(`${name}`, () => {
      const got = Object.fromEntries((Object.keys(expected.visitor) as Action[]).map((a) => [a, can(actor, a, scheme)]));
      expect(got).toEqual(expected[name as keyof typeof actors]);
    });
  }

  it('keeps a planner to their own région and a coordinator to their schemes', () => {
    expect(can(actors.planner, 'edit', elsewhere)).toBe(false);
    expect(can(actors.otherPlanner, 'edit', elsewhere)).toBe(true);
    expect(can(actors.coordinator, 'edit', elsewhere)).toBe(false);
    expect(can(actors.planner, 'edit', { code: 'x', region: null })).toBe(false);
    expect(can(user('planner', null), 'create', { code: '', region: null })).toBe(false);
  });
});

describe('passwords', () => {
  it('hashes with a salt and verifies', async () => {
    const a = await hashPassword('un mot de passe solide');
    const b = await hashPassword('un mot de passe solide');
    expect(a).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('un mot de passe solide', a)).toBe(true);
    expect(await verifyPassword('un mot de passe solidE', a)).toBe(false);
    expect(await verifyPassword('x', 'md5$abc')).toBe(false);
  });
});

describe('closing and perimeters', () => {
  const coordinator = user('coordinator', null, ['cls-grand-quercy']);
  it('makes any move to or from "termine" a closing, whatever the route', () => {
    expect(statusAction('en_cours', 'termine')).toBe('close');
    expect(statusAction('termine', 'en_cours')).toBe('close');
    expect(statusAction('en_cours', 'en_projet')).toBe('edit');
    expect(statusAction('termine', 'termine')).toBe('edit');
    expect(statusAction('en_cours', undefined)).toBe('edit');
    expect(can(coordinator, statusAction('en_cours', 'termine'), scheme)).toBe(false);
    expect(can(user('planner', '76'), statusAction('en_cours', 'termine'), scheme)).toBe(true);
  });

  it('keeps a coordinator’s perimeter inside the scheme’s région', () => {
    const inside = [{ region: '76' }, { region: '76' }];
    const across = [{ region: '76' }, { region: '11' }];
    expect(canPlacePerimeter(coordinator, scheme, inside)).toBe(true);
    expect(canPlacePerimeter(coordinator, scheme, across)).toBe(false);
    expect(canPlacePerimeter(coordinator, { code: 'x', region: null }, inside)).toBe(false);
    expect(canPlacePerimeter(user('planner', '76'), scheme, across)).toBe(true);
    expect(canPlacePerimeter(user('admin'), scheme, across)).toBe(true);
    expect(canPlacePerimeter(null, scheme, inside)).toBe(false);
  });
});

describe('password policy', () => {
  const email = 'Claire.Martin@ars.sante.fr';
  it('accepts a long uncommon password', () => {
    expect(passwordProblem('trois pommes sur la table', email)).toBeNull();
    expect(passwordProblem('  Vq8#kL2!mZp0  ', email)).toBeNull();
  });
  it('refuses blank, short, the e-mail and common passwords, in French', () => {
    expect(passwordProblem('            ', email)).toMatch(/que d’espaces/);
    expect(passwordProblem('', email)).toMatch(/que d’espaces/);
    expect(passwordProblem('court1!', email)).toMatch(/au moins 12 caractères/);
    expect(passwordProblem('   abcdefghij   ', email)).toMatch(/au moins 12 caractères/);
    expect(passwordProblem('claire.martin@ars.sante.fr', email)).toMatch(/adresse électronique/);
    expect(passwordProblem('xx' + email.toUpperCase(), email)).toMatch(/adresse électronique/);
    expect(passwordProblem('claire.martin', 'claire.martin.ars@ars.sante.fr')).toBeNull();
    expect(passwordProblem('Claire.Martin2024!', email)).toMatch(/adresse électronique/);
    expect(passwordProblem('motdepasse2024!', email)).toMatch(/plus courants/);
    expect(passwordProblem('Azertyuiop123', email)).toMatch(/plus courants/);
    expect(passwordProblem('123456789012', email)).toMatch(/plus courants/);
    expect(passwordProblem('zzzzzzzzzzzzzz', email)).toMatch(/plus courants/);
    expect(passwordProblem('Millefeuille!!', email)).toMatch(/plus courants/);
  });
});

describe('login throttle rule', () => {
  const { account, address } = DEFAULT_POLICY;
  it('counts an account more strictly than an address', () => {
    expect(account.limit).toBe(5);
    expect(address.limit).toBeGreaterThan(account.limit);
  });
  it('lets attempts through under the limit, then doubles the delay up to 15 minutes', () => {
    expect([1, 2, 3, 4].map((l) => delayAfter(l, 5, DEFAULT_POLICY))).toEqual([0, 0, 0, 0]);
    expect([5, 6, 7, 8, 9, 10, 11, 40].map((l) => delayAfter(l, 5, DEFAULT_POLICY))).toEqual([30, 60, 120, 240, 480, 900, 900, 900]);
    // a level that has faded a little still counts as the failures it rounds to
    expect(delayAfter(4.98, 5, DEFAULT_POLICY)).toBe(30);
    expect(delayAfter(4.4, 5, DEFAULT_POLICY)).toBe(0);
  });
  it('keys accounts by e-mail whatever the case, and IPv6 clients by their /64', () => {
    expect(accountKey(' Claire@ARS.fr ')).toBe('account:claire@ars.fr');
    expect(addressKey('::ffff:192.0.2.7')).toBe('address:192.0.2.7');
    expect(addressKey('192.0.2.7')).toBe('address:192.0.2.7');
    expect(addressKey('2001:db8:0:12:abcd::1')).toBe('address:2001:db8:0:12::/64');
    expect(addressKey('2001:db8:0:12:ffff:1:2:3')).toBe('address:2001:db8:0:12::/64');
    expect(addressKey('2001:db8::1')).toBe('address:2001:db8:0:0::/64');
    expect(addressKey('::1')).toBe('address:0:0:0:0::/64');
    expect(addressKey(undefined)).toBe('address:inconnue');
  });
  it('says the wait in French words', () => {
    expect(describeWait(1)).toBe('1 seconde');
    expect(describeWait(30)).toBe('30 secondes');
    expect(describeWait(61)).toBe('2 minutes');
    expect(describeWait(900)).toBe('15 minutes');
  });
});
