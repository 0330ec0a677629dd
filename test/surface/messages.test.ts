/** Regression tests for error messages that misled a first-time user: each says what to do. */
import { describe, expect, it } from 'vitest';
import {
  asarray,
  CompileError,
  guvectorize,
  type NdArray,
  stencil,
  ValueError,
  type View,
  vectorize,
  zeros,
} from '../../src/index.js';
import { expectError, snapshot } from '../support.js';

const plainArray =
  'out must be an ndarray, not a plain JS array; allocate one with zeros(shape, dtype) or wrap existing values with asarray([...])';

describe('messages that say what to do', () => {
  it('out: [0, 0] (a plain array) asks for an ndarray', () => {
    const add = vectorize((a: number, b: number) => a + b, { name: 'add' });
    expectError(
      () => add(asarray([1, 2]), 1, { out: [0, 0] as never }),
      TypeError,
      `add: ${plainArray}`,
    );
    const two = vectorize((a: number) => [a, -a], { name: 'two' });
    expectError(
      () => two(asarray([1, 2]), { out: [0, 0] as never }),
      TypeError,
      'two: out must be an ndarray (or a list of 2 ndarrays, one per output), not a plain JS array; allocate one with zeros(shape, dtype) or wrap existing values with asarray([...])',
    );
    const g = guvectorize((x: View) => x.get(0), '(n)->()', { name: 'g' });
    expectError(() => g(zeros([2, 3]), { out: [0, 0] as never }), TypeError, `g: ${plainArray}`);
  });

  it("Numba's a[0, 1] in a stencil suggests a(0, 1)", () => {
    expectError(
      () => stencil((a: number[][]) => a[0][1] as never),
      CompileError,
      /^stencil inputs are read with a call of relative offsets, a\(0, 1\), not indexed like Numba's a\[0, 1\] \(line 1, column \d+\)$/,
    );
    expectError(
      () => stencil((u: number[]) => (u[-1] + 1) as never),
      CompileError,
      /u\(-1\), not indexed like Numba's u\[-1\]/,
    );
  });

  it('a BigInt64Array says int64 is not a numbats dtype and how to convert', () => {
    const f = vectorize((x: number) => x + 1);
    expectError(
      () => f(new BigInt64Array(2) as never),
      TypeError,
      'BigInt64Array holds 64-bit integers, and int64/uint64 are not numbats dtypes (JS numbers are exact to 2^53). Convert it: Float64Array.from(x, Number) keeps every integer up to 2^53 exactly, or Int32Array.from(x, Number) when the values fit int32',
    );
  });

  it('a gufunc out of the wrong loop shape is a plain sentence, and is not written', () => {
    const rowDot = guvectorize((x: View, y: View) => x.get(0) * y.get(0), '(n),(n)->()', {
      name: 'rowDot',
    });
    const out: NdArray = zeros([5]);
    const before = snapshot(out);
    expectError(
      () => rowDot(zeros([4, 3]), zeros([3]), { out }),
      ValueError,
      /^rowDot: out has shape \(5,\), but this call writes shape \(4,\): the inputs' loop dims \(4,\) followed by output 0's core dims \(\) of layout '\(n\),\(n\)->\(\)'\. Pass an out of that shape, or leave out out to get a new array\. \(NumPy: operands could not be broadcast together/,
    );
    expect(snapshot(out)).toEqual(before);
    const mm = guvectorize(
      (a: View, b: View, c: View) => c.set(0, 0, a.get(0, 0) * b.get(0, 0)),
      '(m,n),(n,p)->(m,p)',
      { name: 'mm' },
    );
    expectError(
      () => mm(zeros([2, 3]), zeros([3, 4]), { out: zeros([2, 5]) }),
      ValueError,
      /^mm: out has shape \(2,5\), but this call writes shape \(2,4\): the inputs' loop dims \(\) followed by output 0's core dims \(2,4\)/,
    );
  });
});
