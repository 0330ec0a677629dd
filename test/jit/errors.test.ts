/** Every jit error: what it says, and that nothing is half-written. */
import { describe, expect, it } from 'vitest';
import {
  asarray,
  CompileError,
  jit,
  type NdArray,
  prange,
  toNested,
  ValueError,
  zeros,
} from '../../src/index.js';
import { expectError, thrown } from '../support.js';

/** A dispatcher called with arguments its types forbid: what these tests are about. */
const loosely = (f: unknown) => f as (...args: unknown[]) => unknown;

describe('bad arguments', () => {
  it('an argument that is not an array, number or boolean is a TypeError naming it', () => {
    const f = jit((a: NdArray) => a.get(0));
    expectError(() => loosely(f)('abc'), TypeError, /argument 1 must be an ndarray.*got "abc"/);
    expectError(() => loosely(f)(null), TypeError, /argument 1 .* got null/);
    expectError(() => loosely(f)({}), TypeError, /argument 1/);
  });

  it('a wrong number of arguments is a TypeError', () => {
    const f = jit((a: number, b: number) => a + b);
    expectError(() => loosely(f)(1), TypeError, /takes 2 argument\(s\), got 1/);
  });

  it('a rank the kernel cannot use is a CompileError naming the array type', () => {
    const f = jit((a: NdArray) => a.get(0));
    const e = expectError(
      () => f(zeros([2, 2])),
      CompileError,
      /'a.get' takes 2 index\(es\) for float64\[:, ::1\]; got 1/,
    );
    expect((e as CompileError).line).toBe(1);
  });

  it('an index that is not an integer is a CompileError', () => {
    const f = jit((a: NdArray, x: number) => a.get(x));
    expect(f(zeros(2), 1)).toBe(0);
    expectError(
      () => f(zeros(2), 0.5),
      CompileError,
      /index of 'a' must be an integer, not float64/,
    );
  });

  it('an array used as a number, or a number as an array', () => {
    expectError(
      () => jit((a: any) => a + 1)(zeros(2)),
      CompileError,
      /'a' is an array \(float64\[::1\]\), not a number/,
    );
    expectError(() => jit((a: NdArray) => a.get(0))(3), CompileError, /'a' is int64, not an array/);
  });
});

describe('kernels that cannot be typed', () => {
  it('names the variable, the two types and the line', () => {
    const f = jit((a: NdArray) => {
      let x = 0;
      if (a.size > 1) {
        x = a as never;
      }
      return x;
    });
    const e = expectError(
      () => f(zeros(3)),
      CompileError,
      /variable 'x' cannot hold both int64 and float64\[::1\]/,
    );
    expect((e as CompileError).line).toBe(4);
  });

  it('arrays of different dtypes in one variable', () => {
    const f = jit((a: NdArray, b: NdArray) => {
      let c = a;
      c = b;
      return c.get(0);
    });
    expect(f(zeros(1), zeros(1))).toBe(0);
    expectError(
      () => f(zeros(1), zeros(1, 'int32')),
      CompileError,
      /variable 'c' cannot hold both float64\[::1\] and int32\[::1\]/,
    );
  });

  it('returns of different kinds', () => {
    expectError(
      () =>
        jit((x: number) => {
          if (x > 0) return [x, x];
          return x;
        })(1),
      CompileError,
      /every return must give the same kind of result: a tuple of 2, not one value/,
    );
    expectError(
      () =>
        jit((x: number) => {
          if (x > 0) return zeros(2);
          return x;
        })(1),
      CompileError,
      /return value cannot be both float64\[::1\] and int64/,
    );
  });

  it('a free name that is not passed says to use constants or functions', () => {
    const limit = 3;
    const f = jit((x: number) => x + limit);
    expectError(
      () => f(1),
      CompileError,
      /'limit' is not defined inside the kernel: pass numbers and booleans with constants: \{ limit \} and jit functions or ufuncs with functions: \{ limit \}/,
    );
    expect(jit((x: number) => x + limit, { constants: { limit } })(1)).toBe(4);
    const helper = (x: number) => x * 2;
    expectError(
      () => jit((x: number) => helper(x))(1),
      CompileError,
      /call of unknown function 'helper'.*functions: \{ name \}/,
    );
  });

  it('unsupported constructs name themselves and their line', () => {
    const cases: [Function, RegExp][] = [
      [(a: any) => a[0], /index arrays with a\.get/],
      [
        (a: any) => {
          a[0] = 1;
        },
        /write array elements with a\.set/,
      ],
      [(x: number) => 'x' + x, /unsupported literal string/],
      [
        (x: number) => {
          switch (x) {
            default:
              return 1;
          }
        },
        /unsupported statement: switch statement/,
      ],
      [(n: number) => zeros(n).get(0), /zeros\(…\) makes an array: assign it to a variable/],
      [(n: number) => zeros(n, 'int64' as never), /unknown dtype 'int64'/],
      [(a: NdArray) => a.shape, /'a.shape' is read as/],
      [(a: NdArray) => a.shape[2], /needs a constant index from 0 to 0/],
      [(a: any) => a.foo, /unsupported array property 'a.foo'/],
      [
        (a: any) => {
          for (const x of a) return x;
          return 0;
        },
        /for…of over a 2-d array/,
      ],
    ];
    for (const [fn, msg] of cases) {
      // Kernels of `a` get a 1-d array (a 2-d one for the for…of case), the others a number.
      const src = String(fn);
      const arg = !src.startsWith('(a') ? 3 : zeros(src.includes('of a') ? [2, 2] : [2]);
      const e = thrown(() => loosely(jit(fn as never))(arg));
      expect(e, src).toBeInstanceOf(CompileError);
      expect(e.message, src).toMatch(msg);
      expect((e as CompileError).line, src).toBeGreaterThan(0);
    }
  });

  it('a helper returning an array cannot be called from a kernel', () => {
    const make = jit((n: number) => zeros(n));
    const f = jit((n: number) => make(n), { functions: { make } });
    expectError(
      () => f(2),
      CompileError,
      /returns float64\[::1\]: a function called from a kernel must return one number or boolean/,
    );
  });
});

describe('options', () => {
  it('rejects unknown options, non-boolean flags and nopython: false', () => {
    const k = (x: number) => x;
    expectError(() => jit(k, { fastMath: true } as never), TypeError, /unknown option 'fastMath'/);
    expectError(
      () => jit(k, { boundscheck: 1 } as never),
      TypeError,
      /boundscheck must be a boolean/,
    );
    expectError(
      () => jit(k, { parallel: 'yes' } as never),
      TypeError,
      /parallel must be a boolean/,
    );
    expectError(() => jit(k, { nopython: false }), TypeError, /object mode/);
    expectError(() => jit('x' as never), TypeError, /must be a function/);
    expect(jit(k, { nopython: true, cache: true, fastmath: true, parallel: false })(2)).toBe(2);
  });

  it('rejects bad signatures', () => {
    const k = (x: number) => x;
    expectError(() => jit(k, { signatures: [] }), TypeError, /non-empty array/);
    expectError(() => jit(k, { signatures: ['float64(foo)'] }), TypeError, /unknown type 'foo'/);
    expectError(() => jit(k, { signatures: ['float64'] }), TypeError, /argument list/);
    expectError(() => jit(k, { signatures: ['int64[:](float64)'] }), TypeError, /no int64 dtype/);
    expectError(
      () => jit(k, { signatures: ['(float64, float64)'] }),
      TypeError,
      /has 2 argument\(s\) but/,
    );
    expectError(
      () => jit((x: number) => [x, x], { signatures: ['float64(float64)'] }),
      CompileError,
      /returns Tuple\(float64, float64\) but its signature declares float64/,
    );
  });

  it('rejects functions that are not jit functions or ufuncs', () => {
    expectError(
      () => jit((x: number) => x, { functions: { h: (x: number) => x } as never }),
      TypeError,
      /functions\.h must be a numbats jit function or vectorize ufunc; got a plain function/,
    );
  });
});

describe('nothing is half-written', () => {
  it('a compile error leaves every argument untouched', () => {
    const f = jit((out: NdArray, n: number) => {
      for (let i = 0; i < out.shape[0]; i++) out.set(i, 1);
      let x = 0;
      if (n > 0) x = out as never;
      return x;
    });
    const out = zeros(3);
    expect(() => f(out, 1)).toThrow(CompileError);
    expect(toNested(out)).toEqual([0, 0, 0]);
  });

  it('a negative shape raises before the loop that writes', () => {
    const f = jit((out: NdArray, n: number) => {
      const tmp = zeros(n);
      for (let i = 0; i < out.shape[0]; i++) out.set(i, tmp.size);
    });
    const out = asarray([5, 5]);
    expectError(() => f(out, -1), ValueError, /negative dimensions are not allowed/);
    expect(toNested(out)).toEqual([5, 5]);
  });

  it('a zero prange step is a ValueError', () => {
    const f = jit((n: number, s: number) => {
      let c = 0;
      for (const i of prange(0, n, s)) c += i;
      return c;
    });
    expectError(() => f(3, 0), ValueError, /step must not be zero/);
  });
});
