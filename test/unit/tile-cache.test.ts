// The encoded-tile cache: bounded by bytes, least recently used out first.
import { describe, expect, it } from 'vitest';
import { ByteLru } from '../../server/tiles/cache.ts';

const lru = (maxBytes: number) => new ByteLru<string>(maxBytes, (v) => v.length);

describe('ByteLru', () => {
  it('evicts the least recently used entries once the bytes pass the limit', () => {
    const c = lru(10);
    c.set('a', 'aaaa');
    c.set('b', 'bbbb');
    expect(c.get('a')).toBe('aaaa'); // a is now more recent than b
    c.set('c', 'cccc'); // 12 bytes: b goes
    expect(c.get('b')).toBeUndefined();
    expect(c.get('a')).toBe('aaaa');
    expect(c.get('c')).toBe('cccc');
    expect(c.bytes).toBe(8);
    expect(c.size).toBe(2);
  });

  it('counts a replaced entry once and refuses one larger than the whole cache', () => {
    const c = lru(10);
    c.set('a', 'aaaa');
    c.set('a', 'aaaaaa');
    expect(c.bytes).toBe(6);
    c.set('huge', 'x'.repeat(11));
    expect(c.get('huge')).toBeUndefined();
    expect(c.get('a')).toBe('aaaaaa');
  });

  it('deletes the entries a predicate selects, and clears', () => {
    const c = lru(100);
    for (const k of ['scheme@0/5/1/1', 'commune@0/5/1/1', 'commune@0,scheme@0/6/2/2']) c.set(k, k);
    c.deleteWhere((k) =>
      k
        .split('/')[0]!
        .split(',')
        .some((l) => l.startsWith('scheme@')),
    );
    expect(c.size).toBe(1);
    expect(c.get('commune@0/5/1/1')).toBe('commune@0/5/1/1');
    expect(c.bytes).toBe('commune@0/5/1/1'.length);
    c.clear();
    expect(c.size).toBe(0);
    expect(c.bytes).toBe(0);
  });
});
