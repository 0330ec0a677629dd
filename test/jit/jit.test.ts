/** The jit dispatcher: Numba's typing, versions, signatures, inspection and results. */
import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import {
  asarray,
  dtypeOf,
  empty,
  full,
  IndexError,
  jit,
  type NdArray,
  njit,
  prange,
  toNested,
  vectorize,
  zeros,
} from '../../src/index.js';
import { expectError } from '../support.js';

const f64 = (xs: number[]) => asarray(new Float64Array(xs));

describe('typing follows Numba', () => {
  it("the tutorials' double loop sum_numba(3000) gives 26991000000 (int64, no wrap)", () => {
    const sumNumba = jit((n: number) => {
      let s = 0;
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) s += i + j;
      return s;
    });
    expect(sumNumba(3000)).toBe(26991000000);
    expect(sumNumba.signatures).toEqual(['(int64) -> int64']);
  });

  it('integer arithmetic on elements is exact (int8 + int8, int32 * int32, int32 accumulators)', () => {
    const add = jit((a: NdArray, b: NdArray) => a.get(0) + b.get(0));
    expect(add(asarray(new Int8Array([127])), asarray(new Int8Array([127])))).toBe(254);
    const mul = jit((a: NdArray) => a.get(0) * a.get(1));
    expect(mul(asarray(new Int32Array([65536, 65536])))).toBe(4294967296);
    const acc = jit((a: NdArray) => {
      let s = 0;
      for (let i = 0; i < a.shape[0]; i++) s += a.get(i);
      return s;
    });
    expect(acc(asarray(new Int32Array([2 ** 31 - 1, 2 ** 31 - 1, 2 ** 31 - 1])))).toBe(
      3 * (2 ** 31 - 1),
    );
    expect(acc.inspectTypes()).toMatch(/s: int64/);
    const u8 = jit((a: NdArray) => a.get(0) - a.get(1));
    expect(u8(asarray(new Uint8Array([1, 2])))).toBe(-1);
  });

  it('float32 stays float32 between float32 values and meets integers as float64', () => {
    const a = asarray(new Float32Array([0.1, 0.2]));
    const sum32 = jit((x: NdArray) => x.get(0) + x.get(1));
    expect(sum32(a)).toBe(Math.fround(Math.fround(0.1) + Math.fround(0.2)));
    expect(sum32.signatures).toEqual(['(float32[::1]) -> float32']);
    const times = jit((x: NdArray) => x.get(0) * 3);
    expect(times(a)).toBe(Math.fround(0.1) * 3);
    expect(times.signatures).toEqual(['(float32[::1]) -> float64']);
    // A float32 accumulator started at the integer 0 is float64 (Numba unifies int64 with float32 as float64).
    const acc = jit((x: NdArray) => {
      let s = 0;
      for (let i = 0; i < x.shape[0]; i++) s += x.get(i);
      return s;
    });
    expect(acc(a)).toBe(Math.fround(0.1) + Math.fround(0.2));
    expect(acc.inspectTypes()).toMatch(/s: float64/);
  });

  it('Math functions of integers of any width are float64; of float32 stay float32', () => {
    const r = jit((a: NdArray) => [Math.sqrt(a.get(0)), Math.exp(a.get(1)), a.get(0) / a.get(1)]);
    expect(r(asarray(new Int8Array([2, 1])))).toEqual([Math.SQRT2, Math.E, 2]);
    expect(r.signatures).toEqual(['(int8[::1]) -> Tuple(float64, float64, float64)']);
    const s = jit((a: NdArray) => Math.sqrt(a.get(0)));
    expect(s(asarray(new Float32Array([2])))).toBe(Math.fround(Math.SQRT2));
  });

  it('stores convert like TypedArray stores; bool stores nonzero as 1', () => {
    const f = jit((v: number) => {
      const a = zeros(1, 'int8');
      const b = zeros(1, 'uint8_clamped');
      const c = zeros(1, 'bool');
      const d = zeros(1, 'float32');
      a.set(0, v);
      b.set(0, v);
      c.set(0, v);
      d.set(0, v / 3);
      return [a.get(0), b.get(0), c.get(0), d.get(0)];
    });
    expect(f(300)).toEqual([44, 255, true, Math.fround(100)]);
    expect(f(0)).toEqual([0, 0, false, 0]);
  });

  it('bool elements read as 0/1 in arithmetic and as truth values in conditions', () => {
    const f = jit((m: NdArray) => {
      let n = 0;
      let t = 0;
      for (let i = 0; i < m.shape[0]; i++) {
        n += m.get(i);
        if (m.get(i)) t++;
      }
      return [n, t];
    });
    expect(f(asarray([true, false, true]))).toEqual([2, 2]);
  });
});

describe('arguments and results', () => {
  it('takes ndarrays, TypedArrays, nested arrays, numbers and booleans', () => {
    const f = jit((a: NdArray, k: number, flip: boolean) => {
      let s = 0;
      for (let i = 0; i < a.size; i++) s += a.get(i) * k;
      return flip ? -s : s;
    });
    expect(f(new Float64Array([1, 2]), 2, false)).toBe(6);
    expect(f([1, 2, 3], 0.5, true)).toBe(-3);
    expect(f(f64([4]), 1, true)).toBe(-4);
  });

  it('returns numbers, booleans, ndarrays, tuples and nothing', () => {
    const isPos = jit((x: number) => x > 0);
    expect(isPos(2)).toBe(true);
    expect(isPos(-2)).toBe(false);
    const ramp = jit((n: number) => {
      const a = empty([n, 2], 'int32');
      for (let i = 0; i < n; i++) {
        a.set(i, 0, i);
        a.set(i, 1, -i);
      }
      return a;
    });
    const r = ramp(3) as NdArray;
    expect(toNested(r)).toEqual([
      [0, 0],
      [1, -1],
      [2, -2],
    ]);
    expect(r.data).toBeInstanceOf(Int32Array);
    const fill = jit((a: NdArray, v: number) => {
      for (let i = 0; i < a.shape[0]; i++) a.set(i, v);
    });
    const a = zeros(3);
    expect(fill(a, 7)).toBe(undefined);
    expect(toNested(a)).toEqual([7, 7, 7]);
    const pair = jit((n: number) => [full([n], 2.5), full(n, true), n * 2]);
    const [x, y, z] = pair(2) as [NdArray, NdArray, number];
    expect(toNested(x)).toEqual([2.5, 2.5]);
    expect(toNested(y)).toEqual([1, 1]);
    expect(z).toBe(4);
  });

  it('allocates with the shape of another array, a literal list, or a number', () => {
    const f = jit((a: NdArray) => {
      const [n, m] = a.shape;
      const b = zeros(a.shape, 'float32');
      const c = full([m, n], 1, 'int16');
      const d = zeros(n * m);
      return [b.shape[1], c.shape[0], d.size, b.shape.length];
    });
    expect(f(zeros([2, 5]))).toEqual([5, 5, 10, 2]);
  });

  it('C-contiguous views with an offset are read, written and returned in place', () => {
    const id = jit((a: NdArray) => a);
    const r = id(asarray([true, false, true, true]).lo(1)) as NdArray;
    expect(dtypeOf(r)).toBe('bool');
    expect(toNested(r)).toEqual([0, 1, 1]);
    const w = jit((a: NdArray) => {
      a.set(0, 7);
      return a.size;
    });
    const base = asarray([1, 2, 3, 4]);
    expect(w(base.lo(2))).toBe(2);
    expect(toNested(base)).toEqual([1, 2, 7, 4]);
    expect(w.signatures).toEqual(['(float64[::1]) -> int64']);
  });

  it('works on empty arrays and 0-d arrays', () => {
    const f = jit((a: NdArray) => {
      let s = 0;
      for (let i = 0; i < a.shape[0]; i++) s += a.get(i);
      return s;
    });
    expect(f(zeros([0]))).toBe(0);
    const g = jit((a: NdArray) => a.get() * 2);
    expect(g(ndarray(new Float64Array([21]), [], [], 0))).toBe(42);
  });

  it('compiles one version per dtype, rank and layout class, and caches it', () => {
    const f = jit((a: NdArray) => a.get(0, 0));
    const c = zeros([2, 3]);
    const t = c.transpose(1, 0);
    f(c);
    f(c);
    f(t);
    f(zeros([2, 2], 'int32'));
    expect(f.signatures).toEqual([
      '(float64[:, ::1]) -> float64',
      '(float64[:, :]) -> float64',
      '(int32[:, ::1]) -> int32',
    ]);
    const g = jit((x: number) => x / 2);
    g(3);
    g(3.5);
    g(true);
    expect(g.signatures).toEqual([
      '(int64) -> float64',
      '(float64) -> float64',
      '(bool) -> float64',
    ]);
  });

  it('njit is jit, and prange is a plain range outside kernels', () => {
    expect(njit).toBe(jit);
    expect([...prange(3)]).toEqual([0, 1, 2]);
    expect([...prange(5, 0, -2)]).toEqual([5, 3, 1]);
    expect([...prange(1, 4)]).toEqual([1, 2, 3]);
  });

  it('pyFunc is the original function', () => {
    const fn = (x: number) => x + 1;
    expect(jit(fn).pyFunc).toBe(fn);
  });
});

describe('signatures', () => {
  it('compile eagerly and restrict calls (no match: TypeError naming the argument types)', () => {
    const f = jit(
      (a: NdArray, k: number) => {
        let s = 0;
        for (let i = 0; i < a.shape[0]; i++) s += a.get(i) * k;
        return s;
      },
      { signatures: ['float64(float64[:], int32)'] },
    );
    expect(f.signatures).toEqual(['(float64[:], int32) -> float64']);
    expect(f(f64([1, 2]), 3)).toBe(9);
    // int32 arguments wrap, as Numba converts them.
    expect(f(f64([1]), 2 ** 32 + 5)).toBe(5);
    expectError(
      () => f(asarray(new Float32Array([1])), 3),
      TypeError,
      /no matching definition for argument type\(s\) float32\[::1\], int64/,
    );
    expectError(() => f(f64([1]), 0.5), TypeError, /float64\[::1\], float64/);
  });

  it('a C-contiguous signature takes only C-contiguous arrays; [:, :] takes any', () => {
    const k = (a: NdArray) => a.get(0, 1);
    const c = jit(k, { signatures: ['float64(float64[:, ::1])'] });
    const any = jit(k, { signatures: ['(float64[:, :])'] });
    const a = asarray([
      [1, 2],
      [3, 4],
    ]);
    expect(c(a)).toBe(2);
    expect(any(a.transpose(1, 0))).toBe(3);
    expectError(() => c(a.transpose(1, 0)), TypeError, /float64\[:, :\]/);
  });

  it('the return type converts the result; several signatures are tried in order', () => {
    const f = jit((x: number) => x / 2, { signatures: ['int32(int32)', 'float64(float64)'] });
    expect(f(7)).toBe(3);
    expect(f(7.5)).toBe(3.75);
    const g = jit((x: number) => x, { signatures: ['(float64) -> float32'] });
    expect(g(0.1)).toBe(Math.fround(0.1));
  });
});

describe('inspection', () => {
  it('inspect gives the generated source, compiling a version for a signature', () => {
    const f = jit((a: NdArray) => {
      let s = 0;
      for (let i = 0; i < a.shape[0]; i++) s += a.get(i);
      return s;
    });
    expect(f.inspect()).toMatch(/nothing compiled yet/);
    const src = f.inspect('(float64[::1])');
    expect(src).toMatch(/\(float64\[::1\]\) -> float64/);
    // Hoisted parts: a C-contiguous array's element is a flat index into its data (rebased
    // to start at element 0, so there is no offset to add).
    expect(src).toMatch(/a0d\[v\d+\]/);
    expect(f.signatures).toEqual(['(float64[::1]) -> float64']);
    const strided = f.inspect('(float64[:])');
    expect(strided).toMatch(/a0d\[a0o\+v\d+\*a0s0\]/);
  });

  it("inspectTypes lists every variable's type with its line", () => {
    const f = jit((a: NdArray) => {
      let total = 0;
      const n = a.shape[0];
      for (let i = 0; i < n; i++) total += Math.sqrt(a.get(i));
      return total;
    });
    f(asarray(new Int16Array([4, 9])));
    const t = f.inspectTypes();
    expect(t).toMatch(/\(int16\[::1\]\) -> float64/);
    expect(t).toMatch(/a: int16\[::1\] \(argument\)/);
    expect(t).toMatch(/total: float64/);
    expect(t).toMatch(/n: int64/);
    expect(t).toMatch(/i: int64/);
    // Each listed variable follows its source line.
    const lines = t.split('\n');
    const at = lines.findIndex((l) => l.includes('// total: float64'));
    expect(lines[at - 1]).toMatch(/let total = 0/);
  });
});

describe('boundscheck', () => {
  it('an index outside an axis is an IndexError naming index, axis and shape', () => {
    const f = jit((a: NdArray, i: number, j: number) => a.get(i, j), { boundscheck: true });
    const a = zeros([2, 3]);
    expect(f(a, 1, 2)).toBe(0);
    expectError(
      () => f(a, 1, 3),
      IndexError,
      'index 3 is out of bounds for axis 1 with size 3 (array shape [2, 3])',
    );
    expectError(() => f(a, -1, 0), IndexError, /index -1 is out of bounds for axis 0 with size 2/);
    const g = jit((a: NdArray, i: number) => a.set(i, 1), { boundscheck: true });
    expectError(() => g(zeros(2), 2), IndexError, /index 2 is out of bounds for axis 0/);
  });
});

describe('functions', () => {
  it('calls jit functions with arrays and ufuncs on scalars, compiled into the caller', () => {
    const norm2 = jit((v: NdArray) => {
      let s = 0;
      for (let i = 0; i < v.shape[0]; i++) s += v.get(i) * v.get(i);
      return s;
    });
    const hyp = vectorize((x: number, y: number) => Math.sqrt(x * x + y * y));
    const f = jit((a: NdArray) => (hyp(norm2(a), 0) as number) + (hyp(3, 4) as number), {
      functions: { norm2, hyp },
    });
    expect(f(f64([3, 4]))).toBe(30);
    // The caller's source calls the compiled helpers directly.
    expect(f.inspect()).toMatch(/c0\(a0d,a0n0\)/);
  });
});
