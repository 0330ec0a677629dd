/** Property tests of `reduceat` against `refReduceat`, and NumPy's documented examples. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assertArraysEqual,
  axisArb,
  dtypeArb,
  fromValues,
  ndarrayArb,
  reduceatIndicesArb,
  refAstype,
  refReduceat,
  shapeArb,
  valuesOf,
} from '../../src/testing/index.js';
import { expectError, runs, snapshot } from '../support.js';
import {
  AxisError,
  asarray,
  canCastSameKind,
  dtypeOf,
  IndexError,
  toNested,
  ValueError,
  zeros,
} from './imports.js';
import { add, BINARY, mul } from './kernels.js';

const caseArb = fc
  .tuple(fc.constantFrom(...BINARY), shapeArb({ minDims: 1, maxDims: 3 }))
  .chain(([k, shape]) => fc.tuple(fc.constant(k), fc.constant(shape), axisArb(shape.length)))
  .chain(([k, shape, axis]) => {
    const n = shape[axis < 0 ? axis + shape.length : axis];
    return fc.tuple(
      fc.constant(k),
      ndarrayArb({ shape, special: true }),
      fc.constant(axis),
      n > 0 ? reduceatIndicesArb(n) : fc.constant([0]),
      fc.option(dtypeArb(), { nil: undefined }),
    );
  });

describe('reduceat', () => {
  it('matches refReduceat for any axis and indices (or throws IndexError)', () => {
    fc.assert(
      fc.property(caseArb, ([k, a, axis, indices, dtype]) => {
        const n = a.shape[axis < 0 ? axis + a.shape.length : axis];
        if (n === 0) {
          expectError(
            () => k.u.reduceat(a, indices, { axis }),
            IndexError,
            `index 0 out-of-bounds in ${k.name}.reduceat [0, 0)`,
          );
          return;
        }
        const t = dtype ?? k.type(dtypeOf(a), dtypeOf(a));
        const r = k.u.reduceat(a, indices, { axis, dtype });
        expect(dtypeOf(r)).toBe(t);
        assertArraysEqual(r, refReduceat(k.ref(t), a, indices, { axis, dtype: t }));
      }),
      runs(200),
    );
  });

  it('writes into out (cast same_kind), unchanged when it cannot cast', () => {
    fc.assert(
      fc.property(
        caseArb
          .filter(([, a, axis]) => a.shape[axis < 0 ? axis + a.shape.length : axis] > 0)
          .chain(([k, a, axis, indices, dtype]) => {
            const shape = a.shape.slice();
            shape[axis < 0 ? axis + shape.length : axis] = indices.length;
            return fc.tuple(
              fc.constant(k),
              fc.constant(a),
              fc.constant(axis),
              fc.constant(indices),
              fc.constant(dtype),
              ndarrayArb({ shape, writable: true }),
            );
          }),
        ([k, a, axis, indices, dtype, out]) => {
          const t = dtype ?? k.type(dtypeOf(a), dtypeOf(a));
          const before = snapshot(out);
          if (!canCastSameKind(t, dtypeOf(out))) {
            expectError(
              () => k.u.reduceat(a, indices, { axis, dtype, out }),
              TypeError,
              `Cannot cast ufunc '${k.name}' output from ${t} to ${dtypeOf(out)} with casting rule 'same_kind'`,
            );
            expect(snapshot(out)).toEqual(before);
            return;
          }
          expect(k.u.reduceat(a, indices, { axis, dtype, out })).toBe(out);
          assertArraysEqual(
            out,
            refAstype(refReduceat(k.ref(t), a, indices, { axis, dtype: t }), dtypeOf(out)),
          );
        },
      ),
      runs(120),
    );
  });

  it("reproduces NumPy's documented examples", () => {
    // np.add.reduceat(np.arange(8), [0, 4, 1, 5, 5, 7])[::2] and the full result
    const r = add.u.reduceat(asarray(new Int32Array([0, 1, 2, 3, 4, 5, 6, 7])), [0, 4, 1, 5, 5, 7]);
    expect(valuesOf(r)).toEqual([6, 4, 10, 5, 11, 7]);
    expect(dtypeOf(r)).toBe('int32');
    // x = np.linspace(0, 15, 16).reshape(4, 4)
    const x = fromValues(
      Array.from({ length: 16 }, (_, i) => i),
      [4, 4],
    );
    expect(toNested(add.u.reduceat(x, [0, 3, 1, 2, 0]))).toEqual([
      [12, 15, 18, 21],
      [12, 13, 14, 15],
      [4, 5, 6, 7],
      [8, 9, 10, 11],
      [24, 28, 32, 36],
    ]);
    expect(toNested(mul.u.reduceat(x, [0, 3], { axis: 1 }))).toEqual([
      [0, 3],
      [120, 7],
      [720, 11],
      [2184, 15],
    ]);
    // Indices as a TypedArray or ndarray work too; an empty list gives an empty result.
    expect(valuesOf(add.u.reduceat(asarray([1, 2, 3]), new Int32Array([0, 2])))).toEqual([3, 3]);
    expect(add.u.reduceat(asarray([1, 2, 3]), []).shape).toEqual([0]);
  });

  it('throws like NumPy', () => {
    const a = zeros([8]);
    expectError(
      () => add.u.reduceat(a, [0, 8]),
      IndexError,
      'index 8 out-of-bounds in add.reduceat [0, 8)',
    );
    expectError(
      () => add.u.reduceat(a, [-1]),
      IndexError,
      'index -1 out-of-bounds in add.reduceat [0, 8)',
    );
    expect(new IndexError('x')).toBeInstanceOf(RangeError);
    expectError(
      () => add.u.reduceat(a, [0.5]),
      TypeError,
      'reduceat: indices must be integers; got 0.5',
    );
    expectError(
      () => add.u.reduceat(a, [[0], [1]]),
      ValueError,
      'reduceat: indices must be 1-dimensional',
    );
    expectError(() => add.u.reduceat(asarray(1), [0]), TypeError, 'cannot reduceat on a scalar');
    expectError(
      () => add.u.reduceat(a, [0], { axis: 1 }),
      AxisError,
      'axis 1 is out of bounds for array of dimension 1',
    );
    expectError(
      () => add.u.reduceat(a, [0, 1], { out: zeros([3]) }),
      ValueError,
      'output parameter for reduceat has shape (3,), expected (2,)',
    );
  });
});
