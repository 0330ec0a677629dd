/** Property tests of `reduce` against `refReduce`, and NumPy's documented edge cases. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assertArraysClose,
  assertArraysEqual,
  axesArb,
  dtypeArb,
  fromValues,
  ndarrayArb,
  refAstype,
  refReduce,
  shapeArb,
  valuesOf,
} from '../../src/testing/index.js';
import { expectError, runs, snapshot } from '../support.js';
import {
  AxisError,
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
import { add, BINARY, type BinaryKernel, max, sub } from './kernels.js';

/** Accumulator dtype T: `dtype`, else the element type widened until the kernel maps (T, T) → T. */
function accType(k: BinaryKernel, elem: DType, dtype?: DType): DType {
  return dtype ?? k.type(elem, elem);
}

function normAxes(axis: number | number[] | null, nd: number): number[] {
  if (nd === 0) return [];
  if (axis === null) return Array.from({ length: nd }, (_, i) => i);
  return (Array.isArray(axis) ? axis : [axis]).map((a) => (a < 0 ? a + nd : a));
}

/** A reduce case: kernel, input, axis and options (values exact under any fold order). */
const caseArb = fc
  .tuple(fc.constantFrom(...BINARY), shapeArb({ maxDims: 3 }))
  .chain(([k, shape]) =>
    fc.tuple(
      fc.constant(k),
      fc.constant(shape),
      axesArb(shape.length),
      fc.option(dtypeArb(), { nil: undefined }),
    ),
  )
  .chain(([k, shape, axis, dtype]) => {
    const several = normAxes(axis, shape.length).length > 1;
    return fc.record({
      k: fc.constant(k),
      // Several axes fold in memory order: small values keep float sums exact in any order.
      a: ndarrayArb({ shape, small: several && k !== max, special: !several }),
      axis: fc.constant(axis),
      dtype: fc.constant(dtype),
      keepdims: fc.boolean(),
      initial: fc.option(fc.integer({ min: -3, max: 3 }), { nil: undefined }),
      where: fc.option(
        shapeArb({ maxDims: shape.length }).chain((ws) => {
          // A mask shape that broadcasts to the input's.
          const ms = ws.map((_, i) => {
            const d = shape[shape.length - ws.length + i];
            return ws[i] === 1 ? 1 : d;
          });
          return ndarrayArb({ shape: ms, dtype: 'bool' });
        }),
        { nil: undefined },
      ),
    });
  });

/** What reduce should do for a case: the error it throws, or the reference result. */
function expectedReduce(c: {
  k: BinaryKernel;
  a: NdArray;
  axis: number | number[] | null;
  dtype?: DType;
  keepdims: boolean;
  initial?: number;
  where?: NdArray;
}): { error: [typeof ValueError, string | RegExp] } | { value: NdArray } {
  const { k, a } = c;
  const axes = normAxes(c.axis, a.shape.length);
  if (axes.length > 1 && !k.reorderable) {
    return {
      error: [
        ValueError,
        `reduction operation '${k.name}' is not reorderable, so at most one axis may be specified`,
      ],
    };
  }
  const start = c.initial ?? k.identity ?? undefined;
  if (c.where && start === undefined) return { error: [ValueError, /to use a where mask/] };
  const reduced = axes.reduce((n, ax) => n * a.shape[ax], 1);
  const outSize = a.shape.reduce((n, d, i) => (axes.includes(i) ? n : n * d), 1);
  if (reduced === 0 && start === undefined && outSize > 0) {
    return {
      error: [ValueError, `zero-size array to reduction operation ${k.name} which has no identity`],
    };
  }
  const t = accType(k, dtypeOf(a), c.dtype);
  return {
    value: refReduce(k.ref(t), a, {
      axis: c.axis,
      keepdims: c.keepdims,
      initial: c.initial,
      identity: k.identity,
      where: c.where,
      dtype: t,
    }),
  };
}

describe('reduce', () => {
  it('matches refReduce: axis int/negative/list/null, keepdims, initial, where, dtype', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const opts = {
          axis: c.axis,
          keepdims: c.keepdims,
          initial: c.initial,
          where: c.where,
          dtype: c.dtype,
        };
        const exp = expectedReduce(c);
        if ('error' in exp) {
          expectError(() => c.k.u.reduce(c.a, opts), ...exp.error);
          return;
        }
        const r = c.k.u.reduce(c.a, opts);
        if (exp.value.shape.length === 0) expect(typeof r).toBe('number');
        else expect(dtypeOf(r as NdArray)).toBe(dtypeOf(exp.value));
        // A reorderable kernel's float runs are reduced pairwise (NumPy's order), the
        // reference left to right: the two may differ in the last bits, never more.
        const t = dtypeOf(exp.value);
        if (c.k.identity !== null && (t === 'float32' || t === 'float64')) {
          assertArraysClose(r, exp.value, { rtol: t === 'float32' ? 4e-6 : 1e-14, atol: 0 });
        } else assertArraysEqual(r, exp.value);
      }),
      runs(250),
    );
  });

  it('writes into out (cast same_kind; nothing written when it cannot cast)', () => {
    fc.assert(
      fc.property(
        caseArb.chain((c) => {
          const exp = expectedReduce(c);
          const shape = 'value' in exp ? exp.value.shape : [1];
          return fc.tuple(fc.constant(c), ndarrayArb({ shape, writable: true }));
        }),
        ([c, out]) => {
          const exp = expectedReduce(c);
          const before = snapshot(out);
          const { k: _k, a: _a, ...rest } = c;
          const opts = { ...rest, out };
          if ('error' in exp) {
            expectError(() => c.k.u.reduce(c.a, opts), ...exp.error);
            expect(snapshot(out)).toEqual(before);
            return;
          }
          const t = dtypeOf(exp.value);
          if (!canCastSameKind(t, dtypeOf(out))) {
            expectError(
              () => c.k.u.reduce(c.a, opts),
              TypeError,
              `Cannot cast ufunc '${c.k.name}' output from ${t} to ${dtypeOf(out)} with casting rule 'same_kind'`,
            );
            expect(snapshot(out)).toEqual(before);
            return;
          }
          const r = c.k.u.reduce(c.a, opts);
          expect(r).toBe(out);
          assertArraysEqual(out, refAstype(exp.value, dtypeOf(out)));
        },
      ),
      runs(150),
    );
  });

  it('reduces an out that overlaps the input correctly', () => {
    const a = fromValues([1, 2, 3, 4, 5, 6], [2, 3], 'float64');
    const out = a.pick(0) as NdArray; // row 0 is both read and written
    add.u.reduce(a, { axis: 0, out });
    expect(valuesOf(a)).toEqual([5, 7, 9, 4, 5, 6]);
  });
});

describe('reduce: NumPy edge cases', () => {
  it('reduces 0-d arrays to their element (axis 0, -1, null, [])', () => {
    for (const axis of [0, -1, null, []] as const)
      expect(add.u.reduce(asarray(5), { axis: axis as never })).toBe(5);
    expectError(
      () => add.u.reduce(asarray(5), { axis: 1 }),
      AxisError,
      'axis 1 is out of bounds for array of dimension 0',
    );
  });

  it('gives the identity for an empty axis, and throws without one', () => {
    expect(add.u.reduce(zeros([0]))).toBe(0);
    expect(toNested(add.u.reduce(zeros([0, 3])) as NdArray)).toEqual([0, 0, 0]);
    expect(toNested(add.u.reduce(zeros([0, 3]), { axis: 1 }) as NdArray)).toEqual([]);
    expect(vectorize((a: number, b: number) => a * b, { identity: 1 }).reduce(zeros([0]))).toBe(1);
    expect(sub.u.reduce(zeros([0]), { initial: 7 })).toBe(7);
    expectError(
      () => sub.u.reduce(zeros([0])),
      ValueError,
      'zero-size array to reduction operation sub which has no identity',
    );
    expectError(
      () => max.u.reduce(zeros([3, 0]), { axis: 1 }),
      ValueError,
      'zero-size array to reduction operation max which has no identity',
    );
    // np.maximum.reduce(np.zeros((0, 3)), axis=1) is an empty result, not an error.
    expect((max.u.reduce(zeros([0, 3]), { axis: 1 }) as NdArray).shape).toEqual([0]);
  });

  it('uses the identity as the start value (np.add.reduce([-0.0]) is 0.0)', () => {
    expect(Object.is(add.u.reduce(asarray([-0])), 0)).toBe(true);
    expect(Object.is(add.u.reduce(asarray([-0]), { initial: -0 }), -0)).toBe(true);
    expect(Object.is(sub.u.reduce(asarray([-0])), -0)).toBe(true);
  });

  it('follows the NumPy documentation examples', () => {
    // np.add.reduce(np.arange(24).reshape(2,3,4), axis=(0,2), keepdims=True)
    const a = fromValues(
      Array.from({ length: 24 }, (_, i) => i),
      [2, 3, 4],
      'int32',
    );
    expect(toNested(add.u.reduce(a, { axis: [0, 2], keepdims: true }) as NdArray)).toEqual([
      [[60], [92], [124]],
    ]);
    expect(toNested(add.u.reduce(a, { axis: -1, initial: 100 }) as NdArray)).toEqual([
      [106, 122, 138],
      [154, 170, 186],
    ]);
    const w = asarray([true, false, true, false]);
    expect(toNested(add.u.reduce(a, { axis: 1, where: w }) as NdArray)).toEqual([
      [12, 0, 18, 0],
      [48, 0, 54, 0],
    ]);
    expect(max.u.reduce(a, { axis: null, where: w, initial: -1 })).toBe(22);
    // np.add.reduce(x, axis=(), initial=10) adds 10 to every element
    const plus10 = add.u.reduce(a.pick(0) as NdArray, { axis: [], initial: 10 }) as NdArray;
    expect(toNested(plus10)).toEqual([
      [10, 11, 12, 13],
      [14, 15, 16, 17],
      [18, 19, 20, 21],
    ]);
    // np.subtract.reduce([[1,2,3],[4,5,6]], axis=1) == [-4, -7]
    expect(
      toNested(
        sub.u.reduce(fromValues([1, 2, 3, 4, 5, 6], [2, 3], 'int32'), { axis: 1 }) as NdArray,
      ),
    ).toEqual([-4, -7]);
  });

  it('keeps the element dtype (np.add.reduce on int8 wraps) unless dtype widens it', () => {
    const a = asarray(new Int8Array([100, 100, 100]));
    expect(add.u.reduce(a)).toBe(44);
    expect(add.u.reduce(a, { dtype: 'int32' })).toBe(300);
    expect(add.u.reduce(asarray([true, true, true]))).toBe(3);
    expect(max.u.reduce(asarray([true, false]))).toBe(1);
    expect(add.u.reduce(asarray(new Uint8ClampedArray([200, 100])))).toBe(255);
    expect(add.u.reduce(asarray(new Float32Array([16777216, 1, 1])))).toBe(16777216);
  });

  it('rejects duplicate and out-of-range axes and bad options', () => {
    const a = zeros([2, 3]);
    expectError(() => add.u.reduce(a, { axis: [0, -2] }), ValueError, "duplicate value in 'axis'");
    expectError(
      () => add.u.reduce(a, { axis: 2 }),
      AxisError,
      'axis 2 is out of bounds for array of dimension 2',
    );
    expectError(
      () => add.u.reduce(a, { axis: -3 }),
      AxisError,
      'axis -3 is out of bounds for array of dimension 2',
    );
    expectError(
      () => add.u.reduce(a, { axis: 0.5 }),
      TypeError,
      'axis must be an integer; got 0.5',
    );
    expectError(
      () => add.u.reduce(a, { axis: '0' as never }),
      TypeError,
      'axis must be an integer; got string',
    );
  });
});
