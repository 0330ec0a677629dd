/**
 * The numbats heap in headless Chromium (examples/browser/heap.html): in a cross-origin
 * isolated page numbats' arrays live on the shared WebAssembly heap, and `parallel` calls
 * on them run the wasm loops on two Web Workers with results equal to `cpu`'s bit for bit
 * — on the page's main thread through `.async`, in a module worker synchronously (a float64
 * ufunc over 1e6 elements, and a Life stencil whose SIMD interior runs by row bands) —
 * also after the heap grew while the pool was alive. A page that is not isolated has no heap and no pool, says why, and gives the
 * same bits on the JS loops.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserPage, callPageApi, openPage, skipBrowserTests } from './page.js';

/** The path lines of a `parallel` call that ran the wasm loops on both workers. */
const WASM_ON_WORKERS =
  /parallel target, last call: ran on the workers[^\n]*\n\/\/ last call on 2048\+ elements: wasm on 2 worker\(s\)/;

describe.skipIf(skipBrowserTests('heap'))(
  'the numbats heap in Chromium',
  { timeout: 60_000 },
  () => {
    let bp: BrowserPage;
    const call = (fn: string, ...args: unknown[]) =>
      callPageApi(bp.page, 'numbatsHeap', fn, ...args);

    beforeAll(async () => {
      bp = await openPage('/heap.html', 'window.numbatsHeap');
    }, 180_000);
    afterAll(() => bp?.close());

    it('the page is cross-origin isolated and the heap is a shared WebAssembly memory', async () => {
      const st = await call('status');
      expect(st.crossOriginIsolated).toBe(true);
      expect(st.webAssembly).toBe(true);
      expect(st.heap.enabled).toBe(true);
      expect(st.heap.reason).toBeUndefined();
      expect(st.parallel).toMatchObject({ available: true, host: 'web-workers', workers: 2 });
    });

    it('.async on the main thread: a 1e6-element float64 ufunc runs wasm on 2 workers, equal to cpu', async () => {
      const r = await call('runWave', 1_000_000);
      console.log(
        `[numbats browser:heap] wave over 1e6 float64: cpu ${r.cpuMs.toFixed(1)} ms, parallel .async ${r.parMs.toFixed(1)} ms (first call: starts the pool)`,
      );
      expect(r.shared).toBe(true);
      expect(r.cpuPath).toMatch(/last call on 2048\+ elements: wasm: /);
      expect(r.parallelPath).toMatch(WASM_ON_WORKERS);
      expect(r.jobs).toBe(1);
      expect(r.differing).toBe(0);
      expect(r.parallel).toBe(r.cpu);
      const st = await call('status');
      expect(st.heap.size).toBeGreaterThan(8_000_000);
      expect(st.parallel.started).toBe(2);
      expect(st.parallel.lastCall).toMatchObject({ name: 'wave', path: 'workers' });
    });

    it('the heap grows while the pool is alive, and the workers still compute on it', async () => {
      const r = await call('grow');
      expect(r.after).toBeGreaterThan(r.before);
      // the input lies in the grown part of the memory
      expect(r.top.jobs).toBe(1);
      expect(r.top.parallelPath).toMatch(WASM_ON_WORKERS);
      expect(r.top.differing).toBe(0);
      expect((await call('status')).parallel.started).toBe(2);
    });

    it('in a module worker, synchronous calls run the ufunc and a Life stencil on the workers', async () => {
      const r = await call('inWorker');
      expect(r.heap.enabled).toBe(true);
      expect(r.status).toMatchObject({ available: true, syncCalls: true, started: 2, ready: 2 });
      // the first call starts the pool (nested workers start between calls) and runs inline
      expect(r.firstJobs).toBe(0);
      expect(r.first.differing).toBe(0);
      expect(r.wave).toMatchObject({ jobs: 1, differing: 0, shared: true });
      expect(r.wave.parallelPath).toMatch(WASM_ON_WORKERS);
      // Life, 8 generations on 512²: cpu runs the interior as SIMD wasm; each parallel
      // generation is one job, the same SIMD module over row bands on both workers (their
      // border rows on the JS loop); both on heap boards, the same bits.
      expect(r.life.cpuPath).toMatch(/wasm interior: SIMD i8x16/);
      expect(r.life.parallelPath).toMatch(/parallel target, last call: ran on the workers/);
      expect(r.life.parallelPath).toMatch(
        /wasm on 2 worker\(s\), 8 band\(s\): SIMD i8x16 interior loop/,
      );
      expect(r.life).toMatchObject({ jobs: 8, differing: 0, shared: true });
      expect(r.life.parallel).toBe(r.life.cpu);
      // the heap grew with the pool alive; both kernels still right on the workers
      expect(r.grown.after).toBeGreaterThan(r.grown.before);
      expect(r.grown.wave).toMatchObject({ jobs: 1, differing: 0 });
      expect(r.grown.wave.parallelPath).toMatch(WASM_ON_WORKERS);
      expect(r.grown.life).toMatchObject({ jobs: 8, differing: 0 });
      expect(r.grown.life.parallelPath).toMatch(/wasm on 2 worker\(s\), \d+ band\(s\): SIMD i8x16/);
      expect(bp.errors).toEqual([]);
    });

    it('a page that is not cross-origin isolated: no heap, no pool, the reasons, the same bits', async () => {
      const page = await bp.browser.newPage();
      try {
        await page.goto(bp.url('/heap.html?isolation=off'));
        await page.waitForFunction('window.numbatsHeap');
        const st = await callPageApi(page, 'numbatsHeap', 'status');
        expect(st.crossOriginIsolated).toBe(false);
        expect(st.heap.enabled).toBe(false);
        expect(st.heap.reason).toMatch(
          /^no SharedArrayBuffer here \(a browser page must be cross-origin isolated\)/,
        );
        expect(st.parallel).toMatchObject({ available: false, host: 'none' });
        expect(st.parallel.reason).toMatch(/not cross-origin isolated/);
        const r = await callPageApi(page, 'numbatsHeap', 'runWave', 1_000_000);
        expect(r).toMatchObject({ jobs: 0, shared: false, differing: 0 });
        expect(r.cpuPath).toMatch(/js: the numbats heap is off \(no SharedArrayBuffer here/);
        expect(r.parallelPath).toMatch(
          /ran inline on the calling thread \(no worker pool here: the page is not cross-origin isolated/,
        );
        // the same bits as the isolated page's wasm loops
        expect(r.cpu).toBe((await call('runWave', 1_000_000)).cpu);
      } finally {
        await page.close();
      }
    });
  },
);
