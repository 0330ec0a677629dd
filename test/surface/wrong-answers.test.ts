/**
 * Regression tests for silent wrong answers a first-time user met: weak-integer results
 * wrapping at 32 bits, `dtype` casting inputs unsafely, unknown options ignored, and view
 * indices read past their axis. Error texts for casting are NumPy 2.4's, checked with numpy.
 */
import { describe, expect, it } from 'vitest';
import {
  asarray,
  configureHeap,
  dtypeOf,
  full,
  guvectorize,
  IndexError,
  jit,
  jitclass,
  linspace,
  type NdArray,
  parallelStatus,
  random,
  setParallelOptions,
  stencil,
  toArray,
  vectorize,
  zeros,
} from '../../src/index.js';
import { expectError, snapshot } from '../support.js';

describe('weak-integer results are exact, never wrapped at 32 bits', () => {
  it("the issue's double loop gives Numba's 26991000000", () => {
    const f = vectorize((n: number) => {
      let r = 0;
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) r += i + j;
      return r;
    });
    expect(f(3000)).toBe(26991000000);
    expect(f.types).toEqual(['float64->float64']);
    const r = f(asarray(new Int32Array([3000, 2]))) as NdArray;
    expect(dtypeOf(r)).toBe('float64');
    expect(toArray(r)).toEqual([26991000000, 4]);
  });

  it('a count incremented in a loop is float64 holding the integer', () => {
    const count = vectorize((x: number) => {
      let c = 0;
      while (x > 1) {
        x = x / 2;
        c++;
      }
      return c;
    });
    expect(count.types).toEqual([]);
    expect(count(asarray([1, 8, 1024]))).toSatisfy((r: NdArray) => dtypeOf(r) === 'float64');
    expect(count(8)).toBe(3);
  });

  it('results built only from int32 literals stay int32; a larger literal is float64', () => {
    const flag = vectorize((x: number) => (x > 0 ? 1 : 0));
    expect(dtypeOf(flag(asarray([1, -1])) as NdArray)).toBe('int32');
    const big = vectorize((x: number) => (x > 0 ? 3000000000 : 0));
    const r = big(asarray([1, -1])) as NdArray;
    expect(dtypeOf(r)).toBe('float64');
    expect(toArray(r)).toEqual([3000000000, 0]);
  });

  it('guvectorize: a returned or stored weak-int accumulator is exact', () => {
    const tri = guvectorize((x: { shape: number[] }) => {
      let s = 0;
      for (let i = 0; i < x.shape[0]; i++) s += i * 1000000;
      return s;
    }, '(n)->()');
    const r = tri(zeros([100])) as NdArray;
    expect(dtypeOf(r)).toBe('float64');
    expect(toArray(r)).toEqual([4950000000]);
    const stored = guvectorize((x: { shape: number[] }, o: { set(v: number): void }) => {
      let s = 0;
      for (let i = 0; i < x.shape[0]; i++) s += 100000000;
      o.set(s);
    }, '(n)->()');
    expect(toArray(stored(zeros([50])) as NdArray)).toEqual([5000000000]);
  });
});

describe('dtype selects the loop under the casting rule (NumPy)', () => {
  const add = vectorize((a: number, b: number) => a + b, { name: 'add' });
  const a = asarray([1.7, 300.2]);
  const h = asarray([0.5, 0.5]);

  it("rejects the issue's float64 inputs to a uint8 loop with NumPy's message", () => {
    expectError(
      () => add(a, h, { dtype: 'uint8' }),
      TypeError,
      "Cannot cast ufunc 'add' input 0 from dtype('float64') to dtype('uint8') with casting rule 'same_kind'",
    );
    // np.add([1.7, 300.2], [.5, .5], dtype='uint8', casting='unsafe') -> [1, 44]
    expect(toArray(add(a, h, { dtype: 'uint8', casting: 'unsafe' }) as NdArray)).toEqual([1, 44]);
  });

  it('checks out under the rule, and writes nothing when it fails', () => {
    const out = asarray(new Int32Array([7, 7]));
    const before = snapshot(out);
    expectError(
      () => add(asarray([1, 2]), 1, { out }),
      TypeError,
      "Cannot cast ufunc 'add' output from dtype('float64') to dtype('int32') with casting rule 'same_kind'",
    );
    expect(snapshot(out)).toEqual(before);
    add(asarray([1, 2]), 1, { out, casting: 'unsafe' });
    expect(toArray(out)).toEqual([2, 3]);
    const f32 = zeros([2], 'float32');
    expectError(
      () => add(asarray([1, 2]), 1.5, { out: f32, casting: 'no' }),
      TypeError,
      "Cannot cast ufunc 'add' output from dtype('float64') to dtype('float32') with casting rule 'no'",
    );
  });

  it("follows 'safe', 'no' and 'equiv' for inputs", () => {
    const i32 = asarray(new Int32Array([1, 2]));
    const i16 = asarray(new Int16Array([1, 2]));
    expectError(
      () => add(i32, 1, { dtype: 'int16', casting: 'safe' }),
      TypeError,
      "Cannot cast ufunc 'add' input 0 from dtype('int32') to dtype('int16') with casting rule 'safe'",
    );
    expect(dtypeOf(add(i32, 1, { dtype: 'int16' }) as NdArray)).toBe('int16');
    expectError(
      () => add(i16, 1, { dtype: 'int32', casting: 'no' }),
      TypeError,
      "Cannot cast ufunc 'add' input 0 from dtype('int16') to dtype('int32') with casting rule 'no'",
    );
    expectError(
      () => add(i16, i16, { dtype: 'int32', casting: 'equiv' }),
      TypeError,
      "Cannot cast ufunc 'add' input 0 from dtype('int16') to dtype('int32') with casting rule 'equiv'",
    );
    // A JS float is a Python float: it may fill a float32 loop even under 'no'.
    const f = asarray(new Float32Array([1, 2]));
    expect(toArray(add(f, 1.5, { dtype: 'float32', casting: 'no' }) as NdArray)).toEqual([
      2.5, 3.5,
    ]);
    expectError(
      () => add(i32, 1.5, { dtype: 'int32' }),
      TypeError,
      "Cannot cast ufunc 'add' input 1 from dtype('float64') to dtype('int32') with casting rule 'same_kind'",
    );
  });

  it('a JS integer outside the loop dtype is an overflow, not a wrap', () => {
    expectError(
      () => add(asarray(new Uint8Array([1])), 300, { dtype: 'uint8' }),
      RangeError,
      'JS integer 300 is out of bounds for uint8 (NumPy 2 raises OverflowError here)',
    );
  });

  it("rejects an unknown casting rule with NumPy's message", () => {
    expectError(
      () => add(a, h, { casting: 'bogus' as never }),
      TypeError,
      `casting must be one of 'no', 'equiv', 'safe', 'same_kind', 'unsafe' (got "bogus")`,
    );
  });

  it('applies to outer and to signature loops', () => {
    expectError(
      () => add.outer(a, h, { dtype: 'uint8' }),
      TypeError,
      /input 0 from dtype\('float64'\) to dtype\('uint8'\)/,
    );
    const sig = vectorize((x: number, y: number) => x + y, {
      name: 'sig',
      signatures: ['int16(int16, int16)', 'float64(float64, float64)'],
    });
    const i32 = asarray(new Int32Array([1]));
    expectError(
      () => sig(i32, i32, { dtype: 'int16', casting: 'safe' }),
      TypeError,
      /ufunc 'sig' has no loop for input types \(int32, int32\) with dtype int16/,
    );
    expect(toArray(sig(i32, i32, { dtype: 'int16' }) as NdArray)).toEqual([2]);
  });
});

describe('every entry point rejects unknown options, and says why for Numba ones', () => {
  const numba = /'cache' is a Numba option: numbats compiles a kernel in about a millisecond/;
  it('constructors', () => {
    expectError(
      () => vectorize((x: number) => x, { cache: true } as never),
      TypeError,
      /^vectorize: unknown option 'cache' \(expected signatures, identity, target, name, constants, functions\); /,
    );
    expectError(() => vectorize((x: number) => x, { cache: true } as never), TypeError, numba);
    expectError(
      () => vectorize((x: number) => x, { nopython: true } as never),
      TypeError,
      /'nopython' is a Numba option: numbats kernels are always compiled/,
    );
    expectError(
      () => vectorize((x: number) => x, { fastmath: true } as never),
      TypeError,
      /'fastmath' is a Numba option: elementwise kernels use plain IEEE arithmetic/,
    );
    expectError(
      () => guvectorize((x: { shape: number[] }) => x.shape[0], '(n)->()', { nogil: 1 } as never),
      TypeError,
      /^guvectorize: unknown option 'nogil' .*JavaScript has no GIL/,
    );
    expectError(
      () => stencil((u: (i: number) => number) => u(0), { cache: true } as never),
      TypeError,
      /^stencil: unknown option 'cache' \(expected boundary, cval, neighborhood, dtype, name, target, constants, functions\)/,
    );
    expectError(
      () => jitclass({ x: 'float64' }, class {}, { nopython: true } as never),
      TypeError,
      /^jitclass: unknown option 'nopython' \(expected constants, target, functions\); 'nopython' is a Numba option/,
    );
    expectError(
      () => vectorize((x: number) => x, { typo: 1 } as never),
      TypeError,
      "vectorize: unknown option 'typo' (expected signatures, identity, target, name, constants, functions)",
    );
  });

  it('jit uses the same check (the valid keys listed, Numba options explained)', () => {
    const k = (x: number) => x;
    expectError(
      () => jit(k, { fastMath: true } as never),
      TypeError,
      "jit: unknown option 'fastMath' (expected signatures, boundscheck, constants, functions, name, nopython, cache, fastmath, parallel)",
    );
    expectError(
      () => jit(k, { nogil: true } as never),
      TypeError,
      /^jit: unknown option 'nogil' .*'nogil' is a Numba option: JavaScript has no GIL.*parallel: true, with prange/,
    );
    // A key that is not an identifier is quoted as JSON, so the message stays one line.
    expectError(
      () => jit(k, { 'a\nb': 1 } as never),
      TypeError,
      /^jit: unknown option "a\\nb" \(expected /,
    );
  });

  it('creation and random functions use it too, without Numba notes', () => {
    expectError(
      () => linspace(0, 1, 3, { cache: true } as never),
      TypeError,
      /^linspace: unknown option 'cache' \(expected dtype, shared, endpoint\)$/,
    );
    expectError(
      () => random(3, { nogil: true } as never),
      TypeError,
      /^random: unknown option 'nogil' \(expected seed, dtype, shared\)$/,
    );
  });

  it('the heap and pool settings reject a misspelt key instead of ignoring it', () => {
    // Nothing changes: the check comes before any setting is applied.
    const heapBefore = configureHeap();
    expectError(
      () => configureHeap({ minbytes: 0 } as never),
      TypeError,
      "configureHeap: unknown option 'minbytes' (expected enabled, maxBytes, whenFull, minBytes)",
    );
    expect(configureHeap()).toEqual(heapBefore);
    const poolBefore = parallelStatus().threshold;
    expectError(
      () => setParallelOptions({ threshold: 1, worker: 2 } as never),
      TypeError,
      "setParallelOptions: unknown option 'worker' (expected workers, threshold, timeout)",
    );
    expect(parallelStatus().threshold).toBe(poolBefore);
  });

  it('calls and methods', () => {
    const add = vectorize((x: number, y: number) => x + y, { name: 'add' });
    const a = asarray([1, 2]);
    const calls: [() => unknown, RegExp][] = [
      [
        () => add(a, a, { axis: 0 } as never),
        /^add: unknown option 'axis' \(expected out, where, dtype, casting\)$/,
      ],
      [
        () => add.reduce(a, { casting: 'unsafe' } as never),
        /^add.reduce: unknown option 'casting'/,
      ],
      [
        () => add.accumulate(a, { keepdims: true } as never),
        /^add.accumulate: unknown option 'keepdims'/,
      ],
      [() => add.reduceat(a, [0], { fastmath: true } as never), /'fastmath' is a Numba option/],
      [
        () => add.outer(a, a, { cache: true } as never),
        /^add: unknown option 'cache'.*Numba option/,
      ],
    ];
    for (const [f, m] of calls) expectError(f, TypeError, m);
    const g = guvectorize((x: { shape: number[] }) => x.shape[0], '(n)->()', { name: 'g' });
    expectError(
      () => g(a, { casting: 'no' } as never),
      TypeError,
      "g: unknown option 'casting' (expected out, dtype)",
    );
    const s = stencil((u: (i: number) => number) => u(-1) + u(1), { name: 's' });
    expectError(
      () => s(a, { boundary: 'wrap' } as never),
      TypeError,
      /^s: unknown option 'boundary' \(expected out, cval\)/,
    );
  });
});

describe('guvectorize boundscheck', () => {
  const kernel = (x: { shape: number[]; get(i: number): number }) => {
    let s = 0;
    for (let i = 0; i <= x.shape[0]; i++) s += x.get(i);
    return s;
  };
  it('names the index, axis, view and core shape', () => {
    const checked = guvectorize(kernel, '(n)->()', { boundscheck: true });
    expectError(
      () =>
        checked(
          asarray([
            [1, 2],
            [3, 4],
          ]),
        ),
      IndexError,
      "index 2 is out of bounds for axis 0 with size 2 of view 'x' (core shape (2,)): the valid indices are 0 to 1",
    );
    const neg = guvectorize(
      (x: { get(i: number, j: number): number }) => x.get(0, -1),
      '(m,n)->()',
      {
        boundscheck: true,
      },
    );
    expectError(
      () => neg(zeros([2, 3])),
      IndexError,
      "index -1 is out of bounds for axis 1 with size 3 of view 'x' (core shape (2, 3)): views do not count negative indices from the end: use x.shape[1] - 1",
    );
    // In-bounds work is unchanged.
    const ok = guvectorize(
      (x: { shape: number[]; get(i: number): number }) => {
        let s = 0;
        for (let i = 0; i < x.shape[0]; i++) s += x.get(i);
        return s;
      },
      '(n)->()',
      { boundscheck: true },
    );
    expect(
      toArray(
        ok(
          asarray([
            [1, 2],
            [3, 4],
          ]),
        ) as NdArray,
      ),
    ).toEqual([3, 7]);
    expect(ok.inspect('float64->float64')).toContain('H.bc(');
  });

  it('an index out of range part-way leaves out untouched', () => {
    // Rows 0 and 1 read in range (and are computed), row 2 reads index 5 of 2.
    const hop = guvectorize(
      (x: { get(i: number): number }) => {
        let s = 0;
        for (let i = 0; i <= x.get(0); i++) s += x.get(i);
        return s;
      },
      '(n)->()',
      { boundscheck: true },
    );
    const out = full([3], 7);
    const rows = asarray([
      [0, 1],
      [1, 1],
      [5, 1],
    ]);
    expectError(() => hop(rows, { out }), IndexError, /index 2 is out of bounds for axis 0/);
    expect(toArray(out)).toEqual([7, 7, 7]);
  });

  it('is off by default (reading past an axis reads on), and cpu-only', () => {
    const unchecked = guvectorize(kernel, '(n)->()');
    expect(
      toArray(
        unchecked(
          asarray([
            [1, 2],
            [3, 4],
          ]),
        ) as NdArray,
      )[0],
    ).toBe(6);
    expectError(
      () => guvectorize(kernel, '(n)->()', { boundscheck: 'yes' } as never),
      TypeError,
      'boundscheck must be a boolean; got "yes"',
    );
    expectError(
      () => guvectorize(kernel, '(n)->()', { boundscheck: true, target: 'parallel' }),
      TypeError,
      "boundscheck runs on the 'cpu' target only; debug the kernel there, then switch to target: 'parallel'",
    );
  });
});
