// The scope of a perimeter import (parsing) and who may touch it (pure permission rule).
import { describe, expect, it } from 'vitest';
import { parseScope } from '../../core/perimeters/scope.ts';
import { canTouchScope } from '../../server/auth/perimeter-scope.ts';
import type { SessionUser } from '../../contract/permissions.ts';

const user = (role: SessionUser['role'], region: string | null): SessionUser => ({
  id: 1,
  email: 'x@y.fr',
  name: 'x',
  role,
  region,
  schemes: [],
});

describe('parseScope', () => {
  it('reads départements, régions and the country', () => {
    expect(parseScope('departement:63')).toEqual({ kind: 'departement', code: '63' });
    expect(parseScope('Département:2a')).toEqual({ kind: 'departement', code: '2A' });
    expect(parseScope('departement:971')).toEqual({ kind: 'departement', code: '971' });
    expect(parseScope('region:84')).toEqual({ kind: 'region', code: '84' });
    expect(parseScope('pays')).toEqual({ kind: 'pays', code: null });
    expect(parseScope(' France ')).toEqual({ kind: 'pays', code: null });
  });

  it('refuses anything else in French', () => {
    for (const bad of ['', 'departement', 'commune:46042', 'region:8', "region:84'; DROP TABLE x"]) {
      expect(() => parseScope(bad), bad).toThrow(/Zone d'import illisible/);
    }
  });
});

describe('canTouchScope', () => {
  it('lets an administrator import anywhere, the country included', () => {
    expect(canTouchScope(user('admin', null), null)).toBe(true);
    expect(canTouchScope(user('admin', null), '93')).toBe(true);
  });

  it('keeps a planner within their région', () => {
    expect(canTouchScope(user('planner', '84'), '84')).toBe(true);
    expect(canTouchScope(user('planner', '84'), '93')).toBe(false);
    expect(canTouchScope(user('planner', '84'), null)).toBe(false);
    expect(canTouchScope(user('planner', null), null)).toBe(false);
  });

  it('refuses coordinators and visitors', () => {
    expect(canTouchScope(user('coordinator', '84'), '84')).toBe(false);
    expect(canTouchScope(null, '84')).toBe(false);
  });
});
