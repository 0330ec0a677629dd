/**
 * Reductions on wasm: in order (bit for bit the JS loop) for every ufunc, and with several
 * SIMD accumulators along the inner loop for reorderable ones, whose order is documented
 * (src/targets/wasm/map.ts) and restated here as a reference.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configureHeap, type DType, type NdArray, vectorize, zeros } from '../../../src/index.js';
import { lastPathOfAnyCall, wasmConfig } from '../../../src/targets/wasm/map.js';
import { axesArb, ndarrayArb } from '../../../src/testing/index.js';
import { runs } from '../../support.js';
import { expectSameBits, onHeapCopy } from './helpers.js';

let saved: ReturnType<typeof configureHeap>;
let savedMin = 0;
beforeAll(() => {
  saved = configureHeap();
  savedMin = wasmConfig.minElements;
  configureHeap({ enabled: true, minBytes: 0 });
  wasmConfig.minElements = 0;
});
afterAll(() => {
  configureHeap({ enabled: saved.enabled, minBytes: saved.minBytes });
  wasmConfig.minElements = savedMin;
  wasmConfig.enabled = true;
});

/** Runs `f` on the JS loops and on wasm (an exception becomes its message). */
function both<T>(f: () => T): [T | string, T | string, string] {
  const attempt = () => {
    try {
      return f();
    } catch (e) {
      return `threw ${(e as Error).message}`;
    }
  };
  wasmConfig.enabled = false;
  const js = attempt();
  wasmConfig.enabled = true;
  const w = attempt();
  return [js, w, lastPathOfAnyCall()];
}

function expectSame(w: unknown, js: unknown, what: string): void {
  if (typeof js === 'string' || typeof js === 'number') expect(Object.is(w, js), what).toBe(true);
  else expectSameBits(w as NdArray, js as NdArray, what);
}

const INT_TYPES: DType[] = ['int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'bool'];

describe('reductions on wasm', () => {
  const sum = vectorize((a: number, b: number) => a + b, { identity: 0, name: 'sum' });
  const prod = vectorize((a: number, b: number) => a * b, { identity: 1, name: 'prod' });
  const max = vectorize((a: number, b: number) => Math.max(a, b), {
    identity: 'reorderable',
    name: 'max',
  });
  const inOrder = vectorize((a: number, b: number) => a + b, { name: 'inorder' });

  it('order-free reductions (integer wrap, max) equal the JS loop bit for bit, any axes and views', () => {
    fc.assert(
      fc.property(
        ndarrayArb({
          dtype: [...INT_TYPES, 'float64', 'float32'],
          maxDims: 3,
          maxSide: 40,
          special: true,
        }).chain((a) =>
          fc.tuple(fc.constant(a), axesArb(a.shape.length), fc.constantFrom(sum, prod, max)),
        ),
        ([a, axes, u]) => {
          const isFloat = a.data instanceof Float64Array || a.data instanceof Float32Array;
          if (isFloat && u !== max) return; // float sums depend on the order: below
          const x = onHeapCopy(a);
          const [js, w] = both(() => u.reduce(x, { axis: axes }) as NdArray | number);
          expectSame(w, js, 'reduce');
        },
      ),
      runs(80),
    );
  });

  it('a non-reorderable ufunc reduces in order, bit for bit the JS loop, floats included', () => {
    fc.assert(
      fc.property(
        ndarrayArb({ dtype: ['float64', 'float32'], maxDims: 2, maxSide: 60, special: true }),
        (a) => {
          const x = onHeapCopy(a);
          for (let axis = 0; axis < a.shape.length; axis++) {
            const [js, w] = both(() => inOrder.reduce(x, { axis }) as NdArray | number);
            expectSame(w, js, `axis ${axis}`);
          }
        },
      ),
      runs(60),
    );
  });

  /** The documented order of a SIMD row reduction of `xs` into `acc` (L lanes, 4 vectors). */
  function rowRef(acc: number, xs: number[], lanes: number, f: (a: number, b: number) => number) {
    const block = 4 * lanes;
    let i = 0;
    if (xs.length >= block) {
      const accs = Array.from({ length: 4 }, (_, a) => xs.slice(a * lanes, (a + 1) * lanes));
      i = block;
      while (xs.length - i >= block) {
        for (let a = 0; a < 4; a++)
          for (let l = 0; l < lanes; l++) accs[a][l] = f(accs[a][l], xs[i + a * lanes + l]);
        i += block;
      }
      const pair = (u: number[], v: number[]) => u.map((x, l) => f(x, v[l]));
      let v = pair(pair(accs[0], accs[1]), pair(accs[2], accs[3]));
      while (v.length > 1) v = v.filter((_, l) => l % 2 === 0).map((x, j) => f(x, v[2 * j + 1]));
      acc = f(acc, v[0]);
    }
    for (; i < xs.length; i++) acc = f(acc, xs[i]);
    return acc;
  }

  it('float sums along the inner axis use four SIMD accumulators, in the documented order', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<DType>('float64', 'float32'),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 90 }),
        fc.integer({ min: 0, max: 2 ** 30 }),
        (t, rows, n, seed) => {
          const a = zeros([rows, n], t);
          let s = seed;
          for (let i = 0; i < a.data.length; i++) {
            s = (Math.imul(s, 1103515245) + 12345) | 0;
            a.data[i] = (s % 100000) / 977 + (i % 3 === 0 ? 1e8 : 0);
          }
          const x = onHeapCopy(a);
          const r = sum.reduce(x, { axis: 1 }) as NdArray;
          expect(lastPathOfAnyCall()).toMatch(n > 20 ? /^wasm: SIMD/ : /^wasm/);
          const f =
            t === 'float32'
              ? (p: number, q: number) => Math.fround(p + q)
              : (p: number, q: number) => p + q;
          const lanes = t === 'float64' ? 2 : 4;
          for (let i = 0; i < rows; i++) {
            const row = Array.from(a.data.slice(i * n, (i + 1) * n));
            // The identity (0) is the initial value, then the whole row.
            const want = rowRef(0, row, lanes, f);
            expect(Object.is(r.get(i), want), `row ${i}: ${r.get(i)} vs ${want}`).toBe(true);
          }
        },
      ),
      runs(80),
    );
  });

  it('sums over axis 0 of a C array run SIMD across the row, in order down each column', () => {
    const a = zeros([50, 33]);
    for (let i = 0; i < a.data.length; i++) a.data[i] = 1 / (i + 1);
    const x = onHeapCopy(a);
    const [js, w, path] = both(() => sum.reduce(x, { axis: 0 }) as NdArray);
    expect(path).toMatch(/^wasm: SIMD f64x2/);
    expectSame(w, js, 'axis 0');
  });
});

describe('small operands off the heap', () => {
  it('a reduction into a small result off the heap copies it in and back', () => {
    const sum = vectorize((a: number, b: number) => a + b, { identity: 0, name: 'small' });
    const before = configureHeap().minBytes;
    configureHeap({ minBytes: 4096 });
    try {
      const m = onHeapCopy(zeros([100, 100], 'int32'));
      for (let i = 0; i < m.data.length; i++) m.data[i] = i * 7919;
      const [js, w, path] = both(() => sum.reduce(m, { axis: null }) as number);
      expect(path).toMatch(/^wasm: SIMD i32x4/);
      expect(w).toBe(js);
      const [js1, w1, path1] = both(() => sum.reduce(m, { axis: 1 }) as NdArray);
      expect(path1).toMatch(/^wasm: SIMD i32x4/);
      expectSame(w1, js1, 'axis 1');
      const [js2, w2] = both(
        () => sum.reduce(m, { axis: 0, out: zeros([100], 'int32') }) as NdArray,
      );
      expectSame(w2, js2, 'axis 0 out');
    } finally {
      configureHeap({ minBytes: before });
    }
  });
});

describe('accumulate on wasm', () => {
  const cum = vectorize((a: number, b: number) => a + b, { identity: 0, name: 'cum' });
  const cmax = vectorize((a: number, b: number) => (b > a ? b : a * 0.5), { name: 'cmax' });

  it('scans in order, bit for bit the JS loop, on every dtype, axis and view', () => {
    fc.assert(
      fc.property(
        ndarrayArb({ maxDims: 3, maxSide: 12, special: true }).chain((a) =>
          fc.tuple(
            fc.constant(a),
            fc.integer({ min: 0, max: Math.max(0, a.shape.length - 1) }),
            fc.constantFrom(cum, cmax),
          ),
        ),
        ([a, axis, u]) => {
          if (a.shape.length === 0) return;
          const x = onHeapCopy(a);
          const [js, w, path] = both(() => u.accumulate(x, { axis }) as NdArray);
          expectSame(w, js, 'accumulate');
          if (
            typeof js !== 'string' &&
            a.shape[axis] > 1 &&
            a.shape.every((d) => d > 0) &&
            !(a.data instanceof Uint8ClampedArray)
          )
            expect(path).toMatch(/^wasm: scalar/);
        },
      ),
      runs(80),
    );
  });
});
