/**
 * The heap page (examples/browser/heap.html) where the page or the browser refuses
 * something numbats uses, in headless Chromium:
 * - a Content-Security-Policy that refuses Blob-URL workers: the pool gives up with the
 *   directive in `parallelStatus().reason`, and calls (the one that found out included)
 *   give `cpu`'s bits on the calling thread;
 * - a policy without 'unsafe-eval': numbats needs `new Function`, so arrays and calls throw
 *   an EvalError naming script-src 'unsafe-eval' — with 'wasm-unsafe-eval' or without it
 *   (a policy that refuses WebAssembly refuses `new Function` too: there is no JS-loop
 *   fallback to reach), while 'unsafe-eval' alone allows WebAssembly as well;
 * - Chromium with `--js-flags=--jitless` (no WebAssembly): no heap, no wasm engine, and
 *   heapStatus() and inspect() say "no WebAssembly here"; results are right on JS loops.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserPage, callPageApi, openPage, skipBrowserTests } from './page.js';

/** The console errors Chromium prints for a worker a policy refused (expected here). */
const REFUSED_WORKER =
  /Creating a worker from 'blob:.*violates the following Content Security Policy directive/;

/** The bits of `wave` over the page's seeded 1e6 float64, as every path computes them. */
let expected: number | undefined;
/** The same over 2e5 (the interpreter of a --jitless Chromium is slow). */
let expectedSmall: number | undefined;

describe.skipIf(skipBrowserTests('heap-refused'))(
  'the heap page where something is refused, in Chromium',
  { timeout: 60_000 },
  () => {
    let bp: BrowserPage;
    /** Opens the heap page under the policy preset `csp` (examples/browser/vite.config.ts). */
    async function withPolicy<T>(csp: string, f: (page: Page) => Promise<T>): Promise<T> {
      const page = await bp.browser.newPage();
      try {
        await page.goto(bp.url(`/heap.html?csp=${csp}`));
        await page.waitForFunction('window.numbatsHeap');
        return await f(page);
      } finally {
        await page.close();
      }
    }
    const call = (page: Page, fn: string, ...args: unknown[]) =>
      callPageApi(page, 'numbatsHeap', fn, ...args);

    beforeAll(async () => {
      bp = await openPage('/heap.html', 'window.numbatsHeap');
      expected = (await callPageApi(bp.page, 'numbatsHeap', 'runWave', 1_000_000)).cpu;
      expectedSmall = (await callPageApi(bp.page, 'numbatsHeap', 'runWave', 200_000)).cpu;
    }, 180_000);
    afterAll(() => bp?.close());

    it('worker-src without blob: the pool gives up with the directive, calls run inline and right', async () => {
      const errorsBefore = bp.errors.length;
      await withPolicy('no-blob-workers', async (page) => {
        const pageErrors: string[] = [];
        page.on('console', (m) => m.type() === 'error' && pageErrors.push(m.text()));
        page.on('pageerror', (e) => pageErrors.push(e.message));
        // The first .async call posts its job; the workers fail before running, and the
        // calling thread runs the chunks itself: no hang, no error, cpu's bits.
        const first = await call(page, 'runWave', 1_000_000);
        expect(first).toMatchObject({ jobs: 1, differing: 0, shared: true });
        expect(first.cpu).toBe(expected);
        expect(first.parallelPath).toMatch(
          /ran inline on the calling thread \(the pool's workers could not start, so the calling thread ran the call/,
        );
        // The kernel's engine line says where the wasm chunks ran: not on the workers.
        expect(first.parallelPath).not.toMatch(/wasm on \d+ worker\(s\)/);
        expect(first.parallelPath).toMatch(
          /wasm on the calling thread \(the pool's workers could not start\), \d+ chunk\(s\)/,
        );
        const st = await call(page, 'status');
        expect(st.parallel).toMatchObject({ available: false, host: 'none', started: 0 });
        expect(st.parallel.reason).toMatch(
          /^Web Workers could not be started here: the page's Content-Security-Policy \(.*\) refused them by its worker-src directive; .*worker-src blob:/,
        );
        // Later calls run on cpu without posting.
        const next = await call(page, 'runWave', 1_000_000);
        expect(next).toMatchObject({ jobs: 0, differing: 0 });
        expect(next.parallelPath).toMatch(/no worker pool here: Web Workers could not be started/);
        // A module worker (worker-src 'self' allows it) whose nested pool is refused: its
        // synchronous calls run inline, with the same bits.
        const w = await call(page, 'inWorker');
        expect(w.status).toMatchObject({ available: false, host: 'none' });
        expect(w.status.reason).toMatch(/worker-src directive/);
        expect(w.wave).toMatchObject({ jobs: 0, differing: 0 });
        expect(w.life).toMatchObject({ jobs: 0, differing: 0 });
        expect(w.life.cpuPath).toMatch(/wasm interior: SIMD i8x16/);
        expect(pageErrors.filter((e) => !REFUSED_WORKER.test(e))).toEqual([]);
      });
      expect(bp.errors.length).toBe(errorsBefore);
    });

    it("script-src without 'unsafe-eval': an EvalError naming the directive, with or without 'wasm-unsafe-eval'", async () => {
      for (const csp of ['no-eval', 'no-eval-no-wasm']) {
        await withPolicy(csp, async (page) => {
          const small = await call(page, 'tryWave', 16);
          const large = await call(page, 'tryWave', 100_000);
          for (const e of [small, large]) {
            expect(e.name, csp).toBe('EvalError');
            expect(e.message).toMatch(
              /^numbats cannot run here: it compiles JavaScript at run time \(new Function\)/,
            );
            expect(e.message).toContain(
              "add 'unsafe-eval' to the Content-Security-Policy's script-src directive",
            );
            // Chromium's own text, which names the policy
            expect(e.message).toMatch(
              /The engine said: .*Content Security Policy directive.*script-src 'self'/,
            );
          }
        });
      }
    });

    it("'unsafe-eval' alone allows WebAssembly too: the wasm path runs", async () => {
      await withPolicy('eval-only', async (page) => {
        const r = await call(page, 'runWave', 1_000_000);
        expect(r.cpuPath).toMatch(/last call on 2048\+ elements: wasm: /);
        expect(r.cpu).toBe(expected);
        expect(r.differing).toBe(0);
      });
    });
  },
);

describe.skipIf(skipBrowserTests('heap-refused'))(
  'the heap page in Chromium without WebAssembly (--js-flags=--jitless)',
  { timeout: 60_000 },
  () => {
    let bp: BrowserPage;
    const call = (fn: string, ...args: unknown[]) =>
      callPageApi(bp.page, 'numbatsHeap', fn, ...args);

    beforeAll(async () => {
      bp = await openPage('/heap.html', 'window.numbatsHeap', { args: ['--js-flags=--jitless'] });
    }, 180_000);
    afterAll(() => bp?.close());

    it('no heap and no wasm engine, inspect() says why, the same bits on the JS loops', async () => {
      const st = await call('status');
      expect(st).toMatchObject({ crossOriginIsolated: true, webAssembly: false });
      expect(st.heap.enabled).toBe(false);
      expect(st.heap.reason).toMatch(
        /^no WebAssembly here \(.*--jitless\), so arrays live on ordinary buffers/,
      );
      const r = await call('runWave', 200_000);
      expect(r.cpuPath).toMatch(
        /last call on 2048\+ elements: js: no WebAssembly here .*every call runs the JS loops/,
      );
      // the pool still runs (SharedArrayBuffer is there), on its JS loops
      expect(r.parallelPath).toMatch(
        /ran on the workers[^\n]*\n\/\/ last call on 2048\+ elements: js: no WebAssembly here/,
      );
      expect(r).toMatchObject({ jobs: 1, shared: false, differing: 0 });
      if (expectedSmall !== undefined) expect(r.cpu).toBe(expectedSmall);
      const w = await call('inWorker', 200_000, 256);
      expect(w.heap.enabled).toBe(false);
      expect(w.life.cpuPath).toMatch(/js: no WebAssembly here/);
      expect(w.life).toMatchObject({ jobs: 8, differing: 0 });
      expect(w.wave).toMatchObject({ jobs: 1, differing: 0 });
      expect(bp.errors).toEqual([]);
    });
  },
);
