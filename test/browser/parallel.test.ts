/**
 * The `parallel` target in headless Chromium (examples/browser/parallel.html): in a
 * cross-origin-isolated page the pool is Web Workers; on the page's main thread `.async`
 * calls run on them and synchronous calls on cpu, inside a module worker synchronous calls
 * use the pool too; results equal `cpu`'s bit for bit. A page that is not isolated runs on
 * cpu and says why.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserPage, callPageApi, openPage, skipBrowserTests } from './page.js';

const out = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'out');

/** The pool module as the page has it (Vite serves sources outside its root under /@fs/). */
const poolModule = `/@fs${join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'targets', 'parallel', 'pool.ts')}`;

describe.skipIf(skipBrowserTests('parallel'))(
  'the parallel target in Chromium',
  { timeout: 120_000 },
  () => {
    let bp: BrowserPage;
    const call = (fn: string, ...args: unknown[]) =>
      callPageApi(bp.page, 'numbatsParallel', fn, ...args);

    beforeAll(async () => {
      bp = await openPage('/parallel.html', 'window.numbatsParallel');
    }, 180_000);
    afterAll(() => bp?.close());

    it('finds a Web Workers pool in the isolated page, async-only on the main thread', async () => {
      expect(await bp.page.evaluate('window.numbatsParallel.crossOriginIsolated')).toBe(true);
      const st = await call('status');
      expect(st).toMatchObject({ available: true, host: 'web-workers', syncCalls: false });
      expect(st.reason).toMatch(/main thread, which may not block/);
    });

    it('.async runs on the workers and equals cpu; a sync call runs on cpu', async () => {
      const r = await call('render');
      expect(r.asyncJobs).toBe(1);
      expect(r.syncJobs).toBe(0);
      expect(r.parallel).toBe(r.cpu);
      expect(r.sync).toBe(r.cpu);
      const st = await call('status');
      expect(st.started).toBeGreaterThan(0);
      expect(bp.errors).toEqual([]);
      // Warm (pool started, loops compiled): one more render for the timing line.
      const w = await call('render');
      expect(w.parallel).toBe(w.cpu);
      console.log(
        `[numbats browser:parallel] Mandelbrot 512² (100 it), ${st.workers} Web Workers: cpu ${w.cpuMs.toFixed(1)} ms, parallel .async ${w.parMs.toFixed(1)} ms (first call, starting the pool: ${r.parMs.toFixed(1)} ms)`,
      );
      mkdirSync(out, { recursive: true });
      await bp.page.screenshot({ path: join(out, 'browser-parallel.png') });
    });

    it('inside a module worker, synchronous calls use the pool (nested workers)', async () => {
      const r = await call('inWorker', 300);
      expect(r.status).toMatchObject({ available: true, host: 'web-workers', syncCalls: true });
      // The first call starts the pool (its workers start once this worker yields) and runs
      // on cpu; the next one, with the workers up, runs on them.
      expect(r.firstJobs).toBe(0);
      expect(r.first).toBe(r.cpu);
      expect(r.status.ready).toBe(2);
      expect(r.jobs).toBe(1);
      expect(r.parallel).toBe(r.cpu);
      // A kernel exception in a pool worker reaches the blocked caller with its type and text.
      expect(r.errorJobs).toBe(1);
      expect(r.error).toEqual({
        name: 'RangeError',
        message: expect.stringMatching(/computed offset 5 on axis 1 is outside/),
      });
    });

    it('a Web Worker that dies mid-call fails the call cleanly, is replaced, and the pool goes on', async () => {
      // A string, so vitest does not rewrite this dynamic import for Node.
      const r: any = await bp.page.evaluate(`(async () => {
        const pool = await import(${JSON.stringify(poolModule)});
        const np = window.numbatsParallel;
        const started = np.status().started;
        pool.killWorkerInNextCall();
        let error = '';
        const t0 = performance.now();
        try {
          await np.render(300);
        } catch (e) {
          error = String(e.message);
        }
        const ms = performance.now() - t0;
        const after = await np.render(300);
        return { error, ms, started, status: np.status(), after };
      })()`);
      expect(r.error).toMatch(/worker 0 exited during the call; it was replaced/);
      expect(r.ms).toBeLessThan(5000);
      expect(r.status.started).toBe(r.started);
      expect(r.after.asyncJobs).toBe(1);
      expect(r.after.parallel).toBe(r.after.cpu);
    });

    it('a page that is not cross-origin isolated runs on cpu and says why', async () => {
      const page = await bp.browser.newPage();
      try {
        await page.goto(bp.url('/parallel.html?isolation=off'));
        await page.waitForFunction('window.numbatsParallel');
        const st = await callPageApi(page, 'numbatsParallel', 'status');
        expect(st).toMatchObject({ available: false, host: 'none', syncCalls: false });
        expect(st.reason).toMatch(/not cross-origin isolated/);
        const r = await callPageApi(page, 'numbatsParallel', 'render', 64);
        expect(r.asyncJobs).toBe(0);
        expect(r.parallel).toBe(r.cpu);
      } finally {
        await page.close();
      }
    });
  },
);
