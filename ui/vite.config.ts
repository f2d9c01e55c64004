import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

/**
 * Builds the web UI into dist/ui, which the API server serves at / (src/api/static/static-ui.ts).
 * `npm run ui:dev` serves it with hot reload and proxies the APIs to a Tracehouse on :3200.
 */
export default defineConfig({
  root: here,
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/ui', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // Budget: the first view's JavaScript stays under 400 KB gzipped (bench/ui-bench.ts checks it).
    chunkSizeWarningLimit: 600,
  },
  server: {
    proxy: { '/api': 'http://localhost:3200' },
  },
});
