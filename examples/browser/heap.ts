/**
 * The heap page: numbats' arrays on the shared WebAssembly heap, a `parallel` ufunc and a
 * `parallel` Life stencil run as wasm loops on two Web Workers, compared bit for bit with
 * the `cpu` target. Served cross-origin isolated by default (vite.config.ts); `?isolation=off`
 * and the `?csp=` presets show what a page without isolation, or under a restrictive
 * Content-Security-Policy, gets instead. On the main thread, which may not block, the ufunc
 * uses the workers through `.async`; the module worker (heap-worker.ts) makes synchronous
 * calls, which use the pool there, for both kernels. `window.numbatsHeap` is the hook the
 * browser tests (test/browser/heap.test.ts, heap-refused.test.ts) drive.
 */
import { heapStatus, type NdArray, parallelStatus, setParallelOptions, zeros } from 'numbats';
import { type Comparison, comparison, fingerprint, input, waveOn } from './heap-kernels.js';

setParallelOptions({ workers: 2 });

/** `wave` over `x` on cpu, then on parallel with `.async`. */
async function compareWave(x: NdArray): Promise<Comparison> {
  let t0 = performance.now();
  const cpu = waveOn.cpu(x) as NdArray;
  const cpuMs = performance.now() - t0;
  const jobs = parallelStatus().jobs;
  t0 = performance.now();
  const par = (await waveOn.parallel.async(x)) as NdArray;
  const parMs = performance.now() - t0;
  return comparison(cpu, par, parallelStatus().jobs - jobs, waveOn, cpuMs, parMs);
}

/** `wave` over `n` seeded float64 (1e6 by default). */
async function runWave(n = 1_000_000) {
  return compareWave(input(n));
}

/**
 * `wave` over `n` elements on cpu, small (an ordinary buffer, the JS loop) by default;
 * what it threw (name and message) where the page refuses something numbats needs.
 */
function tryWave(n = 16): { ok: number } | { name: string; message: string } {
  try {
    return { ok: fingerprint(waveOn.cpu(input(n)) as NdArray) };
  } catch (e) {
    return { name: (e as Error).name, message: (e as Error).message };
  }
}

/** Arrays `grow` keeps alive, so the heap cannot hand their blocks out again. */
const kept: NdArray[] = [];

/**
 * With the pool started (call `runWave` first), allocates 8 MiB arrays until the heap's
 * memory grows, then runs `wave` on the workers over the newest array (in the grown part).
 */
async function grow() {
  const before = heapStatus().size;
  while (heapStatus().size === before && kept.length < 64) kept.push(zeros([1 << 20], 'float64'));
  const after = heapStatus().size;
  const top = input(1 << 20, kept[kept.length - 1]);
  return { before, after, allocated: kept.length, top: await compareWave(top) };
}

/**
 * Runs heap-worker.ts (a ufunc over `n` elements, Life on `side`² boards) and resolves
 * with what it reports. A worker's script brings its own
 * Content-Security-Policy (it does not inherit the page's), so the page's `?csp=` preset
 * is passed on to the worker's request.
 */
function inWorker(n?: number, side?: number): Promise<unknown> {
  const csp = new URLSearchParams(location.search).get('csp');
  const url = new URL(`./heap-worker.ts${csp ? `?csp=${csp}` : ''}`, import.meta.url);
  const w = new Worker(url, { type: 'module' });
  return new Promise((resolve, reject) => {
    w.onmessage = (e) => {
      resolve(e.data);
      w.terminate();
    };
    w.onerror = (e) => reject(new Error(e.message));
    w.postMessage({ n, side });
  });
}

function status() {
  return {
    crossOriginIsolated: globalThis.crossOriginIsolated,
    webAssembly: typeof WebAssembly !== 'undefined',
    heap: heapStatus(),
    parallel: parallelStatus(),
  };
}

const st = status();
document.querySelector('#status')!.textContent = `heap ${
  st.heap.enabled ? 'on' : `off (${st.heap.reason})`
}; parallel ${
  st.parallel.available
    ? `${st.parallel.workers} ${st.parallel.host}`
    : `unavailable (${st.parallel.reason})`
}`;

declare global {
  interface Window {
    numbatsHeap: {
      status: () => Promise<ReturnType<typeof status>>;
      runWave: (n?: number) => ReturnType<typeof runWave>;
      grow: () => ReturnType<typeof grow>;
      inWorker: (n?: number, side?: number) => ReturnType<typeof inWorker>;
      tryWave: (n?: number) => Promise<ReturnType<typeof tryWave>>;
    };
  }
}
/**
 * Runs a hook in a task of its own. A test calls the hooks through the DevTools protocol,
 * and Chromium lets code evaluated that way (and everything it calls synchronously) use
 * `eval` and `new Function` whatever the page's Content-Security-Policy says; from a timer
 * the page's own rules apply, as they do to a page's own code.
 */
function inTask<A extends unknown[], R>(f: (...a: A) => R): (...a: A) => Promise<Awaited<R>> {
  return (...a) =>
    new Promise((resolve, reject) =>
      setTimeout(() => {
        try {
          Promise.resolve(f(...a)).then(resolve, reject);
        } catch (e) {
          reject(e);
        }
      }),
    );
}

window.numbatsHeap = {
  status: inTask(status),
  runWave: inTask(runWave),
  grow: inTask(grow),
  inWorker: inTask(inWorker),
  tryWave: inTask(tryWave),
};
