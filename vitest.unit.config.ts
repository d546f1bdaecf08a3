// Unit tests only: pure modules and the client's runes modules, no database and no
// reference import (`npm run test:unit`, seconds). `npm test` runs them again with
// everything else under vitest.config.ts.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    reporters: ['default'],
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], exclude: ['test/unit/**/*.svelte.test.ts'], testTimeout: 60_000 } },
      './vitest.client.config.ts',
    ],
  },
});
