/**
 * Vite config for the browser pages in examples/browser (`npm run browser`, and the tests in
 * test/browser, which start this server themselves). `numbats` resolves to the sources'
 * browser entry, so the pages run the working tree without a build. Every response carries
 * the cross-origin-isolation headers (COOP/COEP: SharedArrayBuffer, which the `parallel`
 * target's Web Workers need) unless the page was requested with `?isolation=off`.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Connect, defineConfig, type Plugin } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));
const repo = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Sends COOP/COEP on every response except a document requested with `?isolation=off`, and
 * answers /favicon.ico with 204 (no 404 in the console, which the tests watch).
 */
function crossOriginIsolation(): Plugin {
  const middleware: Connect.NextHandleFunction = (req, res, next) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/favicon.ico') {
      res.statusCode = 204;
      res.end();
      return;
    }
    if (url.searchParams.get('isolation') !== 'off') {
      res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
      res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
    }
    next();
  };
  return {
    name: 'numbats-cross-origin-isolation',
    configureServer: (server) => void server.middlewares.use(middleware),
    configurePreviewServer: (server) => void server.middlewares.use(middleware),
  };
}

export default defineConfig({
  root: here,
  plugins: [crossOriginIsolation()],
  resolve: { alias: { numbats: `${repo}src/browser.ts` } },
  // Pre-bundle the CommonJS dependencies at startup, so a first page load does not discover
  // them and reload itself mid-test.
  optimizeDeps: { include: ['gpu.js', 'ndarray', 'acorn'] },
  server: { fs: { allow: [repo] } },
  build: {
    outDir: `${repo}out/browser`,
    emptyOutDir: true,
    // every page in this folder (`vite build` makes out/browser; the tests use the dev server)
    rolldownOptions: {
      input: readdirSync(here)
        .filter((f) => f.endsWith('.html'))
        .map((f) => `${here}${f}`),
    },
  },
});
