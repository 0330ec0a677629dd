/** Property tests of `accumulate` against `refAccumulate`, and NumPy's examples. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assertArraysEqual,
  axisArb,
  dtypeArb,
  fromValues,
  ndarrayArb,
  refAccumulate,
  refAstype,
  shapeArb,
  valuesOf,
} from '../../src/testing/index.js';
import { expectError, runs, snapshot } from '../support.js';
import {
  AxisError,
  asarray,
  canCastSameKind,
  dtypeOf,
  toNested,
  ValueError,
  zeros,
} from './imports.js';
import { add, BINARY, max, mul, sub } from './kernels.js';

const caseArb = fc
  .tuple(fc.constantFrom(...BINARY), shapeArb({ minDims: 1, maxDims: 3 }))
  .chain(([k, shape]) =>
    fc.tuple(
      fc.constant(k),
      ndarrayArb({ shape, special: true }),
      axisArb(shape.length),
      fc.option(dtypeArb(), { nil: undefined }),
    ),
  );

describe('accumulate', () => {
  it('matches refAccumulate along any axis, with or without dtype', () => {
    fc.assert(
      fc.property(caseArb, ([k, a, axis, dtype]) => {
        const t = dtype ?? k.type(dtypeOf(a), dtypeOf(a));
        const r = k.u.accumulate(a, { axis, dtype });
        expect(dtypeOf(r)).toBe(t);
        assertArraysEqual(r, refAccumulate(k.ref(t), a, { axis, dtype: t }));
      }),
      runs(200),
    );
  });

  it('writes into out (cast same_kind), unchanged when it cannot cast', () => {
    fc.assert(
      fc.property(
        caseArb.chain(([k, a, axis, dtype]) =>
          fc.tuple(
            fc.constant(k),
            fc.constant(a),
            fc.constant(axis),
            fc.constant(dtype),
            ndarrayArb({ shape: a.shape, writable: true }),
          ),
        ),
        ([k, a, axis, dtype, out]) => {
          const t = dtype ?? k.type(dtypeOf(a), dtypeOf(a));
          const before = snapshot(out);
          if (!canCastSameKind(t, dtypeOf(out))) {
            expectError(
              () => k.u.accumulate(a, { axis, dtype, out }),
              TypeError,
              `Cannot cast ufunc '${k.name}' output from ${t} to ${dtypeOf(out)} with casting rule 'same_kind'`,
            );
            expect(snapshot(out)).toEqual(before);
            return;
          }
          expect(k.u.accumulate(a, { axis, dtype, out })).toBe(out);
          assertArraysEqual(
            out,
            refAstype(refAccumulate(k.ref(t), a, { axis, dtype: t }), dtypeOf(out)),
          );
        },
      ),
      runs(150),
    );
  });

  it('accumulates in place (out is the input)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(add, sub, max),
        ndarrayArb({ minDims: 1, maxDims: 3, writable: true, dtype: ['int32', 'float64', 'int8'] }),
        (k, a) => {
          const want = refAccumulate(k.ref(dtypeOf(a)), a, { axis: 0 });
          k.u.accumulate(a, { out: a });
          assertArraysEqual(a, want);
        },
      ),
      runs(80),
    );
  });

  it("follows NumPy's examples", () => {
    // np.add.accumulate([2, 3, 5]) == [2, 5, 10]; np.multiply.accumulate([2, 3, 5]) == [2, 6, 30]
    expect(valuesOf(add.u.accumulate(asarray([2, 3, 5])))).toEqual([2, 5, 10]);
    expect(valuesOf(mul.u.accumulate(asarray([2, 3, 5])))).toEqual([2, 6, 30]);
    // I = np.eye(2): np.add.accumulate(I, 0) == [[1,0],[1,1]]; axis=1 == [[1,1],[0,1]]
    const eye = asarray([
      [1, 0],
      [0, 1],
    ]);
    expect(toNested(add.u.accumulate(eye, { axis: 0 }))).toEqual([
      [1, 0],
      [1, 1],
    ]);
    expect(toNested(add.u.accumulate(eye, { axis: 1 }))).toEqual([
      [1, 1],
      [0, 1],
    ]);
    // np.subtract.accumulate(np.arange(1, 7).reshape(2, 3), axis=1)
    expect(
      toNested(sub.u.accumulate(fromValues([1, 2, 3, 4, 5, 6], [2, 3], 'int32'), { axis: -1 })),
    ).toEqual([
      [1, -1, -4],
      [4, -1, -7],
    ]);
    expect(valuesOf(add.u.accumulate(asarray(new Int8Array([100, 100]))))).toEqual([100, -56]);
    expect(add.u.accumulate(zeros([0, 3])).shape).toEqual([0, 3]);
    expect(add.u.accumulate(zeros([3, 0]), { axis: 0 }).shape).toEqual([3, 0]);
  });

  it('throws like NumPy', () => {
    expectError(() => add.u.accumulate(asarray(3)), TypeError, 'cannot accumulate on a scalar');
    expectError(
      () => add.u.accumulate(zeros([2, 2]), { axis: 2 }),
      AxisError,
      'axis 2 is out of bounds for array of dimension 2',
    );
    const out = zeros([3]);
    expectError(
      () => add.u.accumulate(zeros([2]), { out }),
      ValueError,
      'output parameter for accumulate has shape (3,), expected (2,)',
    );
    expectError(
      () => add.u.accumulate(zeros([2]), { axis: [0] as never }),
      TypeError,
      'axis must be an integer; got object',
    );
    expectError(
      () => add.u.accumulate(zeros([2]), { keepdims: true } as never),
      TypeError,
      "add.accumulate: unknown option 'keepdims' (expected axis, dtype, out)",
    );
  });
});
