// Tests of the client's runes modules (test/unit/*.svelte.test.ts): Svelte compiles them
// and the modules they import for its client runtime (effects run, flushSync flushes),
// in Node without a browser (test/support/client-runtime-env.ts). No database, no import:
// `npm run test:unit` and `npm test` both run them.
import { defineProject } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

export default defineProject({
  plugins: [svelte({ configFile: false })],
  resolve: { conditions: ['browser'] },
  test: {
    name: 'client',
    include: ['test/unit/**/*.svelte.test.ts'],
    environment: './test/support/client-runtime-env.ts',
    // Svelte itself transformed here too, so that its client build is the one loaded
    server: { deps: { inline: [/svelte/] } },
  },
});
