// Zod compiles object parsers with `new Function` unless told not to, and probes for it when a
// schema is built; the Content-Security-Policy forbids eval and reports even the caught probe.
// The client build aliases `zod` to this module (client/vite.config.ts), so JIT is off before
// any schema of contract/ is built, whatever chunk it lands in.
import { config } from 'zod/v4';

config({ jitless: true });

export * from 'zod/v4';
