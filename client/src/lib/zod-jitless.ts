// Zod compiles object parsers with `new Function` unless told not to, and probes for it when a
// schema is built; the Content-Security-Policy forbids eval and reports even the caught probe.
// The client therefore runs Zod without JIT: main.ts imports this module before anything else.
import { config } from 'zod';

config({ jitless: true });
