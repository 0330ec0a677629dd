/**
 * The `parallel` target on WebAssembly: with every operand on the numbats heap, the workers
 * run the wasm loop modules on the shared memory. Calls, reductions and scans equal the
 * `cpu` target bit for bit, on its JS loops and on its wasm loops, over dtypes, views,
 * broadcasting and worker counts; `inspect()` names the path, and the reason when the JS
 * worker loops run instead.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { view } from '../../../src/core/array.js';
import {
  closePool,
  configureHeap,
  type DType,
  type NdArray,
  parallelStatus,
  setParallelOptions,
  zeros,
} from '../../../src/index.js';
import { lastPathOfAnyCall } from '../../../src/targets/wasm/map.js';
import { axesArb, axisArb, broadcastArraysArb, ndarrayArb } from '../../../src/testing/index.js';
import { runs } from '../../support.js';
import { expectSame, onHeapCopy, useWasmForEveryCall } from '../wasm/helpers.js';
import { type Pair, pair } from './helpers.js';
import { threeWays } from './wasm-helpers.js';

useWasmForEveryCall();
beforeAll(() => setParallelOptions({ workers: 3, threshold: 0 }));
afterAll(() => {
  setParallelOptions({ threshold: 65536 });
  closePool();
});

const ON_WASM = /^wasm on \d+ worker\(s\)/;
const DTYPES: DType[] = ['float64', 'float32', 'int32', 'uint32', 'int16', 'uint8', 'int8', 'bool'];

const ADD = pair('add', (a, b) => a + b, { identity: 0 });
const MAX = pair('max', (a, b) => Math.max(a, b), { identity: 'reorderable' });
const ELEMENTWISE: Pair[] = [
  ADD,
  pair('sub', (a, b) => a - b),
  pair('mul', (a, b) => a * b, { identity: 1 }),
  MAX,
  pair('expsin', (a, b) => Math.exp(a) * Math.sin(b)),
  pair('select', (a, b) => (a > b ? a - b : b * 2)),
  pair('loop', (a, b) => {
    let s = 0;
    for (let i = 0; i < 3; i++) s += a > b ? a - i : b * i;
    return s;
  }),
  pair('mod', (a, b) => (Number.isNaN(a) ? 0 : a % (b + 1))),
];
const REDUCERS: Pair[] = [
  ADD,
  pair('prod', (a, b) => a * b, { identity: 1 }),
  MAX,
  pair('inorder', (a, b) => a + b),
];
for (const p of new Set([...ELEMENTWISE, ...REDUCERS]))
  Object.defineProperty(p, fc.toStringMethod, { value: () => p.name });

describe('parallel target on wasm equals cpu bit for bit', () => {
  it('calls over random dtypes, views and broadcasting', () => {
    let onWasm = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...ELEMENTWISE),
        broadcastArraysArb(2, { dtype: DTYPES, maxDims: 3, maxSide: 7, special: true }),
        (p, [a, b]) => {
          const [x, y] = [onHeapCopy(a), onHeapCopy(b)];
          const path = threeWays(p, (u) => u(x, y), p.name);
          if (ON_WASM.test(path)) onWasm++;
        },
      ),
      runs(120),
    );
    expect(onWasm).toBeGreaterThan(30);
  });

  it('reductions over random axes (pairwise float sums, SIMD integer sums, in-order folds)', () => {
    let onWasm = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...REDUCERS),
        ndarrayArb({ dtype: DTYPES, minDims: 1, maxDims: 3, maxSide: 24, special: true }).chain(
          (a) => fc.tuple(fc.constant(a), axesArb(a.shape.length)),
        ),
        (p, [a, axis]) => {
          const x = onHeapCopy(a);
          // Over every axis of a float array of several dims, the workers' partials regroup
          // the sum unless the dims merge into one run (README: parallel, reductions).
          const nd = a.shape.length;
          const reduced = new Set(
            (axis === null ? a.shape.map((_, i) => i) : [axis].flat()).map((x) => (x + nd) % nd),
          );
          const kept = a.shape.filter((n, i) => !reduced.has(i) && n > 1).length;
          const long = a.shape.filter((n) => n > 1).length;
          const float = a.data instanceof Float64Array || a.data instanceof Float32Array;
          const exact = !(float && kept === 0 && long > 1);
          const path = threeWays(
            p,
            (u) => u.reduce(x, { axis }),
            `${p.name}.reduce ${axis}`,
            exact,
          );
          if (ON_WASM.test(path)) onWasm++;
        },
      ),
      runs(80),
    );
    expect(onWasm).toBeGreaterThan(20);
  });

  it('scans along any axis', () => {
    let onWasm = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(ADD, MAX, REDUCERS[3]),
        ndarrayArb({ dtype: DTYPES, minDims: 1, maxDims: 3, maxSide: 12, special: true }).chain(
          (a) => fc.tuple(fc.constant(a), axisArb(a.shape.length)),
        ),
        (p, [a, axis]) => {
          const x = onHeapCopy(a);
          const path = threeWays(
            p,
            (u) => u.accumulate(x, { axis }),
            `${p.name}.accumulate ${axis}`,
          );
          if (ON_WASM.test(path)) onWasm++;
        },
      ),
      runs(60),
    );
    expect(onWasm).toBeGreaterThan(10);
  });

  it('long sums cut at the pairwise tree, for any number of workers', () => {
    const n = 100_003;
    const a = zeros([n]);
    const b = zeros([n], 'float32');
    for (let i = 0; i < n; i++) a.data[i] = b.data[i] = Math.sin(i) * 1e3 + 1 / (i + 1);
    const m = view(a.data as Float64Array, [317, 313], [313, 1], 0) as NdArray;
    try {
      for (const workers of [1, 2, 3, 5]) {
        setParallelOptions({ workers });
        for (const x of [a, b]) {
          const path = threeWays(ADD, (u) => u.reduce(x, { axis: null }), `sum, ${workers}`);
          expect(path).toMatch(
            /^wasm on \d+ worker\(s\), \d+ chunk\(s\): SIMD f(64x2|32x4) pairwise/,
          );
        }
        for (const axis of [0, 1, null])
          threeWays(ADD, (u) => u.reduce(m, { axis }), `2-d sum axis ${axis}, ${workers}`);
        threeWays(ADD, (u) => u.accumulate(m, { axis: 0 }), `2-d cumsum, ${workers}`);
      }
    } finally {
      setParallelOptions({ workers: 3 });
    }
  });

  it('kernels importing JS functions (Math, %, **) and raising errors in a worker', () => {
    const pow = pair('pow', (a, b) => a ** b);
    const big = zeros([5000], 'int32');
    for (let i = 0; i < big.data.length; i++) big.data[i] = (i % 11) - 3;
    const two = zeros([5000], 'int32');
    two.data.fill(2);
    // NumPy's ValueError for an integer to a negative power, raised inside a worker.
    threeWays(pow, (u) => u(two, big), 'int ** with negatives');
    big.data[3] = 4;
    const f = zeros([5000]);
    for (let i = 0; i < f.data.length; i++) f.data[i] = i / 100 - 20;
    expect(threeWays(pow, (u) => u(f, f), 'float **')).toMatch(ON_WASM);
    expect(threeWays(ELEMENTWISE[4], (u) => u(f, f), 'exp*sin')).toMatch(ON_WASM);
    expect(threeWays(ELEMENTWISE[7], (u) => u(f, f), 'isNaN, %')).toMatch(ON_WASM);
  });

  it('.async calls run on wasm too', async () => {
    const a = onHeapCopy(zeros([4000]));
    for (let i = 0; i < a.data.length; i++) a.data[i] = i * 0.25;
    const got = (await ADD.par.async(a, a)) as NdArray;
    expect(lastPathOfAnyCall()).toMatch(ON_WASM);
    expectSame(got, ADD.cpu(a, a), 'async add');
  });
});

describe('parallel target on wasm: small operands off the heap', () => {
  it('are copied onto it for the call, and small results copied back (sync and async)', async () => {
    const before = configureHeap().minBytes;
    configureHeap({ minBytes: 4096 });
    try {
      const m = zeros([50, 2000]);
      for (let i = 0; i < m.data.length; i++) m.data[i] = Math.sin(i) / 3;
      // The 50-element result (400 bytes) goes on an ordinary buffer.
      const path = threeWays(ADD, (u) => u.reduce(m, { axis: 1 }), 'row sums');
      expect(path).toMatch(ON_WASM);
      // A broadcast scalar operand (0-d, off the heap) too.
      expect(threeWays(ADD, (u) => u(m, 0.5), 'plus a scalar')).toMatch(ON_WASM);
      // An .async call with small inputs off the heap runs on wasm; one whose output is off
      // the heap runs the JS worker loops, which write back only the elements it changed
      // (other calls and the caller may be writing that buffer meanwhile).
      const row = zeros([50]);
      for (let i = 0; i < 50; i++) row.data[i] = i / 7;
      const big = (await ADD.par.async(m, 0.25)) as NdArray;
      expect(lastPathOfAnyCall()).toMatch(ON_WASM);
      expectSame(big, ADD.cpu(m, 0.25), 'async, scalar off the heap');
      const got = (await ADD.par.async(row, 0.25)) as NdArray;
      expect(lastPathOfAnyCall()).toBe(
        "js on the workers: an .async call's output 0 is outside the numbats heap",
      );
      expectSame(got, ADD.cpu(row, 0.25), 'async small output');
    } finally {
      configureHeap({ minBytes: before });
    }
  });
});

describe('parallel target on wasm: the path, in inspect() and parallelStatus()', () => {
  it('names the wasm path, and why the JS worker loops ran otherwise', () => {
    const p = pair('inspected', (a, b) => a * b + 1);
    const x = zeros([5000]);
    x.data.fill(1.5);
    const jobs = parallelStatus().jobs;
    p.par(x, x);
    expect(parallelStatus().jobs).toBe(jobs + 1);
    expect(p.par.inspect('float64,float64->float64')).toMatch(
      /last call on \d+\+ elements: wasm on 3 worker\(s\), \d+ chunk\(s\): SIMD f64x2 loop/,
    );
    expect(parallelStatus().lastCall?.engine).toBe(lastPathOfAnyCall());
    // A large operand off the heap: the JS worker loops, and why.
    const plain = view(new Float64Array(5000), [5000], [1], 0) as NdArray;
    expectSame(p.par(plain, x), p.cpu(plain, x), 'off the heap');
    expect(p.par.inspect('float64,float64->float64')).toMatch(
      /js on the workers: operand 0 is a 5000-element array outside the numbats heap/,
    );
    expect(parallelStatus().lastCall?.engine).toBe(
      'js on the workers: operand 0 is a 5000-element array outside the numbats heap',
    );
    // A dtype the wasm engine does not lower.
    const c = zeros([5000], 'uint8_clamped');
    const expected = p.cpu(c, c);
    expectSame(p.par(c, c), expected, 'uint8_clamped');
    expect(lastPathOfAnyCall()).toBe('js on the workers: uint8_clamped arrays');
  });
});
