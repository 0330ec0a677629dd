/**
 * The `parallel` target with the numbats heap: its workers run the WebAssembly loop
 * modules on the heap's shared memory. Three contenders per workload, timed side by side
 * on the same heap arrays: `parallel` on wasm (the "numbats" column), `cpu` on wasm (the
 * "hand loop" column, so numbats/hand below 1 is the threads' speedup), and `parallel` with
 * the wasm engine switched off (the JS worker loops; its time is in the row's note).
 */
import { lifeRule } from '../examples/game-of-life.js';
import {
  free,
  type NdArray,
  parallelStatus,
  type Rel,
  stencil,
  vectorize,
  zeros,
} from '../src/index.js';
import { type Row, sideBySide } from './harness.js';
import { filled, jsLoops } from './heap-contenders.js';

export function wasmParallelBenchmarks(rounds: number): Row[] {
  const st = parallelStatus();
  if (!st.available) {
    console.log(`parallel on the heap: skipped (${st.reason})`);
    return [];
  }
  console.log(`parallel on the heap: ${st.workers} workers`);
  const addFn = (x: number, y: number) => x + y;
  const addPar = vectorize(addFn, { identity: 0, name: 'add', target: 'parallel' });
  const addCpu = vectorize(addFn, { identity: 0, name: 'add' });
  const esFn = (x: number) => Math.exp(x) * Math.sin(x);
  const esPar = vectorize(esFn, { name: 'expsin', target: 'parallel' });
  const esCpu = vectorize(esFn, { name: 'expsin' });
  const N = 1e7;
  const A = filled([N]);
  const B = filled([N]);
  const C = zeros([N]);
  const M = 4000;
  const Mm = filled([M, M]);
  const o1 = zeros([M]);
  const sten = stencilWorkloads();
  const workloads: Workload[] = [
    [
      'heapParAdd',
      'heap: add 2×1e7 f64, parallel',
      () => addPar(A, B, { out: C }),
      () => addCpu(A, B, { out: C }),
    ],
    [
      'heapParExpSin',
      'heap: exp(x)·sin(x) 1e7 f64, parallel',
      () => esPar(A, { out: C }),
      () => esCpu(A, { out: C }),
    ],
    [
      'heapParSum0',
      'heap: sum axis 0, 4000², parallel',
      () => addPar.reduce(Mm, { axis: 0, out: o1 }),
      () => addCpu.reduce(Mm, { axis: 0, out: o1 }),
    ],
    [
      'heapParSum1',
      'heap: sum axis 1, 4000², parallel',
      () => addPar.reduce(Mm, { axis: 1, out: o1 }),
      () => addCpu.reduce(Mm, { axis: 1, out: o1 }),
    ],
    [
      'heapParSumAll',
      'heap: sum all, 4000², parallel',
      () => addPar.reduce(Mm, { axis: null }),
      () => addCpu.reduce(Mm, { axis: null }),
    ],
    ...sten.workloads,
  ];
  const rows = timeWorkloads(workloads, rounds, st.workers);
  for (const a of sten.arrays) free(a);
  return rows;
}

/** A row: key, label, the `parallel` call and the same call on `cpu`. */
type Workload = [string, string, () => unknown, () => unknown];

/**
 * The 4096² float64 Laplacian ('skip') and uint8 Life step ('wrap') of wasm.bench.ts, on
 * `parallel` and on `cpu`: each worker's row band runs its interior on the wasm module.
 */
export function stencilWorkloads(): { workloads: Workload[]; arrays: NdArray[] } {
  const G = 4096;
  const lapFn = (u: Rel) => u(-1, 0) + u(1, 0) + u(0, -1) + u(0, 1) - 4 * u(0, 0);
  const lapPar = stencil(lapFn, { name: 'laplacian', target: 'parallel' });
  const lapCpu = stencil(lapFn, { name: 'laplacian' });
  const lifePar = stencil(lifeRule, { boundary: 'wrap', name: 'life', target: 'parallel' });
  const lifeCpu = stencil(lifeRule, { boundary: 'wrap', name: 'life' });
  const grid = filled([G, G]);
  const lapOut = zeros([G, G]);
  const board = zeros([G, G], 'uint8');
  const bd = board.data as Uint8Array;
  for (let i = 0; i < bd.length; i++) bd[i] = Math.random() < 0.3 ? 1 : 0;
  const next = zeros([G, G], 'uint8');
  return {
    workloads: [
      [
        'heapParLaplacian',
        'heap: Laplacian 4096² f64, parallel',
        () => lapPar(grid, { out: lapOut }),
        () => lapCpu(grid, { out: lapOut }),
      ],
      [
        'heapParLife',
        'heap: Life step 4096² u8, parallel',
        () => lifePar(board, { out: next }),
        () => lifeCpu(board, { out: next }),
      ],
    ],
    arrays: [grid, lapOut, board, next],
  };
}

/** Times each workload: `parallel` on wasm, `cpu` on wasm, `parallel` on its JS worker loops. */
export function timeWorkloads(workloads: Workload[], rounds: number, workers: number): Row[] {
  const rows: Row[] = [];
  for (const [key, workload, par, cpu] of workloads) {
    const t = sideBySide(
      [
        { name: 'parallel', run: par },
        { name: 'cpu', run: cpu },
        { name: 'js-workers', run: jsLoops(par) },
      ],
      rounds,
    );
    const [p, c, js] = t.map((x) => x.medianMs);
    console.log(
      `${workload.padEnd(40)} parallel(wasm) ${p.toFixed(2).padStart(7)} ms | cpu(wasm) ${c.toFixed(2).padStart(7)} ms (${(c / p).toFixed(2)}x) | parallel JS loops ${js.toFixed(2).padStart(7)} ms (${(js / p).toFixed(2)}x)`,
    );
    rows.push({
      key,
      workload,
      numbats: p,
      hand: c,
      note: `${workers} workers; hand loop column = the same kernel on cpu (wasm, one thread); parallel on the JS worker loops: ${js.toFixed(2)} ms (wasm workers ${(js / p).toFixed(1)}× faster)`,
    });
  }
  return rows;
}
