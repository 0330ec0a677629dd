/**
 * vectorize workloads (foundation issue): numbats vs a hand-written loop vs ndarray-ops,
 * each pair timed side by side. W1 (out given) and W2 also time a plain hand-written gpu.js
 * kernel doing the same work (bench/gpujs.bench.ts; float32 in and out, on the backend the
 * `gpu` target uses: headlessgl under `xvfb-run -a`, else webasm), after checking its output
 * against the float64 result. NumPy's figures come from numpy_bench.py in the same run.
 */
import ndarray from 'ndarray';
import ops from 'ndarray-ops';
import { type NdArray, vectorize } from '../src/index.js';
import { addGpuJs, handGpuJs, maxAbsDiff, sinCosGpuJs } from './gpujs.bench.js';
import { type Contender, freeing, type Row, runPython, sideBySide } from './harness.js';

function rand(n: number): Float64Array {
  const a = new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = Math.random();
  return a;
}
const nd = (d: Float64Array, shape: number[]) => ndarray(d, shape) as unknown as NdArray;

function run(
  key: string,
  workload: string,
  contenders: Contender[],
  rounds: number,
  note?: string,
): Row {
  const t = sideBySide(contenders, rounds);
  const by = (n: string) => t.find((x) => x.name === n)?.medianMs;
  const row: Row = {
    key,
    workload,
    numbats: by('numbats')!,
    hand: by('hand')!,
    ndarrayOps: by('ndarray-ops'),
    gpujs: by('gpu.js'),
    note,
  };
  const fmt = (v?: number) => (v === undefined ? '—' : v.toFixed(2));
  console.log(
    `${workload.padEnd(34)} numbats ${fmt(row.numbats).padStart(8)} ms | hand ${fmt(row.hand).padStart(8)} ms (${(row.numbats / row.hand).toFixed(2)}x)` +
      (row.ndarrayOps !== undefined ? ` | ndarray-ops ${fmt(row.ndarrayOps).padStart(8)} ms` : '') +
      (row.gpujs !== undefined ? ` | gpu.js ${fmt(row.gpujs).padStart(8)} ms` : ''),
  );
  return row;
}

// The hand-written loops take their arrays as parameters, like any reusable function (and
// like numbats' generated loops). V8 can run a loop over arrays captured as constants in a
// closure faster still; see the README's note on loop form.
function handSum0(m: Float64Array, out: Float64Array, rows: number, cols: number) {
  out.fill(0);
  for (let i = 0; i < rows; i++) {
    const base = i * cols;
    for (let j = 0; j < cols; j++) out[j] += m[base + j];
  }
}
function handSum1(m: Float64Array, out: Float64Array, rows: number, cols: number) {
  for (let i = 0; i < rows; i++) {
    let s = 0;
    const base = i * cols;
    for (let j = 0; j < cols; j++) s += m[base + j];
    out[i] = s;
  }
}
function handSumAll(m: Float64Array, n: number) {
  let s = 0;
  for (let i = 0; i < n; i++) s += m[i];
  return s;
}
function handCumsum1(m: Float64Array, out: Float64Array, rows: number, cols: number) {
  for (let i = 0; i < rows; i++) {
    const base = i * cols;
    let s = m[base];
    out[base] = s;
    for (let j = 1; j < cols; j++) {
      s += m[base + j];
      out[base + j] = s;
    }
  }
}
function handFive(
  a: Float64Array,
  b: Float64Array,
  c: Float64Array,
  d: Float64Array,
  e: Float64Array,
  out: Float64Array,
  n: number,
) {
  for (let i = 0; i < n; i++) out[i] = a[i] * b[i] + c[i] * d[i] - e[i];
}

export function ufuncBenchmarks(rounds: number): Row[] {
  const rows: Row[] = [];
  const N = 1e7;
  const a = rand(N);
  const b = rand(N);
  const c = new Float64Array(N);
  const A = nd(a, [N]);
  const B = nd(b, [N]);
  const C = nd(c, [N]);
  const add = vectorize((x: number, y: number) => x + y, { identity: 0, name: 'add' });

  function handAdd(x: Float64Array, y: Float64Array, z: Float64Array, n: number) {
    for (let i = 0; i < n; i++) z[i] = x[i] + y[i];
  }
  function handSinCos(x: Float64Array, y: Float64Array, z: Float64Array, n: number) {
    for (let i = 0; i < n; i++) z[i] = Math.sin(x[i]) * Math.cos(y[i]);
  }

  // Plain gpu.js contenders for W1 and W2: float32 copies of a and b (gpu.js computes in
  // float32), a 2-D output of 4096 × 2442 cells (1e7 cells as a 1-D output exceed GL
  // texture sizes), each checked once against the float64 result before timing.
  const gpujs: { add?: Contender; sincos?: Contender; note?: string } = {};
  const h = handGpuJs();
  if ('reason' in h) {
    console.log(`(no plain gpu.js contender for W1, W2: ${h.reason})`);
  } else {
    const a32 = Float32Array.from(a);
    const b32 = Float32Array.from(b);
    const o32 = new Float32Array(N);
    const check = (name: string, fn: () => void, ref: (o: Float64Array) => void, tol: number) => {
      ref(c);
      fn();
      const d = maxAbsDiff(c, o32);
      const ok = d <= tol;
      console.log(
        `${name}: plain gpu.js (${h.backend}) vs float64: max |diff| ${d.toExponential(2)} (≤ ${tol})${ok ? '' : ': left out'}`,
      );
      return ok ? { name: 'gpu.js', run: fn } : undefined;
    };
    try {
      // add: inputs in [0, 1) rounded to float32 and the float32 sum: a few 1e-7 at most.
      gpujs.add = check('W1', addGpuJs(h, a32, b32, o32), (o) => handAdd(a, b, o, N), 1e-6);
      // sin·cos: GLSL's sin/cos on float32 are looser than Math's (a few ulps, more on some drivers).
      gpujs.sincos = check(
        'W2',
        sinCosGpuJs(h, a32, b32, o32),
        (o) => handSinCos(a, b, o, N),
        1e-5,
      );
      gpujs.note = `gpu.js: float32 in and out (half the bytes), ${h.backend}`;
    } catch (e) {
      console.log(
        `(no plain gpu.js contender for W1, W2: ${String((e as Error).message).split('\n')[0]})`,
      );
    }
  }

  rows.push(
    run(
      'add',
      'W1 add 2×1e7 f64 (out given)',
      [
        { name: 'numbats', run: () => add(A, B, { out: C }) },
        { name: 'hand', run: () => handAdd(a, b, c, N) },
        { name: 'ndarray-ops', run: () => ops.add(C as never, A as never, B as never) },
        ...(gpujs.add ? [gpujs.add] : []),
      ],
      rounds,
      gpujs.add && gpujs.note,
    ),
  );
  rows.push(
    run(
      'addAlloc',
      'W1 add 2×1e7 f64 (allocating)',
      [
        { name: 'numbats', run: freeing(() => add(A, B)) },
        {
          name: 'hand',
          run: () => {
            const z = new Float64Array(N);
            handAdd(a, b, z, N);
          },
        },
      ],
      Math.max(3, rounds >> 1),
    ),
  );

  const sincos = vectorize((x: number, y: number) => Math.sin(x) * Math.cos(y));
  const tmp1 = nd(new Float64Array(N), [N]);
  const tmp2 = nd(new Float64Array(N), [N]);
  rows.push(
    run(
      'sincos',
      'W2 sin(a)·cos(b), 1e7',
      [
        { name: 'numbats', run: () => sincos(A, B, { out: C }) },
        { name: 'hand', run: () => handSinCos(a, b, c, N) },
        {
          name: 'ndarray-ops',
          run: () => {
            ops.sin(tmp1 as never, A as never);
            ops.cos(tmp2 as never, B as never);
            ops.mul(C as never, tmp1 as never, tmp2 as never);
          },
        },
        ...(gpujs.sincos ? [gpujs.sincos] : []),
      ],
      Math.max(3, rounds >> 1),
      `ndarray-ops: three passes (sin, cos, mul)${gpujs.sincos ? `; ${gpujs.note}` : ''}`,
    ),
  );

  // Generic 2-D loop with precomputed strides (the careful hand-written n-d loop).
  function hand2d(
    x: Float64Array,
    sx0: number,
    sx1: number,
    y: Float64Array,
    sy0: number,
    sy1: number,
    z: Float64Array,
    n0: number,
    n1: number,
  ) {
    for (let i = 0; i < n0; i++) {
      let px = i * sx0;
      let py = i * sy0;
      let pz = i * n1;
      for (let j = 0; j < n1; j++) {
        z[pz++] = x[px] + y[py];
        px += sx1;
        py += sy1;
      }
    }
  }
  const xcol = rand(2000);
  const yrow = rand(2000);
  const o2 = new Float64Array(2000 * 2000);
  const O2 = nd(o2, [2000, 2000]);
  const X = nd(xcol, [2000, 1]);
  const Y = nd(yrow, [1, 2000]);
  rows.push(
    run(
      'broadcast',
      'W3 (2000,1)+(1,2000)',
      [
        { name: 'numbats', run: () => add(X, Y, { out: O2 }) },
        { name: 'hand', run: () => hand2d(xcol, 1, 0, yrow, 0, 1, o2, 2000, 2000) },
        {
          name: 'ndarray-ops',
          run: () =>
            ops.add(
              O2 as never,
              ndarray(xcol, [2000, 2000], [1, 0]) as never,
              ndarray(yrow, [2000, 2000], [0, 1]) as never,
            ),
        },
      ],
      rounds,
    ),
  );
  const p = rand(2000 * 2000);
  const q = rand(2000 * 2000);
  const P = nd(p, [2000, 2000]);
  const Q = nd(q, [2000, 2000]);
  const PT = P.transpose(1, 0) as unknown as NdArray;
  rows.push(
    run(
      'transposed',
      'W4 a.T + b, 2000²',
      [
        { name: 'numbats', run: () => add(PT, Q, { out: O2 }) },
        { name: 'hand', run: () => hand2d(p, 1, 2000, q, 2000, 1, o2, 2000, 2000) },
        { name: 'ndarray-ops', run: () => ops.add(O2 as never, PT as never, Q as never) },
      ],
      rounds,
    ),
  );

  const M = 4000;
  const m = rand(M * M);
  const Mm = nd(m, [M, M]);
  const o1 = new Float64Array(M);
  const O1 = nd(o1, [M]);
  rows.push(
    run(
      'sum0',
      'W5 sum axis 0, 4000²',
      [
        { name: 'numbats', run: () => add.reduce(Mm, { axis: 0, out: O1 }) },
        { name: 'hand', run: () => handSum0(m, o1, M, M) },
      ],
      rounds,
    ),
  );
  rows.push(
    run(
      'sum1',
      'W5 sum axis 1, 4000²',
      [
        { name: 'numbats', run: () => add.reduce(Mm, { axis: 1, out: O1 }) },
        { name: 'hand', run: () => handSum1(m, o1, M, M) },
      ],
      rounds,
    ),
  );
  rows.push(
    run(
      'sumall',
      'W5 sum all, 4000²',
      [
        { name: 'numbats', run: () => add.reduce(Mm, { axis: null }) },
        { name: 'hand', run: () => handSumAll(m, M * M) },
        { name: 'ndarray-ops', run: () => ops.sum(Mm as never) },
      ],
      rounds,
    ),
  );
  const om = new Float64Array(M * M);
  const OM = nd(om, [M, M]);
  rows.push(
    run(
      'cumsum1',
      'W6 cumsum axis 1, 4000²',
      [
        { name: 'numbats', run: () => add.accumulate(Mm, { axis: 1, out: OM }) },
        { name: 'hand', run: () => handCumsum1(m, om, M, M) },
      ],
      rounds,
    ),
  );

  const d = rand(N);
  const e = rand(N);
  const D = nd(d, [N]);
  const E = nd(e, [N]);
  const five = vectorize(
    (a1: number, b1: number, c1: number, d1: number, e1: number) => a1 * b1 + c1 * d1 - e1,
  );
  const cIn = rand(N);
  const CIn = nd(cIn, [N]);
  rows.push(
    run(
      'fiveinput',
      'W10 a·b+c·d−e, 1e7 (one ufunc)',
      [
        { name: 'numbats', run: () => five(A, B, CIn, D, E, { out: C }) },
        { name: 'hand', run: () => handFive(a, b, cIn, d, e, c, N) },
      ],
      rounds,
    ),
  );

  // First call of a fresh ufunc (parse, type inference, code generation, compile, run).
  const s1 = nd(rand(1000), [1000]);
  const s2 = nd(rand(1000), [1000]);
  const firsts: number[] = [];
  const hands: number[] = [];
  for (let r = 0; r < 15; r++) {
    const src = `(a, b) => a + b * ${r + 1}`;
    const fn = new Function(`return ${src}`)() as (a: number, b: number) => number;
    const t0 = performance.now();
    const f = vectorize(fn);
    f(s1, s2);
    firsts.push(performance.now() - t0);
    const t1 = performance.now();
    const z = new Float64Array(1000);
    for (let i = 0; i < 1000; i++) z[i] = s1.data[i] + s2.data[i] * (r + 1);
    hands.push(performance.now() - t1);
  }
  firsts.sort((x, y) => x - y);
  hands.sort((x, y) => x - y);
  const firstRow: Row = {
    key: 'first',
    workload: 'first call, fresh ufunc, 1000 elements',
    numbats: firsts[7],
    hand: hands[7],
  };
  console.log(
    `${firstRow.workload.padEnd(34)} numbats ${firstRow.numbats.toFixed(3)} ms (target < 2 ms)`,
  );
  rows.push(firstRow);

  // A call on 16-element arrays (per-call overhead).
  const t16a = nd(rand(16), [16]);
  const t16b = nd(rand(16), [16]);
  const t16o = nd(new Float64Array(16), [16]);
  const ta = t16a.data as Float64Array;
  const tb = t16b.data as Float64Array;
  const to = t16o.data as Float64Array;
  const small = sideBySide(
    [
      { name: 'numbats', run: () => add(t16a, t16b, { out: t16o }) },
      { name: 'hand', run: () => handAdd(ta, tb, to, 16) },
      { name: 'ndarray-ops', run: () => ops.add(t16o as never, t16a as never, t16b as never) },
    ],
    15,
    3,
    20000,
  );
  const smallRow: Row = {
    key: 'small',
    workload: 'call on 16-element arrays',
    numbats: small[0].medianMs,
    hand: small[1].medianMs,
    ndarrayOps: small[2].medianMs,
  };
  console.log(
    `${smallRow.workload.padEnd(34)} numbats ${(smallRow.numbats * 1000).toFixed(2)} µs | hand ${(smallRow.hand * 1000).toFixed(3)} µs | ndarray-ops ${(smallRow.ndarrayOps! * 1000).toFixed(2)} µs (target < 2 µs)`,
  );
  smallRow.unit = 'µs';
  rows.push(smallRow);
  console.log('running the NumPy side (numpy_bench.py)…');
  const np = runPython(new URL('./numpy_bench.py', import.meta.url), [String(rounds)]);
  if (np) for (const r of rows) if (np[r.key] !== undefined) r.python = { NumPy: np[r.key] };
  return rows;
}
