/**
 * The Numba tutorials' parallel programs (`@njit(parallel=True)` with `prange`), ported to
 * numbats: the outermost `prange` loop of each nest runs on the worker pool, reductions into
 * locals are combined across workers, and array writes indexed by the loop variable need
 * nothing else. Each has a serial twin (the same function without `parallel`) so the tests
 * (test/examples/jit.test.ts) can compare them and the benchmarks (bench/jit.bench.ts) can
 * time them side by side.
 *
 * The tutorials' closest-pair search writes the best pair from inside the parallel loop,
 * which races (two workers may each find a pair and write both points). The port keeps
 * the best partner of each point in arrays indexed by the loop variable, then picks the
 * best row after the loop, serially: the same result on any number of workers.
 *
 * Run: npx tsx examples/jit/prange.ts
 */
import { fileURLToPath } from 'node:url';
import { type JitOptions, jit, type NdArray, prange, zeros } from '../../src/index.js';

/** A parallel function and its serial twin (same source, same options but `parallel`). */
function both<F extends (...args: any[]) => any>(fn: F, options: JitOptions = {}) {
  return { parallel: jit(fn, { ...options, parallel: true }), serial: jit(fn, options) };
}

/** `psum`: the sum of a 1-d array (reassociation allowed, as the tutorial's fastmath version). */
export const psum = both(
  (a: NdArray) => {
    let s = 0;
    for (const i of prange(a.shape[0])) s += a.get(i);
    return s;
  },
  { fastmath: true },
);

/** `go_even_faster`'s trace: the sum of tanh over every element. */
export const tanhTrace = both(
  (a: NdArray) => {
    let trace = 0;
    for (const i of prange(a.shape[0])) trace += Math.tanh(a.get(i));
    return trace;
  },
  { fastmath: true },
);

/** `matrix_multiplication_numba2`: three prange loops; the outer one runs in parallel. */
export const matmul = both((A: NdArray, B: NdArray, C: NdArray) => {
  const n = A.shape[0];
  const p = B.shape[1];
  const m = A.shape[1];
  for (const i of prange(n)) {
    for (const j of prange(p)) {
      let tmp = 0;
      for (const k of prange(m)) tmp += A.get(i, k) * B.get(k, j);
      C.set(i, j, tmp);
    }
  }
});

/** `square_mean_numba`: the mean of the squares of each row. */
export const rowMeans = both((a: NdArray) => {
  const [n, m] = a.shape;
  const res = zeros(n);
  for (const i of prange(n)) {
    let s = 0;
    for (let j = 0; j < m; j++) s += a.get(i, j) * a.get(i, j);
    res.set(i, s / m);
  }
  return res;
});

/** The closest pair of points (rows of an (n, 2) array): the two points and their distance. */
export const closestPair = both((points: NdArray) => {
  const n = points.shape[0];
  const best = zeros(n);
  const partner = zeros(n, 'int32');
  for (const i of prange(n)) {
    let d = Infinity;
    let k = -1;
    for (let j = i + 1; j < n; j++) {
      const dx = points.get(i, 0) - points.get(j, 0);
      const dy = points.get(i, 1) - points.get(j, 1);
      const d2 = dx * dx + dy * dy;
      if (d2 < d) {
        d = d2;
        k = j;
      }
    }
    best.set(i, d);
    partner.set(i, k);
  }
  // The first row holding the smallest distance, as the serial search finds it.
  let bi = 0;
  for (let i = 1; i < n; i++) if (best.get(i) < best.get(bi)) bi = i;
  const bj = partner.get(bi);
  const p1 = zeros(2);
  const p2 = zeros(2);
  for (let c = 0; c < 2; c++) {
    p1.set(c, points.get(bi, c));
    p2.set(c, points.get(bj, c));
  }
  return [p1, p2, Math.sqrt(best.get(bi))];
});

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { random } = await import('../../src/index.js');
  const x = random([1_000_000], { seed: 1, shared: true });
  console.log('psum', psum.parallel(x), 'serial', psum.serial(x));
  console.log('tanh trace', tanhTrace.parallel(x));
  const pts = random([2000, 2], { seed: 2 });
  const [p1, p2, d] = closestPair.parallel(pts) as [NdArray, NdArray, number];
  console.log('closest pair', Array.from(p1.data), Array.from(p2.data), d);
  console.log(psum.parallel.diagnostics()[0].text);
}
