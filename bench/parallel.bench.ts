/**
 * `parallel` target workloads (issue 6): the same kernel on `target: 'parallel'` (the
 * "numbats" column) and on `cpu` (the "hand loop" column, so numbats/hand is the time
 * ratio parallel/cpu: below 1 is a speedup), timed side by side. Each workload runs twice:
 * with every array on a SharedArrayBuffer (`zeros(..., { shared: true })`: used in place)
 * and with ordinary arrays (copied into shared scratch and the outputs copied back).
 * Numba's cpu and parallel targets come from parallel_bench.py in the same run.
 */
import { escapeTime } from '../examples/showcase/escape-time.js';
import {
  type NdArray,
  parallelStatus,
  type Rel,
  stencil,
  toArray,
  vectorize,
  zeros,
} from '../src/index.js';
import { type Row, runPython, SuiteArrays, sideBySide } from './harness.js';

function filled(shape: number[], shared: boolean, f: (i: number) => number): NdArray {
  const a = zeros(shape, 'float64', { shared });
  const d = a.data as Float64Array;
  for (let i = 0; i < d.length; i++) d[i] = f(i);
  return a;
}

function pairRow(
  key: string,
  workload: string,
  par: () => unknown,
  cpu: () => unknown,
  rounds: number,
  note: string,
): Row {
  const t = sideBySide(
    [
      { name: 'parallel', run: par },
      { name: 'cpu', run: cpu },
    ],
    rounds,
  );
  const p = t[0].medianMs;
  const c = t[1].medianMs;
  console.log(
    `${workload.padEnd(58)} parallel ${p.toFixed(2).padStart(8)} ms | cpu ${c.toFixed(2).padStart(8)} ms (${(c / p).toFixed(2)}x speedup)`,
  );
  return { key, workload, numbats: p, hand: c, note };
}

export function parallelBenchmarks(rounds: number): Row[] {
  const st = parallelStatus();
  console.log(
    `parallel target: ${st.available ? `${st.workers} workers` : `unavailable (${st.reason})`}, inline below ${st.threshold} elements`,
  );
  const rows: Row[] = [];
  const arrays = new SuiteArrays();
  const R = Math.max(3, rounds >> 1);
  const note = 'hand loop column = the same ufunc on target cpu';

  // W2: sin(a)·cos(b) on 1e7 float64, preallocated output.
  const sc = (x: number, y: number) => Math.sin(x) * Math.cos(y);
  const scPar = vectorize(sc, { target: 'parallel' });
  const scCpu = vectorize(sc);
  const N = 1e7;
  for (const shared of [true, false]) {
    const a = arrays.keep(filled([N], shared, () => Math.random()));
    const b = arrays.keep(filled([N], shared, () => Math.random()));
    const out = arrays.keep(zeros([N], 'float64', { shared }));
    rows.push(
      pairRow(
        `par-sincos-${shared ? 'shared' : 'copied'}`,
        `W2 sin(a)·cos(b) 1e7 f64, parallel vs cpu, ${shared ? 'shared arrays' : 'copied (plain arrays)'}`,
        () => scPar(a, b, { out }),
        () => scCpu(a, b, { out }),
        R,
        note,
      ),
    );
  }

  // W9: escape-time Mandelbrot, max 100 iterations, over a 2048x2048 grid (broadcast
  // row of real parts against a column of imaginary parts).
  const mandel = escapeTime;
  const mPar = vectorize(mandel, { target: 'parallel' });
  const mCpu = vectorize(mandel);
  const M = 2048;
  for (const shared of [true, false]) {
    const cr = arrays.keep(filled([1, M], shared, (i) => -2 + (2.6 * i) / (M - 1)));
    const ci = arrays.keep(filled([M, 1], shared, (i) => -1.3 + (2.6 * i) / (M - 1)));
    const out = arrays.keep(zeros([M, M], 'float64', { shared }));
    rows.push(
      pairRow(
        `par-mandelbrot-${shared ? 'shared' : 'copied'}`,
        `W9 Mandelbrot 2048², 100 it, parallel vs cpu, ${shared ? 'shared arrays' : 'copied (plain arrays)'}`,
        () => mPar(cr, ci, { out }),
        () => mCpu(cr, ci, { out }),
        R,
        note,
      ),
    );
    if (!shared) {
      const want = (mCpu(cr, ci) as NdArray).data;
      const same = toArray(mPar(cr, ci) as NdArray).every((v, i) => v === want[i]);
      if (!same) throw new Error('parallel Mandelbrot differs from cpu');
    }
  }

  // W8: 5-point Laplacian on (4096,4096) float64 (memory-bound), out given.
  const lapFn = (u: Rel) => u(-1, 0) + u(1, 0) + u(0, -1) + u(0, 1) - 4 * u(0, 0);
  const lapPar = stencil(lapFn, { target: 'parallel' });
  const lapCpu = stencil(lapFn);
  const L = 4096;
  for (const shared of [true, false]) {
    const u = arrays.keep(filled([L, L], shared, () => Math.random()));
    const out = arrays.keep(zeros([L, L], 'float64', { shared }));
    rows.push(
      pairRow(
        `par-laplacian-${shared ? 'shared' : 'copied'}`,
        `W8 Laplacian 4096² f64, parallel vs cpu, ${shared ? 'shared arrays' : 'copied (plain arrays)'}`,
        () => lapPar(u, { out }),
        () => lapCpu(u, { out }),
        rounds,
        note,
      ),
    );
  }

  const py = runPython(new URL('./parallel_bench.py', import.meta.url), [String(R)]);
  if (py) {
    for (const r of rows) {
      const k = r.key.replace(/^par-/, '').replace(/-(shared|copied)$/, '');
      if (py[k]) r.python = py[k] as unknown as Record<string, number>;
    }
  }
  arrays.freeAll();
  return rows;
}
