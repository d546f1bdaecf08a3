import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '../../server/auth/passwords.ts';
import { can, type Action, type SessionUser } from '../../server/auth/permissions.ts';
import { LoginLimiter } from '../../server/auth/rate-limit.ts';

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

describe('LoginLimiter', () => {
  it('blocks after five failures in the window, then lets through', () => {
    let now = 0;
    const limiter = new LoginLimiter(5, 60_000, () => now);
    const keys = ['ip:1', 'email:a@b.fr'];
    for (let i = 0; i < 5; i++) {
      expect(limiter.retryAfter(keys)).toBe(0);
      limiter.fail(keys);
      now += 1000;
    }
    expect(limiter.retryAfter(keys)).toBe(55);
    expect(limiter.retryAfter(['ip:2'])).toBe(0);
    now = 61_000;
    expect(limiter.retryAfter(keys)).toBe(0);
    limiter.fail(keys);
    limiter.succeed(keys);
    expect(limiter.retryAfter(keys)).toBe(0);
  });
});
