/**
 * The parallel page: renders a Mandelbrot set with a `parallel` ufunc on Web Workers. The
 * page is served cross-origin isolated (see vite.config.ts), which is what gives it
 * SharedArrayBuffer and so the pool. On the main thread only `.async` calls use the
 * workers (it may not block); a module worker shows synchronous calls using them too.
 * `window.numbatsParallel` is the hook the browser test drives.
 */
import { type NdArray, parallelStatus, setParallelOptions } from 'numbats';
import { fingerprint, grid, mandelCpu, mandelParallel } from './parallel-kernels.js';

const N = 512;
setParallelOptions({ workers: Math.min(4, navigator.hardwareConcurrency || 2) });

const statusLine = document.querySelector<HTMLParagraphElement>('#status')!;
const times = document.querySelector<HTMLTableSectionElement>('#times')!;
const canvas = document.querySelector<HTMLCanvasElement>('#view')!;

function show(counts: NdArray): void {
  const ctx = canvas.getContext('2d')!;
  const img = ctx.createImageData(N, N);
  const d = counts.data as Int32Array;
  for (let k = 0; k < d.length; k++) {
    // Inside the set black; outside a smooth palette of the escape count.
    const t = d[k] >= 100 ? 0 : d[k] / 100;
    const u = 1 - t;
    img.data.set(
      [9 * u * t ** 3 * 255, 15 * u * u * t * t * 255, 8.5 * u ** 3 * t * 255, 255],
      4 * k,
    );
  }
  ctx.putImageData(img, 0, 0);
}

function row(target: string, ms: number): void {
  const tr = document.createElement('tr');
  for (const text of [target, ms.toFixed(1)]) {
    const td = document.createElement('td');
    td.textContent = text;
    tr.append(td);
  }
  times.append(tr);
}

/** Renders on cpu, then on parallel with `.async`; returns both fingerprints and timings. */
async function render(n = N) {
  const { re, im } = grid(n, parallelStatus().available);
  let t0 = performance.now();
  const cpu = mandelCpu(re, im) as NdArray;
  const cpuMs = performance.now() - t0;
  const jobs = parallelStatus().jobs;
  t0 = performance.now();
  const par = (await mandelParallel.async(re, im)) as NdArray;
  const parMs = performance.now() - t0;
  const asyncJobs = parallelStatus().jobs - jobs;
  // A synchronous call on the main thread runs on cpu (no job).
  const sync = mandelParallel(re, im) as NdArray;
  const syncJobs = parallelStatus().jobs - jobs - asyncJobs;
  if (n === N) {
    show(par);
    row('cpu', cpuMs);
    row('parallel (.async)', parMs);
  }
  return {
    cpu: fingerprint(cpu),
    parallel: fingerprint(par),
    sync: fingerprint(sync),
    asyncJobs,
    syncJobs,
    cpuMs,
    parMs,
  };
}

/** Runs the same call inside a module worker, where synchronous calls may block. */
function inWorker(n = 256): Promise<unknown> {
  const w = new Worker(new URL('./parallel-worker.ts', import.meta.url), { type: 'module' });
  return new Promise((resolve, reject) => {
    w.onmessage = (e) => {
      resolve(e.data);
      w.terminate();
    };
    w.onerror = (e) => reject(new Error(e.message));
    w.postMessage({ n });
  });
}

const st = parallelStatus();
statusLine.textContent = st.available
  ? `parallel: ${st.workers} ${st.host} (${st.reason || 'synchronous calls too'})`
  : `parallel unavailable: ${st.reason}`;
document.querySelector('#run')!.addEventListener('click', () => void render());

declare global {
  interface Window {
    numbatsParallel: {
      status: typeof parallelStatus;
      crossOriginIsolated: boolean;
      render: typeof render;
      inWorker: typeof inWorker;
    };
  }
}
window.numbatsParallel = {
  status: parallelStatus,
  crossOriginIsolated: globalThis.crossOriginIsolated,
  render,
  inWorker,
};
