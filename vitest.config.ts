import { defineConfig } from 'vitest/config';
import { testWorkers } from './test/support/worker-copies.ts';

// Files that run alone, one after the other, once the others are done: those that time
// the server under load (/api/health within a second while a heavy import runs, an edit
// seen by a second instance within a second, hostile uploads refused in bounded time), so
// that a neighbour's work never weighs on what they time; and the browser files: two
// Chromiums drawing with software WebGL at once made a map test overrun its time limit
// on the 2-core CI machine.
const ALONE = [
  'test/integration/heavy-upload.test.ts',
  'test/integration/instances.test.ts',
  'test/integration/bad-input.test.ts',
  'test/e2e/**/*.test.ts',
];

const common = { testTimeout: 60_000, hookTimeout: 300_000 };

export default defineConfig({
  test: {
    // runs once, for every project (which inherit what it provides)
    globalSetup: ['test/support/global-setup.ts'],
    reporters: ['default'],
    // Test files run two at a time (TEST_WORKERS), each worker on its own copies of the
    // imported databases (test/support/worker-copies.ts); a worker's files take turns.
    // Projects that run together must share this number.
    maxWorkers: testWorkers(),
    projects: [
      {
        test: {
          name: 'en-parallele',
          include: ['test/**/*.test.ts'],
          exclude: [...ALONE, 'test/unit/**/*.svelte.test.ts'],
          maxWorkers: testWorkers(),
          ...common,
        },
      },
      { test: { name: 'seuls', include: ALONE, fileParallelism: false, maxWorkers: 1, ...common } },
      './vitest.client.config.ts',
    ],
  },
});
