/**
 * jit workloads (the Numba tutorials' programs, examples/jit/tutorials.ts) side by side
 * with hand-written JS loops over the same TypedArrays (functions taking them as
 * parameters): go_fast on 1e4 and 1e6 elements, three-loop matmul 512², Monte-Carlo π with
 * an in-kernel LCG (1e7 samples), the closest pair of 4000 points, one Life step on a
 * 2048² uint8 board, and the first call of a fresh go_fast (compile included) against a
 * warm hand loop. Numba's @njit runs the same programs in jit_bench.py in the same run
 * when python3 has it.
 */

import * as par from '../examples/jit/prange.js';
import {
  approximatePi,
  closestPoints,
  goFast1d,
  lifeStep,
  matmul,
} from '../examples/jit/tutorials.js';
import { empty, jit, type NdArray, zeros as zerosRaw } from '../src/index.js';
import { freeing, type Row, runPython, SuiteArrays, sideBySide } from './harness.js';

function handGoFast(a: Float64Array): Float64Array {
  const n = a.length;
  let trace = 0;
  for (let i = 0; i < n; i++) trace += Math.tanh(a[i]);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = a[i] + trace;
  return out;
}

function handMatmul(
  A: Float64Array,
  B: Float64Array,
  C: Float64Array,
  m: number,
  n: number,
  p: number,
) {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < p; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += A[i * n + k] * B[k * p + j];
      C[i * p + j] = s;
    }
  }
}

function handPi(samples: number, seed: number): number {
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
}

function handClosest(p: Float64Array, n: number): [Float64Array, Float64Array, number] {
  let best = 999999.0;
  let bi = 0;
  let bj = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const dx = p[2 * i] - p[2 * j];
      const dy = p[2 * i + 1] - p[2 * j + 1];
      const d2 = dx * dx + dy * dy;
      if (d2 < best) {
        best = d2;
        bi = i;
        bj = j;
      }
    }
  }
  return [p.slice(2 * bi, 2 * bi + 2), p.slice(2 * bj, 2 * bj + 2), Math.sqrt(best)];
}

function handLife(a: Uint8Array, out: Uint8Array, n: number, m: number): number {
  let alive = 0;
  for (let i = 1; i < n - 1; i++) {
    for (let j = 1; j < m - 1; j++) {
      const c =
        a[(i - 1) * m + j - 1] +
        a[(i - 1) * m + j] +
        a[(i - 1) * m + j + 1] +
        a[i * m + j - 1] +
        a[i * m + j + 1] +
        a[(i + 1) * m + j - 1] +
        a[(i + 1) * m + j] +
        a[(i + 1) * m + j + 1];
      const v = c === 3 || (c === 2 && a[i * m + j] === 1) ? 1 : 0;
      out[i * m + j] = v;
      alive += v;
    }
  }
  return alive;
}

/** The source of go_fast, compiled afresh by every first-call sample (a new function object each time). */
const goFastSource = `(a) => {
  let trace = 0;
  for (let i = 0; i < a.shape[0]; i++) trace += Math.tanh(a.get(i));
  const out = empty(a.shape, 'float64');
  for (let i = 0; i < a.shape[0]; i++) out.set(i, a.get(i) + trace);
  return out;
}`;

const fmt = (v: number) => (v < 1 ? v.toFixed(4) : v.toFixed(2)).padStart(8);

/** A seeded uniform in [0, 1) (the inputs only; the kernels do not call it). */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

export function jitBenchmarks(rounds: number): Row[] {
  const rows: Row[] = [];
  const arrays = new SuiteArrays();
  const zeros = (...a: Parameters<typeof zerosRaw>) => arrays.keep(zerosRaw(...a));
  const r = rng(1);
  const row = (
    key: string,
    label: string,
    numbats: () => unknown,
    hand: () => unknown,
    n = rounds,
  ) => {
    const t = sideBySide(
      [
        { name: 'numbats', run: numbats },
        { name: 'hand', run: hand },
      ],
      n,
    );
    const [nb, hd] = t.map((x) => x.medianMs);
    console.log(
      `${label.padEnd(40)} numbats ${fmt(nb)} ms | hand ${fmt(hd)} ms (${(nb / hd).toFixed(2)}x)`,
    );
    rows.push({ key, workload: label, numbats: nb, hand: hd });
  };

  for (const [key, n] of [
    ['jitGoFast4', 10_000],
    ['jitGoFast6', 1_000_000],
  ] as const) {
    const data = Float64Array.from({ length: n }, r);
    const a = zeros([n]);
    (a.data as Float64Array).set(data);
    row(
      key,
      `jit go_fast, ${n === 10_000 ? '1e4' : '1e6'}`,
      freeing(() => goFast1d(a)),
      () => handGoFast(data),
    );
  }

  {
    const N = 512;
    const A = zeros([N, N]);
    const B = zeros([N, N]);
    const C = zeros([N, N]);
    for (const x of [A, B]) (x.data as Float64Array).set(Float64Array.from({ length: N * N }, r));
    const C2 = new Float64Array(N * N);
    const Ad = A.data as Float64Array;
    const Bd = B.data as Float64Array;
    row(
      'jitMatmul',
      'jit three-loop matmul 512²',
      () => matmul(A, B, C),
      () => handMatmul(Ad, Bd, C2, N, N, N),
    );
  }

  row(
    'jitPi',
    'jit Monte-Carlo π, 1e7 (LCG)',
    () => approximatePi(10_000_000, 12345),
    () => handPi(10_000_000, 12345),
  );

  {
    const n = 4000;
    const pts = zeros([n, 2]);
    (pts.data as Float64Array).set(Float64Array.from({ length: 2 * n }, r));
    const pd = Float64Array.from(pts.data as Float64Array);
    row(
      'jitClosest',
      'jit closest pair, 4000 points',
      freeing(() => closestPoints(pts)),
      () => handClosest(pd, n),
    );
  }

  {
    const n = 2048;
    const board = zeros([n, n], 'uint8');
    const bd = board.data as Uint8Array;
    for (let i = 0; i < bd.length; i++) bd[i] = r() < 0.3 ? 1 : 0;
    const out = zeros([n, n], 'uint8');
    const copy = Uint8Array.from(bd);
    const out2 = new Uint8Array(n * n);
    row(
      'jitLife',
      'jit Life step 2048² (explicit loops)',
      () => lifeStep(board, out),
      () => handLife(copy, out2, n, n),
    );
  }

  {
    const n = 10_000;
    const data = Float64Array.from({ length: n }, r);
    const a = zeros([n]);
    (a.data as Float64Array).set(data);
    const first = () => {
      const fn = new Function('empty', `return ${goFastSource};`)(empty) as (a: NdArray) => NdArray;
      return jit(fn)(a);
    };
    row(
      'jitFirstCall',
      'jit first call of go_fast (compile incl.), 1e4',
      freeing(first),
      () => handGoFast(data),
      Math.max(rounds, 15),
    );
    rows[rows.length - 1].note = 'hand: a warm hand loop (no compilation)';
  }

  // prange rows: the parallel version against the same function compiled serially, on
  // arrays allocated on a SharedArrayBuffer (the workers read them in place).
  const prangeRow = (
    key: string,
    label: string,
    pair: { parallel: (...a: any[]) => unknown; serial: (...a: any[]) => unknown },
    args: unknown[],
  ) => {
    row(
      key,
      label,
      freeing(() => pair.parallel(...args)),
      freeing(() => pair.serial(...args)),
    );
    rows[rows.length - 1].note = 'hand: the same function compiled by jit without parallel';
  };
  const shared = (shape: number[]) => {
    const a = zeros(shape, 'float64', { shared: true });
    const d = a.data as Float64Array;
    for (let i = 0; i < d.length; i++) d[i] = r();
    return a;
  };
  {
    const x = shared([10_000_000]);
    prangeRow('prangeSum', 'prange sum, 1e7 f64 (fastmath)', par.psum, [x]);
    prangeRow('prangeTanh', 'prange tanh trace, 1e7 (fastmath)', par.tanhTrace, [x]);
  }
  {
    const N = 512;
    prangeRow('prangeMatmul', 'prange three-loop matmul 512²', par.matmul, [
      shared([N, N]),
      shared([N, N]),
      zeros([N, N], 'float64', { shared: true }),
    ]);
  }
  prangeRow('prangeClosest', 'prange closest pair, 4000 points', par.closestPair, [
    shared([4000, 2]),
  ]);
  prangeRow('prangeRowMeans', 'prange row means, (1e5, 64)', par.rowMeans, [shared([100_000, 64])]);

  arrays.freeAll();
  console.log('running the Python side (jit_bench.py)…');
  const py = runPython(new URL('./jit_bench.py', import.meta.url), [String(rounds)]);
  if (py) {
    for (const x of rows) {
      const v = py[`${x.key}.Numba`];
      if (v !== undefined) x.python = { Numba: v };
    }
  }
  return rows;
}

if (process.argv[1]?.endsWith('jit.bench.ts')) {
  const rounds = Number(process.env.BENCH_ROUNDS ?? 7);
  const rows = jitBenchmarks(rounds);
  for (const x of rows) {
    const numba = x.python?.Numba;
    console.log(
      `${x.workload.padEnd(48)} numbats ${fmt(x.numbats)} | hand ${fmt(x.hand)} (${(x.numbats / x.hand).toFixed(2)}x) | Numba ${numba === undefined ? '   —' : `${fmt(numba)} (${(x.numbats / numba).toFixed(2)}x)`}`,
    );
  }
}
