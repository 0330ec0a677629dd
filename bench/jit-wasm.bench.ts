/**
 * jit functions on the wasm engine: whole functions whose array arguments live on the numbats
 * heap, timed side by side with the same dispatcher on its JS path (the wasm engine switched
 * off for that contender) and a hand-written JS loop; Numba's @njit runs the same programs in
 * jit_wasm_bench.py in the same run. Rows: a double-loop sum over 4000², the tutorial's
 * go_fast on 1e6 elements (its result allocated inside, on the heap), the three-loop matmul
 * 512², and a 4096² 5-point Laplacian as a double loop.
 */
import { goFast1d } from '../examples/jit/tutorials.js';
import { jit, type NdArray, zeros } from '../src/index.js';
import { freeing, type Row, runPython, SuiteArrays, sideBySide } from './harness.js';
import { filled, jsLoops } from './heap-contenders.js';

/** The double-loop sum of a 2-d array. */
export const sum2d = jit((a: NdArray) => {
  let s = 0;
  for (let i = 0; i < a.shape[0]; i++) for (let j = 0; j < a.shape[1]; j++) s += a.get(i, j);
  return s;
});

/** The three-loop matrix product into C. */
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

/** The 5-point Laplacian of the interior, into out. */
export const laplacian = jit((u: NdArray, out: NdArray) => {
  const [n, m] = u.shape;
  for (let i = 1; i < n - 1; i++)
    for (let j = 1; j < m - 1; j++)
      out.set(
        i,
        j,
        u.get(i - 1, j) + u.get(i + 1, j) + u.get(i, j - 1) + u.get(i, j + 1) - 4 * u.get(i, j),
      );
});

export function jitWasmBenchmarks(rounds: number): Row[] {
  const rows: Row[] = [];
  const arrays = new SuiteArrays();
  const M = 4000;
  const big = arrays.keep(filled([M, M]));
  const bd = big.data as Float64Array;
  const x = arrays.keep(filled([1_000_000]));
  const xd = x.data as Float64Array;
  const N = 512;
  const A = arrays.keep(filled([N, N]));
  const B = arrays.keep(filled([N, N]));
  const C = arrays.keep(zeros([N, N]));
  const [Ad, Bd, C2] = [A.data as Float64Array, B.data as Float64Array, new Float64Array(N * N)];
  const G = 4096;
  const grid = arrays.keep(filled([G, G]));
  const lap = arrays.keep(zeros([G, G]));
  const gd = grid.data as Float64Array;
  const lap2 = new Float64Array(G * G);
  const workloads: [string, string, () => unknown, () => unknown][] = [
    [
      'jitWasmSum',
      'jit double-loop sum 4000²',
      () => sum2d(big),
      () => {
        let s = 0;
        for (let i = 0; i < M; i++) for (let j = 0; j < M; j++) s += bd[i * M + j];
        return s;
      },
    ],
    [
      'jitWasmGoFast6',
      'jit go_fast 1e6',
      freeing(() => goFast1d(x)),
      () => {
        let t = 0;
        for (let i = 0; i < xd.length; i++) t += Math.tanh(xd[i]);
        const o = new Float64Array(xd.length);
        for (let i = 0; i < xd.length; i++) o[i] = xd[i] + t;
        return o;
      },
    ],
    [
      'jitWasmMatmul',
      'jit three-loop matmul 512²',
      () => matmul(A, B, C),
      () => {
        for (let i = 0; i < N; i++)
          for (let j = 0; j < N; j++) {
            let s = 0;
            for (let k = 0; k < N; k++) s += Ad[i * N + k] * Bd[k * N + j];
            C2[i * N + j] = s;
          }
      },
    ],
    [
      'jitWasmLaplacian',
      'jit Laplacian 4096² (double loop)',
      () => laplacian(grid, lap),
      () => {
        for (let i = 1; i < G - 1; i++)
          for (let j = 1; j < G - 1; j++) {
            const p = i * G + j;
            lap2[p] = gd[p - G] + gd[p + G] + gd[p - 1] + gd[p + 1] - 4 * gd[p];
          }
      },
    ],
  ];
  for (const [key, workload, numbats, hand] of workloads) {
    const t = sideBySide(
      [
        { name: 'numbats', run: numbats },
        { name: 'hand', run: hand },
        { name: 'js', run: jsLoops(numbats) },
      ],
      rounds,
    );
    const [nb, hd, js] = t.map((v) => v.medianMs);
    rows.push({
      key,
      workload,
      numbats: nb,
      hand: hd,
      note: `numbats' JS path on the same heap arrays: ${js.toFixed(2)} ms (wasm ${(js / nb).toFixed(2)}× faster)`,
    });
    console.log(
      `${workload.padEnd(34)} numbats(wasm) ${nb.toFixed(2).padStart(7)} ms | JS path ${js.toFixed(2).padStart(7)} ms | hand ${hd.toFixed(2).padStart(7)} ms`,
    );
  }
  const py = runPython(new URL('./jit_wasm_bench.py', import.meta.url), [String(rounds)]);
  if (py) {
    for (const r of rows)
      if (py[`${r.key}.Numba`] !== undefined) r.python = { Numba: py[`${r.key}.Numba`] };
  }
  arrays.freeAll();
  return rows;
}

if (process.argv[1]?.endsWith('jit-wasm.bench.ts')) {
  const rows = jitWasmBenchmarks(Number(process.env.BENCH_ROUNDS ?? 7));
  for (const r of rows) {
    const numba = r.python?.Numba;
    console.log(
      `${r.workload.padEnd(34)} wasm ${r.numbats.toFixed(2)} ms | Numba ${numba === undefined ? '—' : `${numba.toFixed(2)} ms (${(r.numbats / numba).toFixed(2)}×)`} | ${r.note}`,
    );
  }
}
