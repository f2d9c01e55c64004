import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

/**
 * Builds the web UI into dist/ui, which the API server serves at / (src/api/static/static-ui.ts).
 * `npm run ui:dev` serves it with hot reload and proxies the APIs to a Tracehouse on :3200.
 */
export default defineConfig({
  root: here,
  base: '/',
  plugins: [
    react(),
    preloadTraceView(fileURLToPath(new URL('src/views/trace/TraceView.tsx', import.meta.url))),
  ],
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

/** Where index.html's early-request script lists the trace view's chunks (an empty list in dev). */
const TRACE_VIEW_CHUNKS = '/* trace view chunks */ []';

/**
 * Fills in the trace view's chunks for index.html's early-request script: a page opened at
 * /trace/<id> then downloads them alongside the entry chunk, instead of only once React has loaded
 * and `import()` asks for them (a second round trip, and a long one while the server is busy
 * reading the trace).
 */
function preloadTraceView(viewModule: string): Plugin {
  let base = '/';
  return {
    name: 'tracehouse-preload-trace-view',
    apply: 'build',
    configResolved(config) {
      base = config.base;
    },
    transformIndexHtml: {
      order: 'post',
      handler(html, { bundle }) {
        if (!html.includes(TRACE_VIEW_CHUNKS))
          throw new Error(`index.html has no "${TRACE_VIEW_CHUNKS}" to fill in`);
        const chunks = Object.values(bundle ?? {});
        const view = chunks.find((c) => c.type === 'chunk' && c.facadeModuleId === viewModule);
        if (view?.type !== 'chunk') throw new Error(`no chunk for ${viewModule}`);
        // The entry chunk is loaded by the page anyway; the view's other imports are not.
        const entries = new Set(chunks.filter((c) => c.type === 'chunk' && c.isEntry).map((c) => c.fileName));
        const files = [view.fileName, ...view.imports.filter((file) => !entries.has(file))];
        return html.replace(TRACE_VIEW_CHUNKS, JSON.stringify(files.map((file) => base + file)));
      },
    },
  };
}
