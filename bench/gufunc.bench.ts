/**
 * guvectorize workloads (issue 3): numbats vs a hand-written loop, timed side by side;
 * NumPy's einsum/matmul figures come from gufunc_bench.py in the same run.
 */
import ndarray from 'ndarray';
import { guvectorize, type NdArray, type View } from '../src/index.js';
import { type Row, runPython, sideBySide } from './harness.js';

function rand(n: number): Float64Array {
  const a = new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = Math.random();
  return a;
}
const nd = (d: Float64Array, shape: number[]) => ndarray(d, shape) as unknown as NdArray;

// The hand-written loops take their arrays as parameters, like numbats' generated loops.
function handRowDot(
  x: Float64Array,
  y: Float64Array,
  out: Float64Array,
  rows: number,
  cols: number,
) {
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    let s = 0;
    for (let j = 0; j < cols; j++) s += x[base + j] * y[base + j];
    out[r] = s;
  }
}

function handMatmul4(a: Float64Array, b: Float64Array, c: Float64Array, count: number) {
  for (let t = 0; t < count; t++) {
    const o = t * 16;
    for (let i = 0; i < 4; i++) {
      for (let j = 0; j < 4; j++) {
        let s = 0;
        for (let k = 0; k < 4; k++) s += a[o + i * 4 + k] * b[o + k * 4 + j];
        c[o + i * 4 + j] = s;
      }
    }
  }
}

function row(key: string, workload: string, t: { name: string; medianMs: number }[]): Row {
  const by = (n: string) => t.find((x) => x.name === n)!.medianMs;
  const r: Row = { key, workload, numbats: by('numbats'), hand: by('hand') };
  console.log(
    `${workload.padEnd(34)} numbats ${r.numbats.toFixed(2).padStart(8)} ms | hand ${r.hand.toFixed(2).padStart(8)} ms (${(r.numbats / r.hand).toFixed(2)}x)`,
  );
  return r;
}

export function gufuncBenchmarks(rounds: number): Row[] {
  const rows: Row[] = [];
  const R = 100_000;
  const K = 64;
  const x = rand(R * K);
  const y = rand(R * K);
  const dots = new Float64Array(R);
  const X = nd(x, [R, K]);
  const Y = nd(y, [R, K]);
  const DOTS = nd(dots, [R]);
  const rowDot = guvectorize(
    (a: View, b: View) => {
      let s = 0;
      for (let i = 0; i < a.shape[0]; i++) s += a.get(i) * b.get(i);
      return s;
    },
    '(n),(n)->()',
    { name: 'rowDot' },
  );
  rows.push(
    row(
      'rowdot',
      'W7 row dot (1e5,64) f64 (out given)',
      sideBySide(
        [
          { name: 'numbats', run: () => rowDot(X, Y, { out: DOTS }) },
          { name: 'hand', run: () => handRowDot(x, y, dots, R, K) },
        ],
        rounds,
      ),
    ),
  );

  const a = rand(R * 16);
  const b = rand(R * 16);
  const c = new Float64Array(R * 16);
  const A = nd(a, [R, 4, 4]);
  const B = nd(b, [R, 4, 4]);
  const C = nd(c, [R, 4, 4]);
  const matmul = guvectorize(
    (p: View, q: View, o: View) => {
      for (let i = 0; i < p.shape[0]; i++) {
        for (let j = 0; j < q.shape[1]; j++) {
          let s = 0;
          for (let k = 0; k < p.shape[1]; k++) s += p.get(i, k) * q.get(k, j);
          o.set(i, j, s);
        }
      }
    },
    '(m,n),(n,p)->(m,p)',
    { name: 'matmul' },
  );
  rows.push(
    row(
      'matmul4',
      'W7 4×4 matmul ×1e5 f64 (out given)',
      sideBySide(
        [
          { name: 'numbats', run: () => matmul(A, B, { out: C }) },
          { name: 'hand', run: () => handMatmul4(a, b, c, R) },
        ],
        rounds,
      ),
    ),
  );
  console.log('running the NumPy side (gufunc_bench.py)…');
  const np = runPython(new URL('./gufunc_bench.py', import.meta.url), [String(rounds)]);
  if (np) {
    for (const r of rows) {
      const py: Record<string, number> = {};
      for (const [k, v] of Object.entries(np)) {
        const [key, peer] = k.split(':');
        if (key === r.key) py[peer] = v;
      }
      if (Object.keys(py).length) r.python = py;
    }
  }
  return rows;
}
