/**
 * Reductions on wasm: in order (bit for bit the JS loop) for every ufunc, and with several
 * SIMD accumulators along the inner loop for reorderable integer ones (the order is free
 * there). Float runs of reorderable ufuncs are reduced pairwise: pairwise.test.ts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  configureHeap,
  type DType,
  type NdArray,
  type TypedArray,
  vectorize,
  zeros,
} from '../../../src/index.js';
import { axesArb, ndarrayArb } from '../../../src/testing/index.js';
import { runs } from '../../support.js';
import { both, expectSame, onHeapCopy, useWasmForEveryCall } from './helpers.js';

useWasmForEveryCall();

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

  it('sums over axis 0 of a C array run SIMD across the row, in order down each column', () => {
    const a = zeros([50, 33]);
    for (let i = 0; i < a.data.length; i++) a.data[i] = 1 / (i + 1);
    const x = onHeapCopy(a);
    const [js, w, path] = both(() => sum.reduce(x, { axis: 0 }) as NdArray);
    expect(path).toMatch(/^wasm: SIMD f64x2/);
    expectSame(w, js, 'axis 0');
  });
});

describe('rows accumulated into one output row (axis 0 of a C array)', () => {
  const SIMD_TYPES: DType[] = ['float64', 'float32', 'int32', 'uint32', 'int16', 'uint8', 'int8'];
  const sum = vectorize((a: number, b: number) => a + b, { identity: 0, name: 'rsum' });
  const inOrder = vectorize((a: number, b: number) => a + b, { name: 'rinorder' });
  // Not symmetric and not associative: any change of order or argument shows in the bits.
  const skew = vectorize((a: number, b: number) => a * 0.75 + b, { name: 'rskew' });

  it('fold blocks of rows into each output vector in row order, bit for bit the JS loop', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SIMD_TYPES),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 0, max: 37 }),
        fc.integer({ min: 1, max: 3 }),
        fc.constantFrom(sum, inOrder, skew),
        fc.boolean(),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        (dtype, rows, cols, depth, u, withInitial, seed) => {
          const a = zeros([rows, depth, cols], dtype);
          let s = seed;
          for (let i = 0; i < a.data.length; i++) {
            s = (Math.imul(s, 1103515245) + 12345) >>> 0;
            const v = (s / 2 ** 32 - 0.5) * 2 ** ((s & 31) - 8);
            (a.data as TypedArray)[i] = dtype.startsWith('float') ? v : s >>> 24;
          }
          const x = onHeapCopy(a);
          const opts = withInitial ? { axis: 0, initial: 3 } : { axis: 0 };
          const [js, w, path] = both(() => u.reduce(x, opts) as NdArray);
          expectSame(w, js, `${dtype} ${rows}×${depth}×${cols}`);
          if (rows >= 9 && cols >= 16 && (u !== skew || dtype.startsWith('float')))
            expect(path).toMatch(/^wasm: SIMD/);
          // Axes (0, 1) of a reorderable ufunc: rows of a merged leading dim.
          if (u === sum) {
            const [js2, w2] = both(() => u.reduce(x, { axis: [0, 1] }) as NdArray);
            expectSame(w2, js2, 'axes 0, 1');
          }
        },
      ),
      runs(80),
    );
  });

  it('give NumPy’s column sums: in order down each column, from the identity', () => {
    // np.add.reduce(a, axis=0) of this array, computed by NumPy 2.4 (a sum in row order).
    const a = zeros([20, 3]);
    for (let i = 0; i < 20; i++)
      for (let j = 0; j < 3; j++)
        a.data[i * 3 + j] = (i % 2 ? -1 : 1) * 10 ** (((i * 7 + j) % 17) - 8);
    const x = onHeapCopy(a);
    const [js, w] = both(() => sum.reduce(x, { axis: 0 }) as NdArray);
    expectSame(w, js, 'axis 0');
    const col = (j: number) => {
      let t = 0;
      for (let i = 0; i < 20; i++) t += a.data[i * 3 + j];
      return t;
    };
    for (let j = 0; j < 3; j++) expect(Object.is((w as NdArray).get(j), col(j))).toBe(true);
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
