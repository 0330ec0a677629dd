/**
 * One test per error of guvectorize. Shape errors carry NumPy's texts (checked against
 * NumPy 2.4's own gufuncs with the same layouts: inner1d, matrix_multiply, cross1d,
 * euclidean_pdist, matmul), and nothing is written into `out` before an error.
 */
import { describe, expect, it } from 'vitest';
import {
  asarray,
  BroadcastError,
  CompileError,
  guvectorize,
  type NdArray,
  ValueError,
  type View,
  zeros,
} from '../../../src/index.js';
import { expectError, snapshot } from '../../support.js';

const ones = (shape: number[]) => {
  const a = zeros(shape);
  (a.data as Float64Array).fill(1);
  return a;
};

const inner1d = guvectorize(
  (x: View, y: View) => {
    let s = 0;
    for (let i = 0; i < x.shape[0]; i++) s += x.get(i) * y.get(i);
    return s;
  },
  '(i),(i)->()',
  { name: 'inner1d' },
);
const matrixMultiply = guvectorize(
  (a: View, b: View, c: View) => {
    for (let i = 0; i < a.shape[0]; i++)
      for (let j = 0; j < b.shape[1]; j++) {
        let s = 0;
        for (let k = 0; k < a.shape[1]; k++) s += a.get(i, k) * b.get(k, j);
        c.set(i, j, s);
      }
  },
  '(m,n),(n,p)->(m,p)',
  { name: 'matrix_multiply' },
);

/** The message for an out of the wrong shape: a plain sentence, then NumPy's own text. */
function plainOut(sentence: string, numpy: string): string {
  return `${sentence} Pass an out of that shape, or leave out out to get a new array. (NumPy: ${numpy})`;
}

describe('shape errors (NumPy texts)', () => {
  it('core dim mismatch', () => {
    expectError(
      () => inner1d(ones([4]), ones([3])),
      ValueError,
      'inner1d: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature (i),(i)->() (size 3 is different from 4)',
    );
  });

  it('core dims are checked before loop dims broadcast', () => {
    expectError(
      () => inner1d(ones([2, 4]), ones([5, 1, 3])),
      ValueError,
      'inner1d: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature (i),(i)->() (size 3 is different from 4)',
    );
  });

  it('not enough dimensions', () => {
    expectError(
      () => matrixMultiply(ones([2, 3]), ones([3])),
      ValueError,
      'matrix_multiply: Input operand 1 does not have enough dimensions (has 1, gufunc core with signature (m,n),(n,p)->(m,p) requires 2)',
    );
  });

  it('a fixed core dim of another size', () => {
    const cross1d = guvectorize(
      (a: View, b: View, c: View) => {
        c.set(0, a.get(1) * b.get(2) - a.get(2) * b.get(1));
        c.set(1, a.get(2) * b.get(0) - a.get(0) * b.get(2));
        c.set(2, a.get(0) * b.get(1) - a.get(1) * b.get(0));
      },
      '(3),(3)->(3)',
      { name: 'cross1d' },
    );
    expectError(
      () => cross1d(ones([3]), ones([4])),
      ValueError,
      'cross1d: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature (3),(3)->(3) (size 4 is different from 3)',
    );
  });

  it('an output-only dim without out', () => {
    const pdist = guvectorize(
      (x: View, d: View) => {
        d.set(0, x.shape[0]);
      },
      '(n,d)->(p)',
      { name: 'euclidean_pdist' },
    );
    expectError(
      () => pdist(ones([4, 2])),
      ValueError,
      'euclidean_pdist: Output operand 0 has core dimension 0 unspecified, with gufunc signature (n,d)->(p)',
    );
  });

  it('loop dims that do not broadcast', () => {
    const e = expectError(
      () => matrixMultiply(ones([2, 2, 3]), ones([3, 3, 4])),
      BroadcastError,
      'operands could not be broadcast together with remapped shapes [original->remapped]: (2,2,3)->(2,newaxis,newaxis) (3,3,4)->(3,newaxis,newaxis)  and requested shape (2,4)',
    );
    expect(e).toBeInstanceOf(ValueError);
  });

  it("out's loop dims that do not broadcast with the inputs'", () => {
    expectError(
      () => inner1d(ones([2, 3]), ones([2, 3]), { out: ones([3]) }),
      BroadcastError,
      plainOut(
        "inner1d: out has shape (3,), but this call writes shape (2,): the inputs' loop dims (2,) followed by output 0's core dims () of layout '(i),(i)->()'.",
        'operands could not be broadcast together with remapped shapes [original->remapped]: (2,3)->(2,) (2,3)->(2,) (3,)->(3,)  and requested shape ()',
      ),
    );
  });

  it('an out that would need broadcasting', () => {
    expectError(
      () => matrixMultiply(ones([5, 2, 3]), ones([3, 4]), { out: ones([1, 2, 4]) }),
      ValueError,
      plainOut(
        "matrix_multiply: out has shape (1,2,4), but this call writes shape (5,2,4): the inputs' loop dims (5,) followed by output 0's core dims (2,4) of layout '(m,n),(n,p)->(m,p)'.",
        "non-broadcastable output operand with shape (1,2,4) [remapped to (4,2,1)] doesn't match the broadcast shape (5,2,4)",
      ),
    );
  });

  it('an out with too few loop dims', () => {
    expectError(
      () => inner1d(ones([5, 3]), ones([3]), { out: ones([]) }),
      ValueError,
      plainOut(
        "inner1d: out has shape (), but this call writes shape (5,): the inputs' loop dims (5,) followed by output 0's core dims () of layout '(i),(i)->()'.",
        'output operand requires a reduction along dimension -1, but the reduction is not enabled. The dimension size of 1 does not match the expected output shape.',
      ),
    );
  });

  it("an out whose core dims don't match", () => {
    expectError(
      () => matrixMultiply(ones([2, 3]), ones([3, 4]), { out: ones([2, 5]) }),
      ValueError,
      plainOut(
        "matrix_multiply: out has shape (2,5), but this call writes shape (2,4): the inputs' loop dims () followed by output 0's core dims (2,4) of layout '(m,n),(n,p)->(m,p)'.",
        'matrix_multiply: Output operand 0 has a mismatch in its core dimension 1, with gufunc signature (m,n),(n,p)->(m,p) (size 5 is different from 4)',
      ),
    );
  });

  it('optional dims: a 0-d operand, and an out missing a present dim', () => {
    const matmul = guvectorize(
      (a: View, b: View, c: View) => {
        c.set(0, 0, a.get(0, 0) * b.get(0, 0));
      },
      '(m?,n),(n,p?)->(m?,p?)',
      { name: 'matmul' },
    );
    expectError(
      () => matmul(ones([]), ones([3, 2])),
      ValueError,
      'matmul: Input operand 0 does not have enough dimensions (has 0, gufunc core with signature (m?,n),(n,p?)->(m?,p?) requires 1)',
    );
    expectError(
      () => matmul(ones([2, 3]), ones([3]), { out: ones([2, 1]) }),
      ValueError,
      plainOut(
        "matmul: out has shape (2,1), but this call writes shape (2,): the inputs' loop dims () followed by output 0's core dims (2,) of layout '(m?,n),(n,p?)->(m?,p?)'.",
        'matmul: Output operand 0 has a mismatch in its core dimension 0, with gufunc signature (m?,n),(n,p?)->(m?,p?) (size 1 is different from 2)',
      ),
    );
  });

  it('writes nothing into out when a call fails', () => {
    const out = ones([2, 4]);
    const before = snapshot(out);
    expect(() => matrixMultiply(ones([2, 3]), ones([4, 4]), { out })).toThrow(ValueError);
    expect(() => matrixMultiply(ones([2, 3]), ones([3, 4]), { out: [out, out] })).toThrow(
      TypeError,
    );
    expect(() =>
      matrixMultiply(ones([2, 3]), ones([3, 4]), { out: zeros([2, 4], 'int8') }),
    ).toThrow(TypeError);
    expect(snapshot(out)).toEqual(before);
  });
});

describe('layout errors (NumPy texts)', () => {
  const f = (x: View, y: View) => x.get(0) + y.get(0);
  it.each([
    ['(n),(n)->', `expect '(' at position 9 in "(n),(n)->"`],
    ['(n,),(n)->()', `',' must not be followed by ')' at position 3 in "(n,),(n)->()"`],
    ['(0),(n)->()', 'expect dimension name or non-zero frozen size at position 1 in "(0),(n)->()"'],
    ['(n?),(n)->()', '? must be used, name already seen with ? at position 6 in "(n?),(n)->()"'],
    ['(n m),(n)->()', `expect ',' or ')' at position 3 in "(n m),(n)->()"`],
    ['(n),(n->()', `expect ',' or ')' at position 6 in "(n),(n->()"`],
    ['(n),(n)', `expect '->' at position 7 in "(n),(n)"`],
  ])('%s', (layout, message) => {
    expectError(() => guvectorize(f, layout), ValueError, message);
  });

  it('a layout that is not a string', () => {
    expectError(() => guvectorize(f, 3 as never), TypeError, /layout must be a string/);
  });
});

describe('construction and call errors', () => {
  const dot = (x: View, y: View) => x.get(0) * y.get(0);

  it('a kernel whose parameters fit neither form', () => {
    expectError(
      () => guvectorize((x: View) => x.get(0), '(n),(n)->()', { name: 'f' }),
      TypeError,
      "f: the kernel takes 1 parameter(s) but layout '(n),(n)->()' has 2 input(s) and 1 output(s): give it 3 (the inputs, then the output views) or 2 (and return the outputs)",
    );
  });

  it('targets other than cpu, and unknown options', () => {
    expectError(
      () => guvectorize(dot, '(n),(n)->()', { target: 'tpu' as never }),
      TypeError,
      `target must be 'cpu', 'parallel' or 'gpu'; got "tpu"`,
    );
    expectError(
      () => guvectorize(dot, '(n),(n)->()', { identity: 0 } as never),
      TypeError,
      "guvectorize: unknown option 'identity' (expected signatures, target, name, constants, boundscheck, functions)",
    );
  });

  it('a signature that does not fit the layout', () => {
    expectError(
      () => guvectorize(dot, '(n),(n)->()', { signatures: ['void(float64[:], float64, float64)'] }),
      TypeError,
      `signature "void(float64[:], float64, float64)" does not fit layout '(n),(n)->()': argument 2 has 0 dim(s) but the layout gives it (n)`,
    );
    expectError(
      () => guvectorize(dot, '(n),(n)->()', { signatures: ['void(float64[:], float64[:])'] }),
      TypeError,
      /lists 2 argument\(s\); the layout has 2 input\(s\) and 1 output\(s\)/,
    );
    expectError(
      () => guvectorize(dot, '(n),(n)->()', { signatures: ['float128(float64[:], float64[:])'] }),
      TypeError,
      /^return type in signature .* must be one of/,
    );
  });

  it('no signature accepting the inputs', () => {
    const g = guvectorize(dot, '(n),(n)->()', {
      name: 'g',
      signatures: ['float32(float32[:], float32[:])'],
    });
    expectError(
      () => g(zeros([2], 'float64'), zeros([2], 'float32')),
      TypeError,
      "ufunc 'g' has no loop for input types (float64, float32): no signature in [float32,float32->float32] accepts them by safe casting",
    );
  });

  it('an out of a dtype the result cannot be cast to', () => {
    expectError(
      () =>
        guvectorize(dot, '(n),(n)->()', { name: 'h' })(ones([2]), ones([2]), {
          out: zeros([], 'int32'),
        }),
      TypeError,
      "Cannot cast ufunc 'h' output from float64 to int32 with casting rule 'same_kind'",
    );
  });

  it('a wrong number of arguments, bad options', () => {
    const g = guvectorize(dot, '(n),(n)->()', { name: 'g' });
    expectError(
      () => g(ones([2])),
      TypeError,
      'g() takes 2 input(s) (and an optional options object), got 1 argument(s)',
    );
    expectError(
      () => g(ones([2]), ones([2]), { where: true } as never),
      TypeError,
      /unknown option 'where'/,
    );
    expectError(
      () => g(ones([2]), ones([2]), { out: [1] as never }),
      TypeError,
      'g: out must be an ndarray, not a plain JS array; allocate one with zeros(shape, dtype) or wrap existing values with asarray([...])',
    );
  });

  it('an integer JS scalar out of the range of an integer array (NumPy: OverflowError)', () => {
    const add = guvectorize((x: View, s: number, o: View) => o.set(0, x.get(0) + s), '(n),()->(n)');
    expectError(
      () => add(asarray(new Int8Array([1])), 300),
      RangeError,
      /300 is out of bounds for int8/,
    );
  });
});

describe('kernel compile errors', () => {
  const compile =
    (fn: (...a: never[]) => unknown, layout = '(n)->(n)') =>
    () =>
      guvectorize(fn, layout, { name: 'k' });

  it.each<[string, (...a: never[]) => unknown, RegExp]>([
    ['a view used as a number', (x: View, o: View) => o.set(0, x as never), /'x' is a view/],
    [
      'writing an input',
      (x: View, o: View) => x.set(0, o.get(0)),
      /'x' is an input view: only outputs can be written/,
    ],
    [
      'the wrong number of indices',
      (x: View, o: View) => o.set(0, x.get(0, 1)),
      /'x.get' takes 1 index\(es\), one per core dim; got 2/,
    ],
    [
      'a fractional index',
      (x: View, o: View) => o.set(0, x.get(0.5)),
      /an index of view 'x' must be an integer, not wfloat/,
    ],
    [
      'indexing with brackets',
      (x: View, o: View) => o.set(0, (x as never as number[])[0]),
      /index a view with x.get\(i, …\)/,
    ],
    [
      'a computed shape index',
      (x: View, o: View) => {
        const k = 0;
        o.set(0, x.shape[k]);
      },
      /'x.shape\[…\]' needs a constant index from 0 to 0/,
    ],
    [
      'an unknown view method',
      (x: View, o: View) => o.set(0, (x as never as { sum(): number }).sum()),
      /views have no method 'sum'/,
    ],
    [
      'returning a value from an output-view kernel',
      (x: View, o: View) => {
        o.set(0, 1);
        return x.get(0);
      },
      /must not return a value/,
    ],
  ])('%s', (_, fn, message) => {
    expectError(compile(fn), CompileError, message);
  });

  it('a free variable, which must come in as a constant', () => {
    const scale = 2;
    expectError(
      compile((x: View, o: View) => o.set(0, x.get(0) * scale)),
      CompileError,
      'k: the kernel reads scale from its enclosing scope; pass it as constants: { scale: … }',
    );
    const g = guvectorize((x: View, o: View) => o.set(0, x.get(0) * scale), '(n)->(n)', {
      constants: { scale },
    });
    expect(Array.from((g(asarray([3])) as NdArray).data as Float64Array)).toEqual([6]);
  });

  it('returning fewer values than outputs', () => {
    expectError(
      compile((x: View) => x.get(0), '(n)->(),()'),
      CompileError,
      "k: the kernel returns 1 value(s) but layout '(n)->(),()' has 2 output(s)",
    );
  });
});
