/**
 * The first programs of the Numba tutorials, ported to numbats `jit`: each is the same
 * loop nest, written with `a.get(i, j)` / `a.set(i, j, v)` instead of `a[i, j]`. The tests
 * (test/examples/jit.test.ts) and the benchmarks (bench/jit.bench.ts) use these very
 * functions.
 *
 * Run: npx tsx examples/jit/tutorials.ts
 */
import { fileURLToPath } from 'node:url';
import { empty, jit, type NdArray, zeros } from '../../src/index.js';

/** `go_fast`: a tanh trace of a square array added to every element (a new array). */
export const goFast = jit((a: NdArray) => {
  let trace = 0;
  for (let i = 0; i < a.shape[0]; i++) trace += Math.tanh(a.get(i, i));
  const out = empty(a.shape, 'float64');
  for (let i = 0; i < a.shape[0]; i++)
    for (let j = 0; j < a.shape[1]; j++) out.set(i, j, a.get(i, j) + trace);
  return out;
});

/** `go_fast` on a 1-d array: the trace is over every element. */
export const goFast1d = jit((a: NdArray) => {
  let trace = 0;
  for (let i = 0; i < a.shape[0]; i++) trace += Math.tanh(a.get(i));
  const out = empty(a.shape, 'float64');
  for (let i = 0; i < a.shape[0]; i++) out.set(i, a.get(i) + trace);
  return out;
});

/** `sum_numba(n)`: the double loop of i + j, exact in int64 (26991000000 for n = 3000). */
export const sumLoops = jit(
  (n: number) => {
    let result = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) result += i + j;
    return result;
  },
  { signatures: ['int64(int64)'] },
);

/**
 * Monte-Carlo π with its own random numbers: a 32-bit linear congruential generator
 * (Numerical Recipes' constants; every product stays below 2^53, so it is exact as int64
 * and as a JS number), so numbats, the hand loop and Numba draw the same points.
 */
export const approximatePi = jit((samples: number, seed: number) => {
  let s = seed;
  let inside = 0;
  for (let i = 0; i < samples; i++) {
    s = (s * 1664525 + 1013904223) % 4294967296;
    const x = (s / 4294967296) * 2 - 1;
    s = (s * 1664525 + 1013904223) % 4294967296;
    const y = (s / 4294967296) * 2 - 1;
    if (x * x + y * y < 1) inside++;
  }
  return (4 * inside) / samples;
});

/** `matrix_multiplication(A, B, C)`: the three-loop product, written into C. */
export const matmul = jit((A: NdArray, B: NdArray, C: NdArray) => {
  const [m, n] = A.shape;
  const p = B.shape[1];
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < p; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += A.get(i, k) * B.get(k, j);
      C.set(i, j, s);
    }
  }
});

/**
 * `closest(points)`: the two closest of n points (an (n, 2) array) and their distance, by
 * testing every pair. Returns `[p1, p2, distance]` like the tutorial's tuple.
 */
export const closestPoints = jit((points: NdArray) => {
  const n = points.shape[0];
  let best = 999999.0;
  let bi = 0;
  let bj = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const dx = points.get(i, 0) - points.get(j, 0);
      const dy = points.get(i, 1) - points.get(j, 1);
      const d2 = dx * dx + dy * dy;
      if (d2 < best) {
        best = d2;
        bi = i;
        bj = j;
      }
    }
  }
  const p1 = empty(2, 'float64');
  const p2 = empty(2, 'float64');
  for (let k = 0; k < 2; k++) {
    p1.set(k, points.get(bi, k));
    p2.set(k, points.get(bj, k));
  }
  return [p1, p2, Math.sqrt(best)];
});

/** `square_mean`: the mean of the squares of each row, as a new column. */
export const rowMeans = jit((a: NdArray) => {
  const [rows, cols] = a.shape;
  const res = empty(rows, 'float64');
  for (let i = 0; i < rows; i++) {
    let s = 0;
    for (let j = 0; j < cols; j++) {
      const v = a.get(i, j);
      s += v * v;
    }
    res.set(i, s / cols);
  }
  return res;
});

/**
 * One Game of Life generation with explicit loops, as `@stencil`'s kernel computes it:
 * interior cells only (the border of `out` is left as it is), 0/1 cells. Returns the
 * number of live cells written.
 */
export const lifeStep = jit((a: NdArray, out: NdArray) => {
  const [n, m] = a.shape;
  let alive = 0;
  for (let i = 1; i < n - 1; i++) {
    for (let j = 1; j < m - 1; j++) {
      const c =
        a.get(i - 1, j - 1) +
        a.get(i - 1, j) +
        a.get(i - 1, j + 1) +
        a.get(i, j - 1) +
        a.get(i, j + 1) +
        a.get(i + 1, j - 1) +
        a.get(i + 1, j) +
        a.get(i + 1, j + 1);
      const v = c === 3 || (c === 2 && a.get(i, j) === 1) ? 1 : 0;
      out.set(i, j, v);
      alive += v;
    }
  }
  return alive;
});

/**
 * `generations` of Life from `board` (the border stays dead), swapping two buffers; calls
 * `lifeStep`, compiled into this function. Returns the board and its live count.
 */
export const lifeRun = jit(
  (board: NdArray, generations: number) => {
    let a = zeros(board.shape, 'uint8');
    let b = zeros(board.shape, 'uint8');
    for (let i = 0; i < board.shape[0]; i++)
      for (let j = 0; j < board.shape[1]; j++) a.set(i, j, board.get(i, j));
    let alive = 0;
    for (let g = 0; g < generations; g++) {
      alive = lifeStep(a, b);
      const t = a;
      a = b;
      b = t;
    }
    return [a, alive];
  },
  { functions: { lifeStep } },
);

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { asarray, toNested } = await import('../../src/index.js');
  const x = asarray(Array.from({ length: 4 }, (_, i) => [i, i + 1, i + 2, i + 3]));
  console.log('go_fast:', toNested(goFast(x) as NdArray));
  console.log('sum_numba(3000):', sumLoops(3000));
  console.log('pi ≈', approximatePi(1_000_000, 12345));
  const A = asarray([
    [1, 2],
    [3, 4],
  ]);
  const C = zeros([2, 2]);
  matmul(A, A, C);
  console.log('A @ A:', toNested(C));
  const pts = asarray([
    [0, 0],
    [5, 5],
    [1, 1],
    [5, 6],
  ]);
  const [p1, p2, d] = closestPoints(pts) as [NdArray, NdArray, number];
  console.log('closest:', toNested(p1), toNested(p2), d);
  console.log('row means:', toNested(rowMeans(A) as NdArray));
  const blinker = zeros([5, 5], 'uint8');
  for (const j of [1, 2, 3]) blinker.set(2, j, 1);
  const [after, alive] = lifeRun(blinker, 1) as [NdArray, number];
  console.log('blinker after 1:', toNested(after), alive, 'alive');
  console.log(goFast.inspectTypes());
}
