/**
 * `jit` `prange` loops on the pool: the iterations are cut into contiguous chunks (the
 * pool's `chunkCount`), posted with `dispatch` — which copies arrays that are not on a
 * SharedArrayBuffer in and out as it does for every parallel kernel — and each chunk writes
 * its reduction partials into a shared Float64Array.
 */
import type { RangeCall } from '../../plan/range.js';
import { runDeferred, runNow } from './deferred.js';
import { type Chunk, dispatch, type LoopRef, loopRef } from './map.js';
import { chunkCount, parallelStatus, useWorkers } from './pool.js';
import { chunkRanges } from './split.js';

/**
 * Iterations of a loop whose body holds a loop count as this many elements against the
 * pool's threshold: such an iteration does much more work than one element of a ufunc.
 */
const HEAVY_ITERATION = 1024;

let forcedChunks: number | null = null;

/** Test hook: cut every parallel loop into this many chunks (null: the pool's `chunkCount`). */
export function setRangeChunks(n: number | null): void {
  forcedChunks = n;
}

/** Iteration count of `range(start, stop, step)`. */
function tripCount(start: number, stop: number, step: number): number {
  if (step > 0) return stop > start ? Math.ceil((stop - start) / step) : 0;
  return stop < start ? Math.ceil((start - stop) / -step) : 0;
}

/**
 * Posts a parallel loop's chunks; returns the shared array the chunks write their partials
 * into (read once every job has finished), or null when the loop should run inline.
 * Whether the call waits for its jobs is the caller's: `runNow` or `runDeferred`.
 */
function post(call: RangeCall): Float64Array | null {
  const { site, start, step } = call;
  const n = tripCount(start, call.stop, step);
  const work = site.heavy ? n * HEAVY_ITERATION : n;
  if (n < 2 || !useWorkers(work)) {
    const st = parallelStatus();
    call.note(
      'inline',
      n < 2
        ? `${n} iteration(s)`
        : work < st.threshold
          ? `${n} iterations${site.heavy ? ` (counted as ${work} elements: the body holds a loop)` : ''} < the pool's threshold ${st.threshold} (setParallelOptions({ threshold }) changes it)`
          : st.reason || 'the pool was still starting',
    );
    return null;
  }
  const parts = Math.min(n, forcedChunks ?? chunkCount(n));
  const K = site.nred;
  const partials = new Float64Array(new SharedArrayBuffer(parts * Math.max(K, 1) * 8));
  const ref: LoopRef = loopRef(site.owner, `prange${site.loop}`, () => site.src);
  const chunks: Chunk[] = chunkRanges(n, parts).map(([a, b], c) => ({
    ref,
    P: [],
    args: [c, start + a * step, start + b * step, step, call.sc, call.red],
  }));
  const D = [...call.data, partials];
  const nin = call.data.length - site.written;
  const lo = D.map(() => 0);
  const hi = D.map((d) => d.length - 1);
  call.note(
    'workers',
    `${n} iterations in ${parts} chunks over ${parallelStatus().workers} worker(s)`,
  );
  dispatch(D, lo, hi, nin, site.written, chunks);
  return partials;
}

/**
 * Runs a parallel loop on the pool: the partials (chunk-major, `nred` per chunk), or null
 * when the loop should run inline (small, or no pool here).
 */
export function runRange(call: RangeCall): Float64Array | null {
  return runNow(() => post(call));
}

/**
 * `runRange` for an `.async` call: the one deferred runner of every kind's `.async` waits
 * for the jobs without blocking the thread.
 */
export function runRangeAsync(call: RangeCall): Promise<Float64Array | null> {
  return runDeferred(() => post(call));
}
