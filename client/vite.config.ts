// Vite build of the web client: client/ is the root, the bundle goes to client/dist,
// which the Express app serves (with brotli and gzip copies of each asset, build/precompress.ts). In development, /api and /tiles go to the local server.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { precompress } from './build/precompress.ts';

const root = fileURLToPath(new URL('.', import.meta.url));
const server = process.env.MILLEFEUILLE_API ?? 'http://127.0.0.1:3000';

export default defineConfig({
  root,
  plugins: [svelte(), precompress()],
  // Zod without JIT in the browser (CSP forbids eval): see src/lib/zod-jitless.ts.
  resolve: { alias: [{ find: /^zod$/, replacement: fileURLToPath(new URL('./src/lib/zod-jitless.ts', import.meta.url)) }] },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 1500,
  },
  worker: { format: 'es' },
  server: {
    proxy: {
      '/api': server,
      '/tiles': server,
    },
  },
});
