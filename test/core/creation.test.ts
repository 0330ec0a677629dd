/**
 * The creation and shape helpers against NumPy: golden values from
 * test/core/golden/make_helpers_golden.py (NumPy's int64 read as numbats' int32), and
 * fast-check properties from NumPy's documented definitions.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { castScalar } from '../../src/core/array.js';
import {
  AxisError,
  arange,
  asarray,
  concatenate,
  type DType,
  dtypeOf,
  eye,
  linspace,
  type NdArray,
  ravel,
  reshape,
  resultType,
  stack,
  toArray,
  ValueError,
  where,
} from '../../src/index.js';
import { ndarrayArb, shapeArb } from '../../src/testing/index.js';
import { expectError, runs } from '../support.js';
import golden from './golden/helpers.json' with { type: 'json' };

interface Arr {
  dtype: string;
  shape: number[];
  values: number[];
}

/** numbats' dtype for a NumPy result dtype (int64 → int32: every golden value fits). */
function dt(numpy: string): DType {
  return (numpy === 'int64' ? 'int32' : numpy) as DType;
}

function expectLike(a: NdArray, want: Arr): void {
  expect(a.shape).toEqual(want.shape);
  expect(dtypeOf(a)).toBe(dt(want.dtype));
  const got = toArray(a);
  // Exact: the helpers compute what NumPy computes, operation for operation.
  expect(got).toEqual(want.values.map((v) => (dtypeOf(a) === 'float32' ? Math.fround(v) : v)));
}

const arangeN = (shape: number[]) =>
  reshape(
    arange(
      shape.reduce((p, d) => p * d, 1),
      { dtype: 'float64' },
    ),
    shape,
  );

const TRANSFORMS: Record<string, (b: NdArray) => NdArray> = {
  b: (b) => b,
  'b.T': (b) => b.transpose(1, 0),
  'b[::2]': (b) => b.step(2),
  'b[:, 1:4]': (b) => b.lo(0, 1).hi(4, 3),
  'b[1:3]': (b) => b.lo(1).hi(2),
  'b.transpose(1, 0, 2)': (b) => b.transpose(1, 0, 2),
  'b[:, ::-1]': (b) => b.step(1, -1),
  'b[::-1]': (b) => b.step(-1),
  'b[:, :1]': (b) => b.hi(3, 1),
};

describe('arange, linspace, eye: NumPy golden values', () => {
  it('arange', () => {
    for (const c of golden.arange) {
      const a = c.args as number[];
      const r =
        a.length === 1
          ? arange(a[0])
          : a.length === 2
            ? arange(a[0], a[1])
            : arange(a[0], a[1], a[2]);
      expectLike(r, c.result);
    }
  });

  it('linspace', () => {
    for (const c of golden.linspace) {
      const [s, e, n] = c.args;
      const opts = { endpoint: c.endpoint, ...(c.dtype ? { dtype: c.dtype as DType } : {}) };
      expectLike(linspace(s, e, n, opts), c.result);
    }
  });

  it('eye', () => {
    for (const c of golden.eye) expectLike(eye(c.n, c.m ?? c.n, { k: c.k }), c.result);
  });
});

describe('reshape and ravel: values, and view exactly when NumPy gives one', () => {
  it('matches NumPy on strided, transposed and reversed views', () => {
    for (const c of golden.reshape) {
      const v = TRANSFORMS[c.transform](arangeN(c.base));
      const r = reshape(v, c.shape);
      expectLike(r, c.result);
      expect(r.data === v.data, `${c.transform} -> ${c.shape}`).toBe(c.view);
      const flat = ravel(v);
      expect(toArray(flat)).toEqual(toArray(v));
      expect(flat.data === v.data, `ravel ${c.transform}`).toBe(c.ravel_view);
    }
  });

  it('keeps C-order values for any view and shape (property)', () => {
    fc.assert(
      fc.property(
        ndarrayArb({ shape: shapeArb({ maxDims: 3, maxSide: 4 }) }),
        fc.nat(),
        (a, pick) => {
          const n = a.shape.reduce((p, d) => p * d, 1);
          const divisors = Array.from({ length: n }, (_, i) => i + 1).filter((d) => n % d === 0);
          const d = divisors.length ? divisors[pick % divisors.length] : 0;
          const shape = n === 0 ? [0, 3] : [d, -1];
          const r = reshape(a, shape);
          expect(toArray(r)).toEqual(toArray(a));
          expect(r.shape.reduce((p, x) => p * x, 1)).toBe(n);
          // A view writes through to `a`; a copy does not.
          if (r.data === a.data && n > 0) {
            const before = toArray(a)[0];
            const mark = before === 1 ? 0 : 1;
            r.set(...r.shape.map(() => 0), mark);
            expect(toArray(a)[0]).toBe(mark);
            a.set(...a.shape.map(() => 0), before);
          }
          expect(toArray(ravel(a))).toEqual(toArray(a));
        },
      ),
      runs(100),
    );
  });

  it("errors as NumPy's", () => {
    expectError(
      () => reshape(arange(6), [4]),
      ValueError,
      'cannot reshape array of size 6 into shape (4,)',
    );
    expectError(
      () => reshape(arange(6), [-1, -1]),
      ValueError,
      'can only specify one unknown dimension',
    );
    expectError(
      () => reshape(arange(6), [4, -1]),
      ValueError,
      'cannot reshape array of size 6 into shape (4,newaxis)',
    );
  });
});

describe('concatenate and stack', () => {
  const a23 = reshape(arange(6, { dtype: 'float64' }), [2, 3]);
  const b23 = reshape(arange(6, 12, { dtype: 'int16' }), [2, 3]);
  it('match NumPy golden values', () => {
    const [c0, c1, cm1, cNone, cMixed] = golden.concatenate;
    expectLike(concatenate([a23, b23]), c0.result);
    expectLike(concatenate([a23, b23], { axis: 1 }), c1.result);
    expectLike(concatenate([a23, b23.hi(2, 2)], { axis: -1 }), cm1.result);
    expectLike(concatenate([a23, b23.transpose(1, 0)], { axis: null }), cNone.result);
    expectLike(
      concatenate([asarray(new Int8Array([1, -2])), asarray(new Uint8Array([200]))]),
      cMixed.result,
    );
    const a2 = reshape(asarray(toArray(a23).map((v) => v * 2)), [2, 3]);
    for (const c of golden.stack) expectLike(stack([a23, b23, a2], { axis: c.axis }), c.result);
  });

  it('concatenate along axis 0 of 1-D arrays is the list join (property)', () => {
    fc.assert(
      fc.property(
        fc.array(ndarrayArb({ shape: shapeArb({ minDims: 1, maxDims: 1 }) }), {
          minLength: 1,
          maxLength: 4,
        }),
        (arrs) => {
          const r = concatenate(arrs);
          expect(toArray(r)).toEqual(arrs.flatMap((x) => toArray(x).map((v) => v)));
        },
      ),
      runs(60),
    );
  });

  it('stack(arrs, {axis})[…, i, …] is arrs[i] (property)', () => {
    fc.assert(
      fc.property(
        shapeArb({ maxDims: 2, maxSide: 3 }).chain((s) =>
          fc.tuple(
            fc.array(ndarrayArb({ shape: s, dtype: 'float64' }), { minLength: 1, maxLength: 3 }),
            fc.integer({ min: -(s.length + 1), max: s.length }),
          ),
        ),
        ([arrs, axis]) => {
          const r = stack(arrs, { axis });
          const ax = axis < 0 ? axis + arrs[0].shape.length + 1 : axis;
          expect(r.shape[ax]).toBe(arrs.length);
          arrs.forEach((x, i) => {
            const picks = r.shape.map((_, d) => (d === ax ? i : -1));
            expect(toArray(r.pick(...picks))).toEqual(toArray(x));
          });
        },
      ),
      runs(60),
    );
  });

  it("errors as NumPy's", () => {
    expectError(
      () => concatenate([a23, reshape(arange(8), [2, 4])]),
      ValueError,
      'all the input array dimensions except for the concatenation axis must match exactly, but along dimension 1, the array at index 0 has size 3 and the array at index 1 has size 4',
    );
    expectError(() => concatenate([]), ValueError, 'need at least one array to concatenate');
    expectError(
      () => stack([arange(3), arange(4)]),
      ValueError,
      'all input arrays must have the same shape',
    );
    expectError(
      () => concatenate([arange(3)], { axis: 1 }),
      AxisError,
      'axis 1 is out of bounds for array of dimension 1',
    );
    expectError(
      () => concatenate([arange(3), asarray([1.5])], { dtype: 'int32' }),
      TypeError,
      "Cannot cast array data from dtype('float64') to dtype('int32') according to the rule 'same_kind'",
    );
  });
});

describe('where(cond, a, b)', () => {
  it('matches NumPy golden values (NaN is true, -0 false; cond dtype does not promote)', () => {
    const cond = asarray([
      [1, 0, Number.NaN],
      [-0, 2, 0],
    ]);
    const [w0, w1, w2, w3] = golden.where;
    expectLike(where(cond, reshape(arange(6, { dtype: 'int8' }), [2, 3]), 0), w0.result);
    const isTrue = asarray([
      [true, false, true],
      [false, true, false],
    ]);
    const half = reshape(asarray(new Float32Array([0.5, 0.5])), [2, 1]);
    expectLike(where(isTrue, arange(3, { dtype: 'int8' }), half), w1.result);
    expectLike(
      where(
        asarray([[true], [false]]),
        arange(3, { dtype: 'uint8' }),
        asarray(new Int16Array([-1, -2, -3])),
      ),
      w2.result,
    );
    expectLike(where(asarray([true, false]), 1.5, asarray(new Int32Array([7, 8]))), w3.result);
    expect(where(true, 1, 2)).toBe(1);
  });

  it('is cond ? a : b elementwise with broadcasting (property)', () => {
    fc.assert(
      fc.property(
        shapeArb({ maxDims: 2, maxSide: 3 }).chain((s) =>
          fc.tuple(ndarrayArb({ shape: s }), ndarrayArb({ shape: s }), ndarrayArb({ shape: s })),
        ),
        ([c, a, b]) => {
          const r = where(c, a, b);
          const cv = toArray(c);
          const av = toArray(a);
          const bv = toArray(b);
          const rv = toArray(r);
          const t = dtypeOf(r);
          expect(t).toBe(resultType(dtypeOf(a), dtypeOf(b)));
          expect(rv).toEqual(cv.map((x, i) => castScalar(x !== 0 ? av[i] : bv[i], t)));
        },
      ),
      runs(60),
    );
  });

  it('needs three arguments', () => {
    expectError(
      () => (where as (...a: unknown[]) => unknown)(asarray([1])),
      TypeError,
      /where takes exactly 3 arguments/,
    );
  });
});
