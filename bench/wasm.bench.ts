/**
 * WebAssembly kernels on the numbats heap: the same workloads as W1 and W5, with operands
 * allocated by numbats (so they live in the heap's WebAssembly.Memory and the wasm loops run),
 * timed side by side with a hand-written JS loop and with numbats' own JS loops on the same
 * arrays (wasm switched off for that contender; its time is in the row's note). NumPy's
 * figures come from wasm_bench.py in the same run. Also prints the wasm emit and compile
 * time of each kernel.
 */
import { lifeRule } from '../examples/game-of-life.js';
import { type Rel, stencil, vectorize, zeros } from '../src/index.js';
import { type Row, runPython, SuiteArrays, sideBySide } from './harness.js';
import { filled, jsLoops } from './heap-contenders.js';
import { wasmParallelBenchmarks } from './wasm-parallel.bench.js';

export function wasmBenchmarks(rounds: number): Row[] {
  const rows: Row[] = [];
  const arrays = new SuiteArrays();
  const add = vectorize((x: number, y: number) => x + y, { identity: 0, name: 'add' });
  const N = 1e7;
  const A = arrays.keep(filled([N]));
  const B = arrays.keep(filled([N]));
  const C = arrays.keep(zeros([N]));
  const a = A.data as Float64Array;
  const b = B.data as Float64Array;
  const c = C.data as Float64Array;
  function handAdd(x: Float64Array, y: Float64Array, z: Float64Array, n: number) {
    for (let i = 0; i < n; i++) z[i] = x[i] + y[i];
  }
  const M = 4000;
  const Mm = arrays.keep(filled([M, M]));
  const m = Mm.data as Float64Array;
  const o1 = arrays.keep(zeros([M]));
  const om = arrays.keep(zeros([M, M]));
  const omd = om.data as Float64Array;
  const out = o1.data as Float64Array;
  function handSum0(x: Float64Array, o: Float64Array, r: number, cols: number) {
    o.fill(0);
    for (let i = 0; i < r; i++) {
      const base = i * cols;
      for (let j = 0; j < cols; j++) o[j] += x[base + j];
    }
  }
  function handSum1(x: Float64Array, o: Float64Array, r: number, cols: number) {
    for (let i = 0; i < r; i++) {
      let s = 0;
      const base = i * cols;
      for (let j = 0; j < cols; j++) s += x[base + j];
      o[i] = s;
    }
  }
  function handCumsum1(x: Float64Array, o: Float64Array, r: number, cols: number) {
    for (let i = 0; i < r; i++) {
      let s = 0;
      const base = i * cols;
      for (let j = 0; j < cols; j++) {
        s += x[base + j];
        o[base + j] = s;
      }
    }
  }
  function handSumAll(x: Float64Array, n: number) {
    let s = 0;
    for (let i = 0; i < n; i++) s += x[i];
    return s;
  }

  // Stencils: a 5-point Laplacian ('skip': the border keeps out's values) and a Life step on
  // a torus (the README's kernel), 4096², out given; interiors on wasm, borders on JS loops.
  const G = 4096;
  const grid = arrays.keep(filled([G, G]));
  const lapOut = arrays.keep(zeros([G, G]));
  const laplacian = stencil((u: Rel) => u(-1, 0) + u(1, 0) + u(0, -1) + u(0, 1) - 4 * u(0, 0), {
    name: 'laplacian',
  });
  const board = arrays.keep(zeros([G, G], 'uint8'));
  const bd = board.data as Uint8Array;
  for (let i = 0; i < bd.length; i++) bd[i] = Math.random() < 0.3 ? 1 : 0;
  const next = arrays.keep(zeros([G, G], 'uint8'));
  const life = stencil(lifeRule, { boundary: 'wrap', name: 'life' });
  function handLaplacian(x: Float64Array, o: Float64Array, n: number) {
    for (let i = 1; i < n - 1; i++) {
      for (let j = 1; j < n - 1; j++) {
        const p = i * n + j;
        o[p] = x[p - n] + x[p + n] + x[p - 1] + x[p + 1] - 4 * x[p];
      }
    }
  }
  function handLife(x: Uint8Array, o: Uint8Array, n: number) {
    for (let i = 1; i < n - 1; i++) {
      for (let j = 1; j < n - 1; j++) {
        const p = i * n + j;
        const c =
          x[p - n - 1] +
          x[p - n] +
          x[p - n + 1] +
          x[p - 1] +
          x[p + 1] +
          x[p + n - 1] +
          x[p + n] +
          x[p + n + 1];
        o[p] = c === 3 || (c === 2 && x[p] === 1) ? 1 : 0;
      }
    }
  }

  const workloads: [string, string, () => unknown, () => unknown][] = [
    [
      'heapAdd',
      'heap: add 2×1e7 f64 (out given)',
      () => add(A, B, { out: C }),
      () => handAdd(a, b, c, N),
    ],
    [
      'heapSum0',
      'heap: sum axis 0, 4000²',
      () => add.reduce(Mm, { axis: 0, out: o1 }),
      () => handSum0(m, out, M, M),
    ],
    [
      'heapSum1',
      'heap: sum axis 1, 4000²',
      () => add.reduce(Mm, { axis: 1, out: o1 }),
      () => handSum1(m, out, M, M),
    ],
    [
      'heapSumAll',
      'heap: sum all, 4000²',
      () => add.reduce(Mm, { axis: null }),
      () => handSumAll(m, M * M),
    ],
    [
      'heapLaplacian',
      'heap: Laplacian 4096² f64 (skip)',
      () => laplacian(grid, { out: lapOut }),
      () => handLaplacian(grid.data as Float64Array, lapOut.data as Float64Array, G),
    ],
    [
      'heapLife',
      'heap: Life step 4096² u8 (wrap)',
      () => life(board, { out: next }),
      () => handLife(bd, next.data as Uint8Array, G),
    ],
    [
      'heapCumsum1',
      'heap: cumsum axis 1, 4000²',
      () => add.accumulate(Mm, { axis: 1, out: om }),
      () => handCumsum1(m, omd, M, M),
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
    const [nb, hd, js] = t.map((x) => x.medianMs);
    const row: Row = {
      key,
      workload,
      numbats: nb,
      hand: hd,
      note: `numbats' own JS loops on the same heap arrays: ${js.toFixed(2)} ms (wasm ${(js / nb).toFixed(1)}× faster)`,
    };
    console.log(
      `${workload.padEnd(34)} numbats(wasm) ${nb.toFixed(2).padStart(7)} ms | hand ${hd.toFixed(2).padStart(7)} ms | numbats JS loops ${js.toFixed(2).padStart(7)} ms`,
    );
    rows.push(row);
  }
  // Emit and compile time of the wasm loops built above (one per kernel and layout).
  const typed = (add as unknown as { inspect(s: string): string }).inspect(
    'float64,float64->float64',
  );
  for (const line of typed.split('\n'))
    if (line.startsWith('// wasm loop')) console.log(line.slice(3));
  for (const line of `${laplacian.inspect()}\n${life.inspect()}`.split('\n'))
    if (line.startsWith('// wasm interior') || line.includes('last call on'))
      console.log(line.slice(3));
  const np = runPython(new URL('./wasm_bench.py', import.meta.url), [String(rounds)]);
  if (np) {
    for (const r of rows) {
      const peers: Record<string, number> = {};
      if (np[r.key] !== undefined) peers.NumPy = np[r.key];
      if (np[`${r.key}NumPy`] !== undefined) peers.NumPy = np[`${r.key}NumPy`];
      if (np[`${r.key}Numba`] !== undefined) peers.Numba = np[`${r.key}Numba`];
      if (Object.keys(peers).length) r.python = peers;
    }
  }
  rows.push(...wasmParallelBenchmarks(rounds));
  arrays.freeAll();
  return rows;
}
