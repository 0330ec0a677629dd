/** Property tests of `outer` against `refOuter`, and NumPy's examples. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assertArraysEqual,
  castTo,
  dtypeArb,
  ndarrayArb,
  refOuter,
} from '../../src/testing/index.js';
import { expectError, runs, snapshot } from '../support.js';
import {
  asarray,
  canCastSameKind,
  type DType,
  dtypeOf,
  type NdArray,
  toNested,
  ValueError,
  vectorize,
  zeros,
} from './imports.js';
import { add, BINARY, mul } from './kernels.js';

const pairArb = fc.tuple(
  fc.constantFrom(...BINARY),
  ndarrayArb({ maxDims: 2, special: true }),
  ndarrayArb({ maxDims: 2, special: true }),
);

describe('outer', () => {
  it('matches refOuter for every dtype pair and view', () => {
    fc.assert(
      fc.property(pairArb, ([k, a, b]) => {
        const t = k.type(dtypeOf(a), dtypeOf(b));
        const r = k.u.outer(a, b) as NdArray;
        expect(r.shape).toEqual([...a.shape, ...b.shape]);
        expect(dtypeOf(r)).toBe(t);
        assertArraysEqual(r, refOuter(k.ref(t), a, b, { outDtype: t, inDtypes: [t, t] }));
      }),
      runs(150),
    );
  });

  it('takes dtype and out', () => {
    fc.assert(
      fc.property(
        pairArb.chain(([k, a, b]) =>
          fc.tuple(
            fc.constant(k),
            fc.constant(a),
            fc.constant(b),
            fc.oneof(
              { arbitrary: fc.constant(undefined), weight: 1 },
              // bool is the dtype whose loop type differs (bool + bool is int32): weight it up.
              { arbitrary: fc.constant<DType>('bool'), weight: 1 },
              { arbitrary: dtypeArb(), weight: 2 },
            ),
            ndarrayArb({ shape: [...a.shape, ...b.shape], writable: true }),
          ),
        ),
        ([k, a, b, dtype, out]) => {
          const kt = dtype === undefined ? k.type(dtypeOf(a), dtypeOf(b)) : k.type(dtype, dtype);
          const t = dtype ?? kt;
          const before = snapshot(out);
          const inputsCast =
            dtype === undefined ||
            (canCastSameKind(dtypeOf(a), dtype) && canCastSameKind(dtypeOf(b), dtype));
          if (!inputsCast || !canCastSameKind(t, dtypeOf(out))) {
            expectError(() => k.u.outer(a, b, { dtype, out }), TypeError, /Cannot cast ufunc/);
            expect(snapshot(out)).toEqual(before);
            return;
          }
          const ref = k.ref(kt);
          const want = refOuter((x, y) => castTo(t, castTo(kt, +ref(x, y))), a, b, {
            outDtype: dtypeOf(out),
            inDtypes: dtype === undefined ? [kt, kt] : [dtype, dtype],
          });
          expect(k.u.outer(a, b, { dtype, out })).toBe(out);
          assertArraysEqual(out, want);
        },
      ),
      runs(120),
    );
  });

  it('rounds to dtype before casting into out (np.add.outer(a, b, dtype=bool, out=u32))', () => {
    // The loop is bool,bool->bool (True + True is True), then cast into uint32: 1, not 2.
    const out = zeros([1, 1], 'uint32');
    add.u.outer(asarray([1]), asarray([1]), { dtype: 'bool', casting: 'unsafe', out });
    expect(toNested(out)).toEqual([[1]]);
  });

  it("follows NumPy's examples", () => {
    // np.multiply.outer([1, 2, 3], [4, 5, 6])
    expect(toNested(mul.u.outer(asarray([1, 2, 3]), asarray([4, 5, 6])) as NdArray)).toEqual([
      [4, 5, 6],
      [8, 10, 12],
      [12, 15, 18],
    ]);
    // A.shape (1, 2, 3, 4), B.shape (5, 6) → C.shape (1, 2, 3, 4, 5, 6)
    expect((mul.u.outer(zeros([1, 2, 3, 4]), zeros([5, 6])) as NdArray).shape).toEqual([
      1, 2, 3, 4, 5, 6,
    ]);
    expect(toNested(add.u.outer(1, [1, 2]) as NdArray)).toEqual([2, 3]);
    expect(add.u.outer(2, 3)).toBe(5);
    const sumDiff = vectorize((a: number, b: number) => [a + b, a - b]);
    const [s, d] = sumDiff.outer([1, 2], [10]) as NdArray[];
    expect(toNested(s)).toEqual([[11], [12]]);
    expect(toNested(d)).toEqual([[-9], [-8]]);
  });

  it('needs a binary ufunc', () => {
    const neg = vectorize((a: number) => -a);
    expectError(
      () => neg.outer([1], [2]),
      ValueError,
      'outer product only supported for binary functions',
    );
  });
});
