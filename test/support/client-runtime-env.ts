// A vitest environment for tests of the client's runes modules (*.svelte.test.ts): Node
// globals as they are, but modules transformed for the browser, so Svelte compiles them
// for its client runtime (effects run) instead of the server one (effects are skipped).
import type { Environment } from 'vitest/environments';

export default <Environment>{
  name: 'client-runtime',
  viteEnvironment: 'client',
  setup() {
    return { teardown() {} };
  },
};
