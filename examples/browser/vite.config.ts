/**
 * Vite config for the browser pages in examples/browser (`npm run browser`, and the tests in
 * test/browser, which start this server themselves). `numbats` resolves to the sources'
 * browser entry, so the pages run the working tree without a build. Every response carries
 * the cross-origin-isolation headers (COOP/COEP: SharedArrayBuffer, which the `parallel`
 * target's Web Workers need) unless the page was requested with `?isolation=off`, and a
 * Content-Security-Policy when it was requested with `?csp=NAME` (see `CSP`).
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Connect, defineConfig, type Plugin } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));
const repo = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Content-Security-Policy presets a page may be requested with (`?csp=NAME`), for the tests
 * of what numbats does where a policy refuses something it uses: Blob-URL workers (the
 * `parallel` pool), `new Function` (every generated loop) and WebAssembly compilation.
 * Only script and worker sources are restricted, so the pages' inline styles still apply.
 */
const CSP = {
  /** Workers only from the page's origin: the pool's Blob-URL workers are refused. */
  'no-blob-workers': "script-src 'self' 'unsafe-eval'; worker-src 'self'",
  /** WebAssembly allowed, string evaluation (`new Function`) refused. */
  'no-eval': "script-src 'self' 'wasm-unsafe-eval'",
  /** Neither: what a page that forbids 'wasm-unsafe-eval' (and has no 'unsafe-eval') gets. */
  'no-eval-no-wasm': "script-src 'self'",
  /** 'unsafe-eval' alone (no 'wasm-unsafe-eval'): it allows WebAssembly compilation too. */
  'eval-only': "script-src 'self' 'unsafe-eval'",
} as const;

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
    const csp = url.searchParams.get('csp');
    if (csp !== null) {
      if (!Object.hasOwn(CSP, csp)) {
        res.statusCode = 400;
        res.end(`unknown csp preset ${JSON.stringify(csp)}; known: ${Object.keys(CSP).join(', ')}`);
        return;
      }
      res.setHeader('Content-Security-Policy', CSP[csp as keyof typeof CSP]);
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
