import fc from 'fast-check';
import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import {
  castScalar,
  copyInto,
  extent,
  mayShareMemory,
  sameView,
  sizeOf,
} from '../../src/core/array.js';
import { onHeap } from '../../src/core/heap.js';
import {
  asarray,
  astype,
  BoolArray,
  copy,
  DTYPES,
  dtypeOf,
  empty,
  full,
  isNdarray,
  type NdArray,
  toArray,
  toNested,
  ValueError,
  zeros,
} from '../../src/index.js';
import {
  allIndices,
  assertArraysEqual,
  castTo,
  dtypeArb,
  elementOffset,
  ndarrayArb,
  refAstype,
  toNestedValues,
  valuesOf,
} from '../../src/testing/index.js';
import { expectError, runs } from '../support.js';

describe('asarray', () => {
  it('returns ndarrays and TypedArrays without copying', () => {
    const data = new Int16Array([1, 2, 3]);
    const a = asarray(data);
    expect(a.data).toBe(data);
    expect(a.shape).toEqual([3]);
    expect(dtypeOf(a)).toBe('int16');
    const v = ndarray(new Float32Array(6), [2, 3]);
    expect(asarray(v as NdArray)).toBe(v);
  });

  it('makes numbers 0-d float64 and booleans 0-d bool', () => {
    const a = asarray(2.5);
    expect(a.shape).toEqual([]);
    expect(dtypeOf(a)).toBe('float64');
    expect(toNested(a)).toBe(2.5);
    const b = asarray(true);
    expect(dtypeOf(b)).toBe('bool');
    expect(b.data).toBeInstanceOf(BoolArray);
    expect(toNested(b)).toBe(1);
  });

  it('converts nested arrays (float64, or bool when every element is a boolean)', () => {
    const a = asarray([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(a.shape).toEqual([2, 3]);
    expect(dtypeOf(a)).toBe('float64');
    expect(toNested(a)).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const b = asarray([true, false]);
    expect(dtypeOf(b)).toBe('bool');
    expect(toNested(b)).toEqual([1, 0]);
    expect(dtypeOf(asarray([true, 2]))).toBe('float64');
    expect(asarray([]).shape).toEqual([0]);
    expect(asarray([[], []]).shape).toEqual([2, 0]);
  });

  it('converts to a requested dtype with TypedArray store semantics', () => {
    fc.assert(
      fc.property(ndarrayArb({ maxDims: 3 }), dtypeArb(), (a, t) => {
        const b = asarray(a, t);
        expect(dtypeOf(b)).toBe(t);
        if (t === dtypeOf(a)) expect(b).toBe(a);
        assertArraysEqual(b, refAstype(a, t));
      }),
      runs(100),
    );
  });

  it('rejects what it cannot convert', () => {
    expectError(
      () => asarray('abc' as never),
      TypeError,
      'expected an ndarray, TypedArray, number, boolean or nested array; got "abc"',
    );
    expectError(() => asarray({} as never), TypeError, /got \[object Object\]$/);
    expectError(
      () => asarray([[1, 2], [3] as never]),
      ValueError,
      'setting an array element with a sequence: nested arrays are not rectangular',
    );
    expectError(
      () => asarray([[1, 2], 3] as never),
      ValueError,
      'setting an array element with a sequence: nested arrays are not rectangular',
    );
    expectError(
      () => asarray([1, 'x'] as never),
      TypeError,
      'array elements must be numbers or booleans; got "x"',
    );
    expectError(
      () => asarray(ndarray([1, 2, 3]) as never),
      TypeError,
      'ndarray data: expected a TypedArray of a numbats dtype (bool, int8, uint8, uint8_clamped, int16, uint16, int32, uint32, float32, float64); got [object Array]',
    );
    expectError(
      () => asarray(new BigInt64Array(2) as never),
      TypeError,
      /^BigInt64Array holds 64-bit integers, and int64\/uint64 are not numbats dtypes .* Convert it: Float64Array.from\(x, Number\)/,
    );
    expectError(() => asarray(1, 'int64' as never), TypeError, /dtype must be one of/);
  });
});

describe('allocation', () => {
  it('zeros / empty / full make C-contiguous arrays of the dtype', () => {
    for (const t of DTYPES) {
      const z = zeros([2, 3], t);
      expect(z.shape).toEqual([2, 3]);
      expect(z.stride).toEqual([3, 1]);
      expect(dtypeOf(z)).toBe(t);
      expect(toArray(z)).toEqual([0, 0, 0, 0, 0, 0]);
      expect(dtypeOf(empty(4, t))).toBe(t);
      expect(toArray(full([2], 300, t))).toEqual([castTo(t, 300), castTo(t, 300)]);
    }
    expect(dtypeOf(zeros(3))).toBe('float64');
    expect(zeros([]).shape).toEqual([]);
    expect(toArray(zeros([]))).toEqual([0]);
    expect(dtypeOf(full([1], true))).toBe('bool');
    expect(dtypeOf(full([1], 1))).toBe('float64');
    expect(toArray(full([2], -1, 'bool'))).toEqual([1, 1]);
    expect(toArray(full([1], 2.5, 'uint8_clamped'))).toEqual([2]);
    expect(toArray(full([1], 3.5, 'uint8_clamped'))).toEqual([4]);
  });

  it('allocates on a SharedArrayBuffer with { shared: true }', () => {
    const a = zeros([3], 'int32', { shared: true });
    expect((a.data as Int32Array).buffer).toBeInstanceOf(SharedArrayBuffer);
    const b = full([2], true, 'bool', { shared: true });
    expect(b.data).toBeInstanceOf(BoolArray);
    expect((b.data as Uint8Array).buffer).toBeInstanceOf(SharedArrayBuffer);
    // Without { shared }: an ordinary ArrayBuffer, or the numbats heap (shared memory) while it is on.
    const plain = zeros(2).data as Float64Array;
    expect(onHeap(plain) || plain.buffer instanceof ArrayBuffer).toBe(true);
  });

  it('rejects bad shapes, dtypes and values', () => {
    expectError(
      () => zeros([2, -1]),
      TypeError,
      'shape must be a non-negative integer or an array of them; got [object Array]',
    );
    expectError(() => zeros(1.5), TypeError, /shape must be a non-negative integer/);
    expectError(() => zeros('3' as never), TypeError, /shape must be .*; got "3"$/);
    expectError(() => zeros([2], 'complex' as never), TypeError, /dtype must be one of/);
    expectError(
      () => full([2], 'x' as never),
      TypeError,
      'full: value must be a number or boolean; got "x"',
    );
  });
});

describe('views, copies and conversion', () => {
  it('copy / astype / toArray / toNested read any view element by element', () => {
    fc.assert(
      fc.property(ndarrayArb({ maxDims: 4, maxSide: 3 }), dtypeArb(), (a, t) => {
        const c = copy(a);
        expect(c.data).not.toBe(a.data);
        assertArraysEqual(c, a);
        expect(c.stride).toEqual(
          a.shape.map((_, i) => a.shape.slice(i + 1).reduce((x, y) => x * y, 1)),
        );
        assertArraysEqual(astype(a, t), refAstype(a, t));
        expect(toArray(a)).toEqual(valuesOf(a));
        expect(toNested(a)).toEqual(toNestedValues(a));
      }),
      runs(100),
    );
  });

  it('copyInto converts like a TypedArray store (bool: nonzero is 1)', () => {
    fc.assert(
      fc.property(
        ndarrayArb({ maxDims: 3, special: true }).chain((src) =>
          fc.tuple(fc.constant(src), ndarrayArb({ shape: src.shape, writable: true })),
        ),
        ([src, dst]) => {
          const expected = refAstype(src, dtypeOf(dst));
          copyInto(dst, src);
          assertArraysEqual(dst, expected);
        },
      ),
      runs(100),
    );
  });

  it('castScalar matches a store into the dtype', () => {
    fc.assert(
      fc.property(dtypeArb(), fc.double(), (t, v) => {
        expect(castScalar(v, t)).toBe(castTo(t, v));
      }),
      runs(200),
    );
    expect(castScalar(Number.NaN, 'bool')).toBe(1);
    expect(castScalar(0.5, 'uint8_clamped')).toBe(0);
    expect(castScalar(1.5, 'uint8_clamped')).toBe(2);
    expect(castScalar(-3, 'uint8_clamped')).toBe(0);
    expect(castScalar(2 ** 31, 'int32')).toBe(-(2 ** 31));
  });

  it('isNdarray tells ndarrays from other values', () => {
    expect(isNdarray(zeros(2))).toBe(true);
    expect(isNdarray(new Float64Array(2))).toBe(false);
    expect(isNdarray([1, 2])).toBe(false);
    expect(isNdarray(null)).toBe(false);
    expect(isNdarray({ shape: [1], stride: [1], offset: 0 })).toBe(false);
  });
});

describe('overlap detection', () => {
  /** Buffer positions a view reads. */
  function positions(a: NdArray): Set<number> {
    return new Set(allIndices(a.shape).map((i) => elementOffset(a, i)));
  }

  it('extent bounds every position a view touches', () => {
    fc.assert(
      fc.property(ndarrayArb({ maxDims: 3 }), (a) => {
        const [lo, hi] = extent(a);
        const pos = [...positions(a)];
        if (sizeOf(a.shape) === 0) expect(hi).toBeLessThan(lo);
        else {
          expect(Math.min(...pos)).toBe(lo);
          expect(Math.max(...pos)).toBe(hi);
        }
      }),
      runs(100),
    );
  });

  it('mayShareMemory is true whenever two views of one buffer share an element', () => {
    const viewOf = (base: NdArray) =>
      fc
        .tuple(
          fc.array(fc.nat(3), { minLength: base.shape.length, maxLength: base.shape.length }),
          fc.array(fc.constantFrom(1, 2, -1), {
            minLength: base.shape.length,
            maxLength: base.shape.length,
          }),
        )
        .map(
          ([lo, st]) =>
            base.lo(...lo.map((l, i) => Math.min(l, base.shape[i]))).step(...st) as NdArray,
        );
    fc.assert(
      fc.property(
        ndarrayArb({ minDims: 1, maxDims: 2, minSide: 1 }).chain((base) =>
          fc.tuple(viewOf(base), viewOf(base)),
        ),
        ([a, b]) => {
          const pa = positions(a);
          const shared = [...positions(b)].some((p) => pa.has(p));
          if (shared) expect(mayShareMemory(a, b)).toBe(true);
          expect(mayShareMemory(a, copy(b))).toBe(false);
        },
      ),
      runs(150),
    );
  });

  it('sameView recognises the very same view', () => {
    const a = zeros([3, 4]);
    expect(sameView(a, a.lo(0, 0) as NdArray)).toBe(true);
    expect(sameView(a, a.transpose(1, 0) as NdArray)).toBe(false);
    expect(sameView(a, a.step(-1) as NdArray)).toBe(false);
    expect(sameView(a, copy(a))).toBe(false);
  });
});
