// SingleFlight (server/analysis/single-flight.ts): concurrent runs of one key share one
// computation, its failure too, and nothing is kept once it has ended.
import { describe, expect, it } from 'vitest';
import { SingleFlight } from '../../server/analysis/single-flight.ts';

describe('SingleFlight', () => {
  it('runs one computation for concurrent callers of a key, and a new one afterwards', async () => {
    const flight = new SingleFlight<number>();
    let calls = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const compute = async () => {
      calls++;
      await gate;
      return calls * 10;
    };
    const together = [flight.run('fr', compute), flight.run('fr', compute), flight.run('fr', compute)];
    const other = flight.run('84', async () => 7);
    release();
    expect(await Promise.all(together)).toEqual([10, 10, 10]);
    expect(await other).toBe(7);
    expect(calls).toBe(1);
    expect(await flight.run('fr', compute)).toBe(20);
    expect(calls).toBe(2);
  });

  it('shares a failure and forgets it', async () => {
    const flight = new SingleFlight<string>();
    let calls = 0;
    const failing = async () => {
      calls++;
      throw new Error(`échec ${calls}`);
    };
    const both = await Promise.allSettled([flight.run('k', failing), flight.run('k', failing)]);
    expect(both.map((r) => (r.status === 'rejected' ? (r.reason as Error).message : r.value))).toEqual(['échec 1', 'échec 1']);
    expect(await flight.run('k', async () => 'ok')).toBe('ok');
  });
});
