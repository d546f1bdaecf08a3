// Unit tests only: pure modules, no database and no reference import (`npm run test:unit`,
// seconds). `npm test` runs them again with everything else under vitest.config.ts.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    testTimeout: 60_000,
    reporters: ['default'],
  },
});
