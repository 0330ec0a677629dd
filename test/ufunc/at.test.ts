/** Property tests of `at` against `refAt`, and NumPy's documented examples. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assertArraysEqual,
  copyOf,
  fromValues,
  ndarrayArb,
  refAt,
  shapeArb,
  valuesOf,
} from '../../src/testing/index.js';
import { expectError, runs, snapshot } from '../support.js';
import {
  asarray,
  canCastSameKind,
  type DType,
  dtypeOf,
  INFO_FOR_TESTS,
  IndexError,
  type NdArray,
  toNested,
  ValueError,
  vectorize,
} from './imports.js';
import { add, BINARY, type BinaryKernel, UNARY } from './kernels.js';

/** Indices for the first `k` axes of `shape`: one list per axis, all of one length. */
function indicesArb(shape: readonly number[]) {
  return fc.integer({ min: 1, max: shape.length }).chain((k) =>
    fc.integer({ min: 0, max: 5 }).chain((len) => {
      const axis = (d: number) =>
        shape[d] === 0
          ? fc.constant([] as number[])
          : fc.array(fc.integer({ min: -shape[d], max: shape[d] - 1 }), {
              minLength: len,
              maxLength: len,
            });
      return fc.tuple(...Array.from({ length: k }, (_, d) => axis(d)));
    }),
  );
}

/** The dtype of `b` next to `a` (a weak JS number takes a's dtype when it fits). */
function bType(a: DType, b: NdArray | number): DType {
  if (typeof b !== 'number') return dtypeOf(b);
  if (a === 'float32' || a === 'float64') return a;
  if (!Number.isInteger(b)) return 'float64';
  return a === 'bool' ? 'int32' : a;
}

const binaryCase = fc
  .tuple(fc.constantFrom(...BINARY), shapeArb({ minDims: 1, maxDims: 3, minSide: 1 }))
  .chain(([k, shape]) =>
    fc.tuple(fc.constant(k), ndarrayArb({ shape, writable: true }), indicesArb(shape)),
  )
  .chain(([k, a, idx]) => {
    const ishape = [idx[0].length];
    const full = [...ishape, ...a.shape.slice(idx.length)];
    const { min, max } = INFO_FOR_TESTS[dtypeOf(a)];
    return fc.tuple(
      fc.constant(k as BinaryKernel),
      fc.constant(a),
      fc.constant(idx),
      fc.oneof(
        // A weak scalar that fits a's dtype, or any fraction.
        fc.integer({ min: Math.max(min, -5), max: Math.min(max, 5) }),
        fc.constantFrom(0.5, -1.25),
        // An array broadcasting to the indexed result's shape.
        shapeArb({ maxDims: full.length }).chain((s) =>
          ndarrayArb({ shape: s.map((d, i) => (d === 1 ? 1 : full[full.length - s.length + i])) }),
        ),
      ),
    );
  });

describe('at', () => {
  it('matches refAt: repeated and negative indices, several axes, broadcast b', () => {
    fc.assert(
      fc.property(binaryCase, ([k, a, idx, b]) => {
        const ta = dtypeOf(a);
        const t = k.type(ta, bType(ta, b));
        const indices = idx.length === 1 ? idx[0] : idx;
        const before = snapshot(a);
        if (!canCastSameKind(t, ta)) {
          expectError(
            () => k.u.at(a, indices, b),
            TypeError,
            `Cannot cast ufunc '${k.name}' output from ${t} to ${ta} with casting rule 'same_kind'`,
          );
          expect(snapshot(a)).toEqual(before);
          return;
        }
        const want = refAt(k.ref(t), copyOf(a), indices, b, { inDtypes: [t, t], outDtype: t });
        expect(k.u.at(a, indices, b)).toBeUndefined();
        assertArraysEqual(a, want);
      }),
      runs(200),
    );
  });

  it('applies unary ufuncs in place', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...UNARY.filter((u) => u.name !== 'sqrt')),
        shapeArb({ minDims: 1, maxDims: 2, minSide: 1 }).chain((shape) =>
          fc.tuple(ndarrayArb({ shape, writable: true }), indicesArb(shape)),
        ),
        (k, [a, idx]) => {
          const t = k.type(dtypeOf(a));
          const before = snapshot(a);
          if (!canCastSameKind(t, dtypeOf(a))) {
            expectError(() => k.u.at(a, idx), TypeError, /Cannot cast ufunc/);
            expect(snapshot(a)).toEqual(before);
            return;
          }
          const want = refAt(k.ref(t), copyOf(a), idx, undefined, { inDtypes: [t], outDtype: t });
          k.u.at(a, idx);
          assertArraysEqual(a, want);
        },
      ),
      runs(100),
    );
  });

  it("reproduces NumPy's documented examples", () => {
    // np.negative.at(a, [0, 1]) with a = [1, 2, 3, 4]
    const neg = vectorize((x: number) => -x);
    const a = asarray(new Int32Array([1, 2, 3, 4]));
    neg.at(a, [0, 1]);
    expect(valuesOf(a)).toEqual([-1, -2, 3, 4]);
    // np.add.at(a, [0, 1, 2, 2], 1)
    const b = asarray(new Int32Array([1, 2, 3, 4]));
    add.u.at(b, [0, 1, 2, 2], 1);
    expect(valuesOf(b)).toEqual([2, 3, 5, 4]);
    // np.add.at(a, [0, 1, 1, 3], 1) (the example) and negative indices
    const c = asarray(new Int32Array([1, 2, 3, 4]));
    add.u.at(c, [0, 1, 1, 3], 1);
    expect(valuesOf(c)).toEqual([2, 4, 3, 5]);
    add.u.at(c, [-1, -1], 10);
    expect(valuesOf(c)).toEqual([2, 4, 3, 25]);
    // np.add.at(a, ([0, 1, 0], [1, 2, 1]), [10, 20, 30]) on np.arange(9).reshape(3, 3)
    const m = fromValues(
      Array.from({ length: 9 }, (_, i) => i),
      [3, 3],
      'int32',
    );
    add.u.at(
      m,
      [
        [0, 1, 0],
        [1, 2, 1],
      ],
      asarray(new Int32Array([10, 20, 30])),
    );
    expect(toNested(m)).toEqual([
      [0, 41, 2],
      [3, 4, 25],
      [6, 7, 8],
    ]);
    // np.add.at(a, [0, 2, 0], [1, 2, 3]) adds a row (broadcast) per index
    const r = fromValues(
      Array.from({ length: 9 }, (_, i) => i),
      [3, 3],
      'int32',
    );
    add.u.at(r, [0, 2, 0], asarray(new Int32Array([1, 2, 3])));
    expect(toNested(r)).toEqual([
      [2, 5, 8],
      [3, 4, 5],
      [7, 9, 11],
    ]);
    // An empty index list does nothing (np.add.at(a, [], 1))
    const e = fromValues([1, 2], [2], 'int32');
    add.u.at(e, [], 1);
    expect(valuesOf(e)).toEqual([1, 2]);
    // A scalar index and an ndarray of indices
    const s = asarray(new Float64Array([1, 2]));
    add.u.at(s, 1, 0.5);
    add.u.at(s, asarray(new Int32Array([0, 0])), 1);
    expect(valuesOf(s)).toEqual([3, 2.5]);
  });

  it('is unbuffered even when b aliases a', () => {
    // a = np.array([1., 2., 3.]); np.add.at(a, [1, 2], a[:2]) gives [1, 3, 5]: b is the
    // values of a[:2] before any write (a[2] += 2, not the updated a[1] == 3).
    const a = asarray(new Float64Array([1, 2, 3]));
    add.u.at(a, [1, 2], a.hi(2) as NdArray);
    expect(valuesOf(a)).toEqual([1, 3, 5]);
  });

  it('checks every index before writing anything', () => {
    const a = asarray(new Int32Array([1, 2, 3, 4]));
    expectError(
      () => add.u.at(a, [0, 1, 4], 1),
      IndexError,
      'index 4 is out of bounds for axis 0 with size 4',
    );
    expect(valuesOf(a)).toEqual([1, 2, 3, 4]);
    expectError(
      () => add.u.at(a, [0, -5], 1),
      IndexError,
      'index -5 is out of bounds for axis 0 with size 4',
    );
    expectError(() => add.u.at(a, [0.5], 1), IndexError, 'at: indices must be integers; got 0.5');
    expectError(
      () => add.u.at(a, [[0], [0]], 1),
      IndexError,
      'too many indices for array: array is 1-dimensional, but 2 were indexed',
    );
    expectError(
      () => add.u.at(a, [0, 1], asarray(new Int32Array([1, 2, 3]))),
      ValueError,
      'shape mismatch: value array of shape (3,) could not be broadcast to indexing result of shape (2,)',
    );
    expectError(
      () => add.u.at(a, [0], 1.5),
      TypeError,
      "Cannot cast ufunc 'add' output from float64 to int32 with casting rule 'same_kind'",
    );
    expectError(
      () => add.u.at(a, [0], 2 ** 40),
      RangeError,
      /JS integer 1099511627776 is out of bounds for int32/,
    );
    expectError(() => add.u.at(a, [0]), ValueError, 'second operand needed for ufunc');
    expectError(
      () => vectorize((x: number) => -x).at(a, [0], 1),
      ValueError,
      'second operand provided when ufunc is unary',
    );
    expectError(
      () => add.u.at([1, 2] as never, [0], 1),
      TypeError,
      'at: the first argument must be an ndarray or TypedArray (it is modified in place)',
    );
    expectError(
      () => add.u.at(a, 'x' as never, 1),
      TypeError,
      'at: indices must be a number, an index array, or a list of index arrays (one per axis)',
    );
    expectError(
      () => vectorize((x: number, y: number) => [x, y]).at(a, [0], 1),
      ValueError,
      'at only supported for ufuncs with one output',
    );
    expectError(
      () => vectorize((x: number, y: number, z: number) => x + y + z).at(a, [0], 1),
      ValueError,
      'at only supported for unary and binary functions',
    );
    expect(valuesOf(a)).toEqual([1, 2, 3, 4]);
  });
});
