/**
 * The references are the oracle of the property tests, so they are checked here against
 * values computed with NumPy 2.4 (inline, small) and against each other.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assertArraysEqual,
  broadcastArraysArb,
  copyOf,
  fromValues,
  ndarrayArb,
  refAccumulate,
  refAstype,
  refAt,
  refCall,
  refOuter,
  refReduce,
  refReduceat,
  toNestedValues,
  valuesOf,
} from '../../src/testing/index.js';
import { runs } from '../support.js';

const add = (a: number, b: number) => a + b;
const sub = (a: number, b: number) => a - b;
const mul = (a: number, b: number) => a * b;
const arange = (n: number, shape: number[] = [n], dtype: 'float64' | 'int32' = 'int32') =>
  fromValues(
    Array.from({ length: n }, (_, i) => i),
    shape,
    dtype,
  );

describe('refCall', () => {
  it('broadcasts and wraps into the output dtype (np.add on int8)', () => {
    const a = fromValues([100, 120], [1, 2], 'int8');
    const b = fromValues([50, 100], [2, 1], 'int8');
    const r = refCall(add, [a, b], { outDtype: 'int8' });
    expect(r.shape).toEqual([2, 2]);
    assertArraysEqual(r, fromValues([-106, -86, -56, -36], [2, 2], 'int8'));
  });

  it('takes scalars, where, out and several outputs', () => {
    const a = fromValues([1, 2, 3], [3], 'float64');
    assertArraysEqual(refCall(add, [a, 10]), fromValues([11, 12, 13], [3]));
    const out = fromValues([-1, -1, -1], [3], 'int16');
    const r = refCall(add, [a, 10], {
      where: fromValues([1, 0, 1], [3], 'bool'),
      out,
      outDtype: 'float64',
    });
    assertArraysEqual(r, fromValues([11, -1, 13], [3], 'int16'));
    expect(valuesOf(out)).toEqual([-1, -1, -1]);
    const [s, d] = refCall((x, y) => [x + y, x - y], [a, 1], { outDtype: ['int8', 'float32'] });
    assertArraysEqual(s, fromValues([2, 3, 4], [3], 'int8'));
    assertArraysEqual(d, fromValues([0, 1, 2], [3], 'float32'));
    const w = refCall(add, [a, 1], { where: false });
    assertArraysEqual(w, fromValues([0, 0, 0], [3]));
  });

  it('casts inputs with inDtypes before calling fn', () => {
    const a = fromValues([1.7, -1.7, 300], [3]);
    assertArraysEqual(
      refCall((x) => x, [a], { inDtypes: ['int8'], outDtype: 'float64' }),
      fromValues([1, -1, 44], [3]),
    );
  });

  it('throws for incompatible shapes and a wrong number of outputs', () => {
    expect(() => refCall(add, [arange(3), arange(4)])).toThrow(/broadcast/);
    expect(() => refCall(add, [arange(3), 1], { out: arange(2) })).toThrow(/broadcast shape/);
    expect(() => refCall(() => [1, 2], [arange(3)])).toThrow(/returned 2 value/);
  });

  it('gives the same result for a view and its contiguous copy', () => {
    fc.assert(
      fc.property(broadcastArraysArb(2), ([a, b]) => {
        assertArraysEqual(
          refCall(sub, [a, b], { outDtype: 'float64' }),
          refCall(sub, [copyOf(a), copyOf(b)], { outDtype: 'float64' }),
        );
      }),
      runs(100),
    );
  });
});

describe('refReduce', () => {
  const a = arange(24, [2, 3, 4]);
  it('matches NumPy for axes, keepdims, initial and where', () => {
    expect(toNestedValues(refReduce(add, a, { axis: [0, 2], keepdims: true }))).toEqual([
      [[60], [92], [124]],
    ]);
    expect(toNestedValues(refReduce(add, a, { axis: -1, initial: 100 }))).toEqual([
      [106, 122, 138],
      [154, 170, 186],
    ]);
    const w = fromValues([1, 0, 1, 0], [4], 'bool');
    expect(toNestedValues(refReduce(add, a, { axis: 1, where: w, identity: 0 }))).toEqual([
      [12, 0, 18, 0],
      [48, 0, 54, 0],
    ]);
    expect(toNestedValues(refReduce(Math.max, a, { axis: null, where: w, initial: -1 }))).toBe(22);
    expect(toNestedValues(refReduce(sub, arange(6, [2, 3]).lo(0, 1), { axis: 1 }))).toEqual([
      -1, -1,
    ]);
    expect(
      toNestedValues(refReduce(sub, fromValues([1, 2, 3, 4, 5, 6], [2, 3]), { axis: 1 })),
    ).toEqual([-4, -7]);
    assertArraysEqual(refReduce(sub, a, { axis: [2, 0] }), refReduce(sub, a, { axis: [0, 2] }));
    expect(toNestedValues(refReduce(add, arange(6, [2, 3]), { axis: [], initial: 10 }))).toEqual([
      [10, 11, 12],
      [13, 14, 15],
    ]);
  });

  it('handles 0-d inputs and empty axes like NumPy', () => {
    const s = fromValues([5], [], 'float64');
    expect(toNestedValues(refReduce(add, s))).toBe(5);
    expect(toNestedValues(refReduce(add, s, { axis: null }))).toBe(5);
    expect(toNestedValues(refReduce(add, s, { axis: -1 }))).toBe(5);
    expect(() => refReduce(add, s, { axis: 1 })).toThrow(/out of bounds/);
    const e = fromValues([], [0, 3]);
    expect(toNestedValues(refReduce(add, e, { identity: 0 }))).toEqual([0, 0, 0]);
    expect(() => refReduce(Math.max, e)).toThrow(/zero-size array/);
    expect(toNestedValues(refReduce(Math.max, e, { axis: 1 }))).toEqual([]);
    expect(() => refReduce(add, a, { axis: [0, 0] })).toThrow(/duplicate/);
    expect(() => refReduce(add, a, { where: fromValues([1], [1], 'bool') })).toThrow(/initial/);
  });

  it('casts into the accumulator dtype at every step', () => {
    const x = fromValues([100, 100, -100], [3], 'int8');
    expect(toNestedValues(refReduce(add, x))).toBe(100); // 100+100 wraps to -56, then -156 → 100
    expect(toNestedValues(refReduce(add, x, { dtype: 'int16' }))).toBe(100);
    expect(
      toNestedValues(
        refReduce(add, fromValues([200, 100], [2], 'uint8'), { dtype: 'uint8_clamped' }),
      ),
    ).toBe(255);
  });
});

describe('refAccumulate', () => {
  it('matches NumPy along either axis', () => {
    const a = fromValues([1, 2, 3, 4, 5, 6], [2, 3], 'int32');
    expect(toNestedValues(refAccumulate(sub, a, { axis: 1 }))).toEqual([
      [1, -1, -4],
      [4, -1, -7],
    ]);
    expect(toNestedValues(refAccumulate(sub, a))).toEqual([
      [1, 2, 3],
      [-3, -3, -3],
    ]);
    expect(refAccumulate(add, fromValues([], [0, 3])).shape).toEqual([0, 3]);
    expect(() => refAccumulate(add, 3)).toThrow(TypeError);
  });
});

describe('refReduceat', () => {
  it("reproduces NumPy's documented examples", () => {
    expect(valuesOf(refReduceat(add, arange(8), [0, 4, 1, 5, 5, 7]))).toEqual([6, 4, 10, 5, 11, 7]);
    const x = arange(16, [4, 4], 'float64');
    expect(toNestedValues(refReduceat(add, x, [0, 3, 1, 2, 0]))).toEqual([
      [12, 15, 18, 21],
      [12, 13, 14, 15],
      [4, 5, 6, 7],
      [8, 9, 10, 11],
      [24, 28, 32, 36],
    ]);
    expect(toNestedValues(refReduceat(mul, x, [0, 3], { axis: 1 }))).toEqual([
      [0, 3],
      [120, 7],
      [720, 11],
      [2184, 15],
    ]);
    expect(() => refReduceat(add, arange(8), [0, 8])).toThrow(/out-of-bounds/);
    expect(refReduceat(add, arange(8), []).shape).toEqual([0]);
  });
});

describe('refOuter', () => {
  it('pairs every element (np.multiply.outer)', () => {
    expect(
      toNestedValues(refOuter(mul, fromValues([1, 2, 3], [3]), fromValues([4, 5, 6], [3]))),
    ).toEqual([
      [4, 5, 6],
      [8, 10, 12],
      [12, 15, 18],
    ]);
    expect(
      refOuter(
        mul,
        fromValues(new Array(24).fill(1), [1, 2, 3, 4]),
        fromValues(new Array(30).fill(1), [5, 6]),
      ).shape,
    ).toEqual([1, 2, 3, 4, 5, 6]);
    expect(refOuter(add, 1, 2).shape).toEqual([]);
  });
});

describe('refAt', () => {
  it("reproduces NumPy's documented examples (repeated indices accumulate)", () => {
    const a = fromValues([1, 2, 3, 4], [4], 'int32');
    expect(valuesOf(refAt((x) => -x, a, [0, 1]))).toEqual([-1, -2, 3, 4]);
    expect(valuesOf(refAt(add, a, [0, 1, 2, 2], 1))).toEqual([2, 3, 5, 4]);
    expect(valuesOf(refAt(add, a, [-1, -1, 0], 1))).toEqual([2, 2, 3, 6]);
    expect(valuesOf(a)).toEqual([1, 2, 3, 4]);
    const m = arange(9, [3, 3]);
    expect(
      toNestedValues(
        refAt(
          add,
          m,
          [
            [0, 1, 0],
            [1, 2, 1],
          ],
          fromValues([10, 20, 30], [3], 'int32'),
        ),
      ),
    ).toEqual([
      [0, 41, 2],
      [3, 4, 25],
      [6, 7, 8],
    ]);
    expect(toNestedValues(refAt(add, m, [0, 2, 0], fromValues([1, 2, 3], [3], 'int32')))).toEqual([
      [2, 5, 8],
      [3, 4, 5],
      [7, 9, 11],
    ]);
    expect(() => refAt(add, a, [4], 1)).toThrow(/out of bounds/);
    expect(() => refAt(add, a, [[0], [0]], 1)).toThrow(/too many indices/);
  });

  it('stores through the target dtype', () => {
    const a = fromValues([250, 0], [2], 'uint8');
    expect(valuesOf(refAt(add, a, [0, 0], 5))).toEqual([4, 0]);
    expect(valuesOf(refAt(add, refAstype(a, 'uint8_clamped'), [0, 0], 5))).toEqual([255, 0]);
    expect(valuesOf(refAt(add, refAstype(a, 'bool'), [1], 0))).toEqual([1, 0]);
  });
});

describe('reference helpers on random views', () => {
  it('refAstype is copyOf with a dtype', () => {
    fc.assert(
      fc.property(ndarrayArb(), (a) => {
        assertArraysEqual(refAstype(a, 'float64'), copyOf(a, 'float64'));
      }),
      runs(50),
    );
  });
});
