/**
 * A module worker of the parallel page: inside a Web Worker, `Atomics.wait` is allowed, so
 * synchronous `parallel` calls use the pool (nested workers) there, unlike on the page's
 * main thread. A browser starts a worker's own workers from its event loop, so the first
 * synchronous call starts the pool and runs on cpu; once the workers are up (`ready`),
 * synchronous calls run on them.
 */
import { parallelStatus, type Rel, setParallelOptions, stencil, zeros } from 'numbats';
import { fingerprint, grid, mandelCpu, mandelParallel } from './parallel-kernels.js';

/** A stencil whose computed offset `k` may leave its declared neighborhood (a RangeError). */
const shift = stencil((u: Rel, k: number) => u(0, k), {
  boundary: 'wrap',
  neighborhood: [
    [0, 0],
    [-3, 3],
  ],
  target: 'parallel',
});

/** The error a synchronous parallel call raises in a pool worker, as the caller sees it. */
function workerError(n: number): { name: string; message: string } | null {
  try {
    shift(zeros([n, n], 'float64', { shared: true }), 5);
    return null;
  } catch (e) {
    return { name: (e as Error).name, message: (e as Error).message };
  }
}

const tick = () => new Promise((r) => setTimeout(r, 10));

self.onmessage = async (e: MessageEvent<{ n: number }>) => {
  setParallelOptions({ workers: 2 });
  const { re, im } = grid(e.data.n, true);
  const cpu = fingerprint(mandelCpu(re, im) as never);
  let before = parallelStatus().jobs;
  const first = fingerprint(mandelParallel(re, im) as never);
  const firstJobs = parallelStatus().jobs - before;
  for (let t = 0; t < 500 && parallelStatus().ready < 2; t++) await tick();
  before = parallelStatus().jobs;
  const par = fingerprint(mandelParallel(re, im) as never);
  const jobs = parallelStatus().jobs - before;
  before = parallelStatus().jobs;
  const error = workerError(e.data.n);
  const errorJobs = parallelStatus().jobs - before;
  self.postMessage({
    status: parallelStatus(),
    firstJobs,
    jobs,
    first,
    parallel: par,
    cpu,
    error,
    errorJobs,
  });
};
