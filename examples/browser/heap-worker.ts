/**
 * The heap page's module worker: synchronous `parallel` calls may block here, so they use
 * the pool (nested workers) for both kernels of heap-kernels.ts. A browser starts a
 * worker's own workers from its event loop, so the first call starts the pool (and runs on
 * cpu); once both workers are up, each call runs on them. Then the heap grows while the
 * pool is alive and both kernels run on the workers again.
 */
import { heapStatus, type NdArray, parallelStatus, setParallelOptions, zeros } from 'numbats';
import {
  board,
  type Comparison,
  comparison,
  evolve,
  input,
  lifeOn,
  waveOn,
} from './heap-kernels.js';

const tick = () => new Promise((r) => setTimeout(r, 10));

/** `wave` over `x` on cpu and on parallel (synchronous). */
function compareWave(x: NdArray): Comparison {
  let t0 = performance.now();
  const cpu = waveOn.cpu(x) as NdArray;
  const cpuMs = performance.now() - t0;
  const jobs = parallelStatus().jobs;
  t0 = performance.now();
  const par = waveOn.parallel(x) as NdArray;
  const parMs = performance.now() - t0;
  return comparison(cpu, par, parallelStatus().jobs - jobs, waveOn, cpuMs, parMs);
}

/** `gens` Life generations on an `n`×`n` board, on cpu and on parallel. */
function compareLife(n = 512, gens = 8): Comparison {
  const start = board(n);
  let t0 = performance.now();
  const cpu = evolve((b) => lifeOn.cpu(b) as NdArray, start, gens);
  const cpuMs = performance.now() - t0;
  const jobs = parallelStatus().jobs;
  t0 = performance.now();
  const par = evolve((b) => lifeOn.parallel(b) as NdArray, start, gens);
  const parMs = performance.now() - t0;
  return comparison(cpu, par, parallelStatus().jobs - jobs, lifeOn, cpuMs, parMs);
}

self.onmessage = async (e: MessageEvent<{ n?: number; side?: number }>) => {
  const { n = 1_000_000, side = 512 } = e.data;
  setParallelOptions({ workers: 2 });
  const x = input(n);
  const jobs = parallelStatus().jobs;
  const first = compareWave(x);
  const firstJobs = parallelStatus().jobs - jobs;
  // (a pool given up — its workers refused by the page — is not waited for)
  for (let t = 0; t < 500 && parallelStatus().available && parallelStatus().ready < 2; t++)
    await tick();
  const wave = compareWave(x);
  const life = compareLife(side);
  // Grow the heap while the pool is alive; the newest array lies in the grown part.
  const kept: NdArray[] = [];
  const before = heapStatus().size;
  // (without a heap there is nothing to grow)
  while (heapStatus().enabled && heapStatus().size === before && kept.length < 64)
    kept.push(zeros([1 << 20], 'float64'));
  const after = heapStatus().size;
  const grown = {
    before,
    after,
    wave: compareWave(input(1 << 20, kept[kept.length - 1])),
    life: compareLife(side),
  };
  self.postMessage({
    heap: heapStatus(),
    status: parallelStatus(),
    firstJobs,
    first,
    wave,
    life,
    grown,
  });
};
