/**
 * Every error a ufunc method throws, with its class and message, and the guarantee that
 * nothing is written into a user's `out` array before the error.
 */
import { describe, expect, it } from 'vitest';
import { fromValues } from '../../src/testing/index.js';
import { expectError, snapshot } from '../support.js';
import {
  AxisError,
  asarray,
  BroadcastError,
  type NdArray,
  ValueError,
  vectorize,
  zeros,
} from './imports.js';
import { add, max, sub } from './kernels.js';

type ErrorClass = abstract new (...args: never[]) => Error;

/** An out array full of a sentinel, to check that a failing call leaves it alone. */
function sentinel(shape: number[], dtype: 'float64' | 'int32' = 'float64'): NdArray {
  const n = shape.reduce((x, y) => x * y, 1);
  return fromValues(new Array(n).fill(-7), shape, dtype);
}

/** Runs `f`, expects the error, and checks `out` was not touched. */
function failsCleanly(out: NdArray, f: () => unknown, cls: ErrorClass, message: string | RegExp) {
  const before = snapshot(out);
  expectError(f, cls, message);
  expect(snapshot(out)).toEqual(before);
}

const a43 = zeros([4, 3]);
const a4 = zeros([4]);

describe('call errors', () => {
  it('broadcast errors name every shape like NumPy', () => {
    expectError(
      () => add.u(a43, a4),
      BroadcastError,
      'operands could not be broadcast together with shapes (4,3) (4,) ',
    );
    expectError(
      () => add.u(a43, zeros([3]), { where: zeros([2], 'bool') }),
      ValueError,
      'operands could not be broadcast together with shapes (4,3) (3,) (2,) ',
    );
    const out = sentinel([4, 3]);
    failsCleanly(out, () => add.u(a43, a4, { out }), BroadcastError, /could not be broadcast/);
  });

  it('rejects an out that is not the broadcast shape', () => {
    for (const shape of [[3], [4, 1], [2, 4, 3], [3, 4]]) {
      const out = sentinel(shape);
      if (shape.length === 3) {
        // A larger out is fine (NumPy broadcasts the inputs to it).
        add.u(a43, 1, { out });
        continue;
      }
      failsCleanly(
        out,
        () => add.u(a43, 1, { out }),
        ValueError,
        `non-broadcastable output operand with shape (${shape.join(',')}${shape.length === 1 ? ',' : ''}) doesn't match the broadcast shape (4,3)`,
      );
    }
    const sumDiff = vectorize((x: number, y: number) => [x + y, x - y]);
    const o1 = sentinel([4, 3]);
    const o2 = sentinel([3]);
    failsCleanly(
      o1,
      () => sumDiff(a43, 1, { out: [o1, o2] }),
      ValueError,
      /non-broadcastable output operand with shape \(3,\)/,
    );
  });

  it("rejects an out the result cannot be cast into ('same_kind')", () => {
    const out = sentinel([4], 'int32');
    failsCleanly(
      out,
      () => add.u(a4, 1, { out }),
      TypeError,
      "Cannot cast ufunc 'add' output from dtype('float64') to dtype('int32') with casting rule 'same_kind'",
    );
    const b = fromValues([0, 0, 0, 0], [4], 'bool');
    failsCleanly(
      b,
      () => add.u(asarray(new Int8Array(4)), 1, { out: b }),
      TypeError,
      /from dtype\('int8'\) to dtype\('bool'\)/,
    );
  });

  it('checks the number of inputs and outputs', () => {
    expectError(
      () => (add.u as (...a: unknown[]) => unknown)(a4),
      TypeError,
      'add() takes 2 input(s) (and an optional options object), got 1 argument(s)',
    );
    expectError(
      () => (add.u as (...a: unknown[]) => unknown)(a4, a4, a4, {}),
      TypeError,
      'add() takes 2 input(s) (and an optional options object), got 4 argument(s)',
    );
    expectError(
      () => (add.u as (...a: unknown[]) => unknown)(a4, a4, 3),
      TypeError,
      'add() takes 2 input(s) (and an optional options object), got 3 argument(s)',
    );
    const sumDiff = vectorize((x: number, y: number) => [x + y, x - y]);
    const out = sentinel([4]);
    failsCleanly(
      out,
      () => sumDiff(a4, 1, { out }),
      TypeError,
      'ufunc: out must give 2 array(s), got 1',
    );
  });

  it('checks option keys and values', () => {
    expectError(
      () => add.u(a4, 1, { axis: 0 } as never),
      TypeError,
      "add: unknown option 'axis' (expected out, where, dtype, casting)",
    );
    expectError(
      () => add.u(a4, 1, { out: [1] as never }),
      TypeError,
      'add: out must be an ndarray, not a plain JS array; allocate one with zeros(shape, dtype) or wrap existing values with asarray([...])',
    );
    expectError(
      () => add.u(a4, 1, { out: [a4, a4] }),
      TypeError,
      'add: out must give 1 array(s), got 2',
    );
    expectError(
      () => add.u(a4, 1, { out: new Float64Array(4) as never }),
      TypeError,
      'out must be an ndarray; got [object Float64Array]',
    );
    expectError(
      () => add.u(a4, 1, { dtype: 'int64' as never }),
      TypeError,
      /^dtype must be one of .*; got "int64"$/,
    );
    expectError(
      () => add.u(a4, 'x' as never),
      TypeError,
      'expected an ndarray, TypedArray, number, boolean or nested array; got "x"',
    );
  });

  it('rejects weak integers out of range for the array dtype', () => {
    const out = sentinel([2], 'int32');
    failsCleanly(
      out,
      () => add.u(asarray(new Int8Array(2)), 300, { out }),
      RangeError,
      'JS integer 300 is out of bounds for int8 (NumPy 2 raises OverflowError here)',
    );
    expectError(
      () => add.u(asarray(new Uint8Array(2)), -1),
      RangeError,
      /JS integer -1 is out of bounds for uint8/,
    );
  });
});

describe('reduce errors', () => {
  it('throws NumPy errors before writing into out', () => {
    const cases: [() => unknown, ErrorClass, string | RegExp, NdArray][] = [];
    const o3 = sentinel([3]);
    cases.push([
      () => sub.u.reduce(zeros([0, 3]), { out: o3 }),
      ValueError,
      'zero-size array to reduction operation sub which has no identity',
      o3,
    ]);
    const o0 = sentinel([]);
    cases.push([
      () => sub.u.reduce(a43, { axis: [0, 1], out: o0 }),
      ValueError,
      "reduction operation 'sub' is not reorderable, so at most one axis may be specified",
      o0,
    ]);
    const o4 = sentinel([4]);
    cases.push([
      () => add.u.reduce(a43, { axis: 2, out: o4 }),
      AxisError,
      'axis 2 is out of bounds for array of dimension 2',
      o4,
    ]);
    cases.push([
      () => add.u.reduce(a43, { axis: [1, 1], out: o4 }),
      ValueError,
      "duplicate value in 'axis'",
      o4,
    ]);
    cases.push([
      () => add.u.reduce(a43, { axis: 0, out: o4 }),
      ValueError,
      'output parameter for reduction operation add has the wrong shape: expected (3,), got (4,)',
      o4,
    ]);
    const oi = sentinel([3], 'int32');
    cases.push([
      () => add.u.reduce(a43, { out: oi }),
      TypeError,
      "Cannot cast ufunc 'add' output from float64 to int32 with casting rule 'same_kind'",
      oi,
    ]);
    cases.push([
      () => sub.u.reduce(a43, { where: asarray([true, false, true]), out: o3 }),
      ValueError,
      "reduction operation 'sub' does not have an identity, so to use a where mask one has to specify 'initial'",
      o3,
    ]);
    cases.push([
      () => add.u.reduce(a43, { where: asarray([true, false]), out: o3 }),
      ValueError,
      'where mask of shape (2,) cannot be broadcast to the input shape (4,3)',
      o3,
    ]);
    cases.push([
      () => add.u.reduce(a43, { keepdims: 1 as never, out: o3 }),
      TypeError,
      'add.reduce: keepdims must be a boolean',
      o3,
    ]);
    cases.push([
      () => add.u.reduce(a43, { initial: '0' as never, out: o3 }),
      TypeError,
      'add.reduce: initial must be a number',
      o3,
    ]);
    cases.push([
      () => add.u.reduce(a43, { axes: 0, out: o3 } as never),
      TypeError,
      "add.reduce: unknown option 'axes' (expected axis, keepdims, initial, where, dtype, out)",
      o3,
    ]);
    cases.push([
      () => add.u.reduce(a43, 0 as never),
      TypeError,
      'add.reduce: options must be an object',
      o3,
    ]);
    cases.push([
      () => add.u.reduce(a43, { out: 3 as never }),
      TypeError,
      'out must be an ndarray; got 3',
      o3,
    ]);
    for (const [f, cls, msg, out] of cases) failsCleanly(out, f, cls, msg);
  });

  it('needs a binary ufunc with one output', () => {
    const neg = vectorize((x: number) => -x);
    expectError(() => neg.reduce(a4), ValueError, 'reduce only supported for binary functions');
    expectError(
      () => neg.accumulate(a4),
      ValueError,
      'accumulate only supported for binary functions',
    );
    expectError(
      () => neg.reduceat(a4, [0]),
      ValueError,
      'reduceat only supported for binary functions',
    );
    const two = vectorize((x: number, y: number) => [x, y]);
    expectError(() => two.reduce(a4), ValueError, 'reduce only supported for binary functions');
  });

  it('needs a (T, T) -> T loop among the signatures', () => {
    const cmp = vectorize((x: number, y: number) => x < y, {
      signatures: ['bool(float64, float64)'],
      name: 'lt',
    });
    expectError(
      () => cmp.reduce(a4),
      TypeError,
      "ufunc 'lt' has no loop of the form (T, T) -> T for reducing float64",
    );
    expect(max.u.reduce(asarray([1, 3, 2]))).toBe(3);
  });
});

describe('accumulate / reduceat errors leave out untouched', () => {
  it('accumulate', () => {
    const oi = sentinel([4, 3], 'int32');
    failsCleanly(
      oi,
      () => add.u.accumulate(a43, { out: oi }),
      TypeError,
      /Cannot cast ufunc 'add' output from float64 to int32/,
    );
    const o = sentinel([3, 4]);
    failsCleanly(
      o,
      () => add.u.accumulate(a43, { out: o }),
      ValueError,
      'output parameter for accumulate has shape (3,4), expected (4,3)',
    );
    failsCleanly(
      o,
      () => add.u.accumulate(a43, { axis: -3, out: o }),
      AxisError,
      'axis -3 is out of bounds for array of dimension 2',
    );
    expectError(
      () => add.u.accumulate(a43, 5 as never),
      TypeError,
      'add.accumulate: options must be an object',
    );
  });

  it('reduceat', () => {
    const o = sentinel([2, 3]);
    failsCleanly(
      o,
      () => add.u.reduceat(a43, [0, 4], { out: o }),
      Error,
      'index 4 out-of-bounds in add.reduceat [0, 4)',
    );
    const oi = sentinel([2, 3], 'int32');
    failsCleanly(
      oi,
      () => add.u.reduceat(a43, [0, 2], { out: oi }),
      TypeError,
      /Cannot cast ufunc 'add' output from float64 to int32/,
    );
    expectError(
      () => add.u.reduceat(a43, [0], { initial: 0 } as never),
      TypeError,
      "add.reduceat: unknown option 'initial' (expected axis, dtype, out)",
    );
  });

  it('outer', () => {
    const o = sentinel([4, 2]);
    failsCleanly(
      o,
      () => add.u.outer(a4, zeros([3]), { out: o }),
      ValueError,
      /non-broadcastable output operand with shape \(4,2\) doesn't match the broadcast shape \(4,3\)/,
    );
    expectError(
      () => add.u.outer(a4, a4, { axis: 0 } as never),
      TypeError,
      "add: unknown option 'axis' (expected out, where, dtype, casting)",
    );
  });
});
