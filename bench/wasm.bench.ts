/**
 * WebAssembly kernels on the numbats heap: the same workloads as W1 and W5, with operands
 * allocated by numbats (so they live in the heap's WebAssembly.Memory and the wasm loops run),
 * timed side by side with a hand-written JS loop and with numbats' own JS loops on the same
 * arrays (wasm switched off for that contender; its time is in the row's note). NumPy's
 * figures come from wasm_bench.py in the same run. Also prints the wasm emit and compile
 * time of each kernel.
 */
import { type NdArray, vectorize, zeros } from '../src/index.js';
import { wasmConfig } from '../src/targets/wasm/map.js';
import { type Row, runPython, SuiteArrays, sideBySide } from './harness.js';

function filled(shape: number[]): NdArray {
  const a = zeros(shape);
  const d = a.data as Float64Array;
  for (let i = 0; i < d.length; i++) d[i] = Math.random();
  return a;
}

/** A contender running numbats with the wasm kernels switched off (the JS loops). */
function jsLoops(run: () => unknown): () => unknown {
  return () => {
    wasmConfig.enabled = false;
    try {
      return run();
    } finally {
      wasmConfig.enabled = true;
    }
  };
}

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
  const np = runPython(new URL('./wasm_bench.py', import.meta.url), [String(rounds)]);
  if (np) for (const r of rows) if (np[r.key] !== undefined) r.python = { NumPy: np[r.key] };
  arrays.freeAll();
  return rows;
}
