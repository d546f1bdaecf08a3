import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: ['test/support/global-setup.ts'],
    reporters: ['default'],
    projects: [
      {
        test: {
          name: 'all',
          include: ['test/**/*.test.ts'],
          exclude: ['test/unit/**/*.svelte.test.ts'],
          // The embedded database is one process's files: test files take turns.
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 300_000,
        },
      },
      './vitest.client.config.ts',
    ],
  },
});
