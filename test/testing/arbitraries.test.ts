import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { INFO } from '../../src/core/dtypes.js';
import { BoolArray, DTYPES, dtypeOf, type NdArray, type TypedArray } from '../../src/index.js';
import {
  allIndices,
  axesArb,
  axisArb,
  broadcastArraysArb,
  broadcastShapeOf,
  broadcastShapesArb,
  castTo,
  describeArray,
  dtypeArb,
  elementOffset,
  ndarrayArb,
  reduceatIndicesArb,
  shapeArb,
  shapeSize,
  valueArb,
} from '../../src/testing/index.js';
import { runs } from '../support.js';

const sample = <T>(arb: fc.Arbitrary<T>, n = 400) => fc.sample(arb, { numRuns: n, seed: 42 });

describe('dtypeArb', () => {
  it('yields every dtype, and honours only/exclude', () => {
    expect(new Set(sample(dtypeArb()))).toEqual(new Set(DTYPES));
    expect(new Set(sample(dtypeArb({ only: ['int8', 'bool'] })))).toEqual(
      new Set(['int8', 'bool']),
    );
    expect(sample(dtypeArb({ exclude: ['bool'] }))).not.toContain('bool');
    expect(() => dtypeArb({ only: ['int8'], exclude: ['int8'] })).toThrow(RangeError);
  });
});

describe('shapeArb', () => {
  it('stays within its bounds and includes 0-d, size-0 and size-1 dims', () => {
    const shapes = sample(shapeArb({ maxDims: 3, maxSide: 4 }));
    for (const s of shapes) {
      expect(s.length).toBeLessThanOrEqual(3);
      for (const d of s) expect(d >= 0 && d <= 4).toBe(true);
    }
    expect(shapes.some((s) => s.length === 0)).toBe(true);
    expect(shapes.some((s) => s.includes(0))).toBe(true);
    expect(shapes.some((s) => s.includes(1))).toBe(true);
    expect(shapes.some((s) => s.length === 3 && s.every((d) => d > 1))).toBe(true);
    for (const s of sample(shapeArb({ minDims: 2, maxDims: 2, minSide: 1, maxSide: 2 }))) {
      expect(s).toHaveLength(2);
      expect(s.every((d) => d === 1 || d === 2)).toBe(true);
    }
  });
});

describe('valueArb', () => {
  it('gives values of the dtype (unchanged by a store), in range', () => {
    fc.assert(
      fc.property(
        dtypeArb().chain((t) => fc.tuple(fc.constant(t), valueArb(t, { special: true }))),
        ([t, v]) => {
          expect(Object.is(castTo(t, v), v) || Number.isNaN(v)).toBe(true);
          if (INFO[t].kind !== 'f') expect(v >= INFO[t].min && v <= INFO[t].max).toBe(true);
        },
      ),
      runs(500),
    );
  });

  it('includes extremes, fractions, negatives and (on request) NaN, ±Infinity, -0', () => {
    const ints = sample(valueArb('int32'));
    expect(ints).toContain(-2147483648);
    expect(ints).toContain(2147483647);
    const floats = sample(valueArb('float64', { special: true }), 1000);
    expect(floats.some(Number.isNaN)).toBe(true);
    expect(floats).toContain(Number.POSITIVE_INFINITY);
    expect(floats).toContain(Number.NEGATIVE_INFINITY);
    expect(floats.some((v) => Object.is(v, -0))).toBe(true);
    expect(floats.some((v) => v < 0 && !Number.isInteger(v))).toBe(true);
    const plain = sample(valueArb('float32'), 1000);
    expect(plain.some((v) => !Number.isFinite(v) || Object.is(v, -0))).toBe(false);
    expect(plain.some((v) => v % 1 === 0.5 || v % 1 === -0.5)).toBe(true);
    for (const v of sample(valueArb('int16', { small: true }))) {
      expect(Number.isInteger(v) && Math.abs(v) <= 8).toBe(true);
    }
    expect(new Set(sample(valueArb('bool')))).toEqual(new Set([0, 1]));
    expect(new Set(sample(valueArb('uint8', { values: fc.constant(300) })))).toEqual(new Set([44]));
  });
});

/** Buffer positions of every element of a view. */
const positions = (a: NdArray) => allIndices(a.shape).map((i) => elementOffset(a, i));

describe('ndarrayArb', () => {
  it('makes in-bounds views of the requested dtype and shape, with dtype-valid values', () => {
    fc.assert(
      fc.property(
        fc
          .tuple(dtypeArb(), shapeArb({ maxDims: 4 }))
          .chain(([t, s]) =>
            fc.tuple(fc.constant(t), fc.constant(s), ndarrayArb({ dtype: t, shape: s })),
          ),
        ([t, s, a]) => {
          expect(dtypeOf(a)).toBe(t);
          expect(a.shape).toEqual(s);
          expect(a.stride).toHaveLength(s.length);
          const data = a.data as TypedArray;
          if (t === 'bool') expect(data).toBeInstanceOf(BoolArray);
          for (const p of positions(a)) {
            expect(p >= 0 && p < data.length).toBe(true);
            if (t === 'bool') expect(data[p] === 0 || data[p] === 1).toBe(true);
          }
        },
      ),
      runs(300),
    );
  });

  it('produces every kind of view: transposed, stepped, reversed, broadcast, offset', () => {
    const arrays = sample(ndarrayArb({ minDims: 2, maxDims: 3, minSide: 2 }), 300);
    const has = (p: (a: NdArray) => boolean) => arrays.some(p);
    expect(has((a) => a.stride.some((s) => s < 0))).toBe(true);
    expect(has((a) => a.stride.some((s) => s === 0))).toBe(true);
    expect(has((a) => a.offset > 0)).toBe(true);
    // Transposed: strides not decreasing from the first dim to the last.
    expect(
      has((a) => Math.abs(a.stride[0]) > 0 && Math.abs(a.stride[0]) < Math.abs(a.stride[1])),
    ).toBe(true);
    // Step slices: the innermost element step is more than one.
    expect(has((a) => a.stride.every((s) => Math.abs(s) !== 1))).toBe(true);
    const plain = sample(ndarrayArb({ minDims: 1, views: false }), 100);
    for (const a of plain) {
      expect(a.offset).toBe(0);
      expect(a.stride[a.stride.length - 1]).toBe(1);
    }
  });

  it('gives writable arrays distinct memory for every element', () => {
    fc.assert(
      fc.property(ndarrayArb({ writable: true, maxDims: 3 }), (a) => {
        const p = positions(a);
        expect(new Set(p).size).toBe(p.length);
      }),
      runs(200),
    );
  });

  it('respects the view options', () => {
    for (const a of sample(
      ndarrayArb({ minDims: 1, views: { negative: false, broadcast: false } }),
      200,
    )) {
      // (a size-0 array has no elements, so its strides are irrelevant)
      if (shapeSize(a.shape) > 0)
        expect(a.stride.every((s, i) => s > 0 || a.shape[i] <= 1)).toBe(true);
    }
  });

  it('with clone: true, gives every run a fresh copy so a test may write into it', () => {
    // A failing property is re-run on the same counterexample while shrinking: each run
    // must start from the generated values, not from what the previous run wrote.
    const result = fc.check(
      fc.property(
        ndarrayArb({ dtype: 'int32', shape: [3], values: fc.constant(1), clone: true }),
        (a) => {
          if ((a.data as Int32Array).some((v) => v === 7))
            throw new Error('reused a written array');
          (a.data as Int32Array).fill(7);
          return false;
        },
      ),
      { numRuns: 3, seed: 1 },
    );
    expect(result.failed).toBe(true);
    expect(String(result.errorInstance ?? '')).not.toMatch(/reused/);
    const [a] = sample(ndarrayArb({ dtype: 'int32', shape: [3], clone: true }), 1);
    const c = (a as unknown as { [fc.cloneMethod]: () => NdArray })[fc.cloneMethod]();
    expect(fc.hasCloneMethod(a)).toBe(true);
    expect(c.data).not.toBe(a.data);
    expect(c.stride).toEqual(a.stride);
    expect(c.offset).toBe(a.offset);
    expect(Array.from(c.data as Int32Array)).toEqual(Array.from(a.data as Int32Array));
    expect(fc.stringify(a)).toBe(describeArray(a));
    const [plain] = sample(ndarrayArb({ shape: [2] }), 1);
    expect(fc.hasCloneMethod(plain)).toBe(false);
  });

  it('describes arrays readably', () => {
    const [a] = sample(
      ndarrayArb({ dtype: 'int8', shape: [2, 2], views: false, values: fc.constant(-1) }),
      1,
    );
    expect(describeArray(a)).toBe('int8[2,2] stride=[2,1] offset=0 [[-1,-1],[-1,-1]]');
  });
});

describe('broadcastShapesArb / broadcastArraysArb', () => {
  it('always gives shapes that broadcast together', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }).chain((n) => broadcastShapesArb(n)),
        (shapes) => {
          expect(broadcastShapeOf(shapes)).not.toBeNull();
        },
      ),
      runs(300),
    );
    const tuples = sample(broadcastShapesArb(2, { minDims: 2 }));
    expect(tuples.some(([a, b]) => a.length !== b.length)).toBe(true);
    expect(
      tuples.some(([a, b]) => a.some((d, i) => d === 1 && b[b.length - a.length + i] > 1)),
    ).toBe(true);
  });

  it('makes arrays with those shapes and per-array dtypes', () => {
    fc.assert(
      fc.property(broadcastArraysArb(3, { dtypes: ['int8', 'float32', undefined] }), (arrays) => {
        expect(arrays).toHaveLength(3);
        expect(dtypeOf(arrays[0])).toBe('int8');
        expect(dtypeOf(arrays[1])).toBe('float32');
        expect(broadcastShapeOf(arrays.map((a) => a.shape))).not.toBeNull();
      }),
      runs(100),
    );
  });
});

describe('axis arbitraries', () => {
  it('axisArb covers [-ndim, ndim)', () => {
    expect(new Set(sample(axisArb(3)))).toEqual(new Set([-3, -2, -1, 0, 1, 2]));
    expect(new Set(sample(axisArb(2, { negative: false })))).toEqual(new Set([0, 1]));
    expect(() => axisArb(0)).toThrow(RangeError);
  });

  it('axesArb gives valid distinct axes, lists and null', () => {
    const all = sample(axesArb(3), 500);
    for (const ax of all) {
      if (Array.isArray(ax)) {
        const norm = ax.map((a) => (a < 0 ? a + 3 : a));
        expect(new Set(norm).size).toBe(ax.length);
        expect(norm.every((a) => a >= 0 && a < 3)).toBe(true);
      }
    }
    expect(all).toContain(null);
    expect(all.some((a) => Array.isArray(a) && a.length === 0)).toBe(true);
    expect(all.some((a) => Array.isArray(a) && a.length === 3)).toBe(true);
    expect(new Set(sample(axesArb(0)).map((a) => JSON.stringify(a)))).toEqual(
      new Set(['0', '-1', '[]', 'null']),
    );
  });

  it('reduceatIndicesArb stays in [0, n)', () => {
    for (const idx of sample(reduceatIndicesArb(4))) {
      expect(idx.length).toBeGreaterThan(0);
      expect(idx.every((i) => i >= 0 && i < 4)).toBe(true);
    }
    expect(() => reduceatIndicesArb(0)).toThrow(RangeError);
    expect(shapeSize([2, 0])).toBe(0);
  });
});
