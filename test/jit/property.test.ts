/**
 * jit kernels against the same functions run as plain JavaScript (on ndarray's own
 * get/set), over random shapes, dtypes and views: transposed, sliced, stepped, reversed,
 * broadcast and empty arrays. Values are small integers where float32 arithmetic is
 * involved, so that Numba's float32 rounding and plain double arithmetic agree.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  copy,
  DTYPES,
  type DType,
  isNdarray,
  type JitArray,
  jit,
  type NdArray,
  prange,
  toNested,
  zeros,
} from '../../src/index.js';
import { ndarrayArb } from '../../src/testing/index.js';
import { runs } from '../support.js';

const anyArray = (minDims: number, maxDims: number, dtype: readonly DType[] = DTYPES) =>
  ndarrayArb({ dtype, minDims, maxDims, minSide: 0, maxSide: 5, small: true });

/** Runs the compiled and the plain function on separate copies; returns both results and copies. */
function both<A extends unknown[]>(f: (...args: any[]) => unknown, args: A) {
  const j = jit(f) as unknown as (...a: unknown[]) => unknown;
  const jargs = args.map((a) => (isNdarray(a) ? copy(a) : a));
  const pargs = args.map((a) => (isNdarray(a) ? copy(a) : a));
  return { got: j(...jargs), want: f(...pargs), jargs, pargs, j };
}

const plain = (x: unknown): unknown =>
  x && typeof x === 'object' && 'shape' in (x as object)
    ? toNested(x as NdArray)
    : Array.isArray(x)
      ? x.map(plain)
      : x;

describe('jit vs plain JS', () => {
  it('nested loops over a 2-d array (sum with weights)', () => {
    const f = (a: NdArray) => {
      let s = 0;
      for (let i = 0; i < a.shape[0]; i++)
        for (let j = 0; j < a.shape[1]; j++) s += (i + 1) * a.get(i, j) - j;
      return s;
    };
    fc.assert(
      fc.property(anyArray(2, 2), (a) => {
        const { got, want } = both(f, [a]);
        expect(got).toBe(want);
      }),
      runs(),
    );
  });

  it('three nested loops over 3-d views, with a.size and a.shape.length', () => {
    const f = (a: NdArray) => {
      let s = a.size * 1000 + a.shape.length;
      const [n0, n1, n2] = a.shape;
      for (let i = 0; i < n0; i++)
        for (let j = 0; j < n1; j++)
          for (let k = n2 - 1; k >= 0; k--) s = s * 3 + a.get(i, j, k) - Math.floor(s / 7) * 3;
      return s;
    };
    fc.assert(
      fc.property(anyArray(3, 3), (a) => {
        const { got, want } = both(f, [a]);
        expect(got).toBe(want);
      }),
      runs(),
    );
  });

  it('while loops and break/continue', () => {
    const f = (a: NdArray, limit: number) => {
      let i = 0;
      let c = 0;
      while (i < a.shape[0]) {
        const v = a.get(i);
        i++;
        if (v === 0) continue;
        if (c > limit) break;
        c += v > 0 ? 1 : 2;
      }
      return [c, i];
    };
    fc.assert(
      fc.property(anyArray(1, 1), fc.integer({ min: 0, max: 6 }), (a, limit) => {
        const { got, want } = both(f, [a, limit]);
        expect(got).toEqual(want);
      }),
      runs(),
    );
  });

  it('early returns from nested loops', () => {
    const f = (a: NdArray, t: number) => {
      for (let i = 0; i < a.shape[0]; i++) {
        for (let j = 0; j < a.shape[1]; j++) {
          if (a.get(i, j) === t) return i * 100 + j;
        }
      }
      return -1;
    };
    fc.assert(
      fc.property(anyArray(2, 2), fc.integer({ min: -3, max: 3 }), (a, t) => {
        const { got, want } = both(f, [a, t]);
        expect(got).toBe(want);
      }),
      runs(),
    );
  });

  it('tuple returns: [min, max, argmax, mean]', () => {
    const f = (a: NdArray) => {
      let lo = Infinity;
      let hi = -Infinity;
      let arg = -1;
      let s = 0;
      for (let i = 0; i < a.shape[0]; i++) {
        const v = a.get(i);
        s += v;
        if (v < lo) lo = v;
        if (v > hi) {
          hi = v;
          arg = i;
        }
      }
      return [lo, hi, arg, a.shape[0] > 0 ? s / a.shape[0] : 0];
    };
    fc.assert(
      fc.property(anyArray(1, 1), (a) => {
        const { got, want } = both(f, [a]);
        expect(got).toEqual(want);
      }),
      runs(),
    );
  });

  it('arrays allocated inside and returned (zeros from a shape, full, a transposed copy)', () => {
    const f = (a: NdArray) => {
      const t = zeros([a.shape[1], a.shape[0]], 'float64');
      const c = zeros(a.shape, 'int32');
      for (let i = 0; i < a.shape[0]; i++)
        for (let j = 0; j < a.shape[1]; j++) {
          t.set(j, i, a.get(i, j) * 2 + 1);
          c.set(i, j, a.get(i, j) * 1000);
        }
      return [t, c, t.size];
    };
    fc.assert(
      fc.property(anyArray(2, 2), (a) => {
        const { got, want } = both(f, [a]);
        expect(plain(got)).toEqual(plain(want));
      }),
      runs(),
    );
  });

  it('writes into argument views of every dtype (stores convert like TypedArray stores)', () => {
    const f = (a: NdArray, out: NdArray) => {
      for (let i = 0; i < a.shape[0]; i++)
        for (let j = 0; j < a.shape[1]; j++) out.set(i, j, a.get(i, j) * 3 - 1);
    };
    const dtypes = DTYPES.filter((d) => d !== 'bool');
    fc.assert(
      fc.property(
        anyArray(2, 2).chain((a) =>
          fc.tuple(
            fc.constant(a),
            ndarrayArb({ dtype: dtypes, shape: a.shape, small: true, writable: true }),
          ),
        ),
        ([a, out]) => {
          const { jargs, pargs, got, want } = both(f, [a, out]);
          expect(got).toBe(undefined);
          expect(want).toBe(undefined);
          expect(toNested(jargs[1] as NdArray)).toEqual(toNested(pargs[1] as NdArray));
        },
      ),
      runs(),
    );
  });

  it('array-valued locals: swapping two buffers in a loop (Life-style double buffering)', () => {
    const f = (a: NdArray, steps: number) => {
      let cur = zeros(a.shape, 'float64');
      let next = zeros(a.shape, 'float64');
      for (let i = 0; i < a.shape[0]; i++) cur.set(i, a.get(i));
      for (let s = 0; s < steps; s++) {
        const n = a.shape[0];
        for (let i = 0; i < n; i++) {
          const l = i > 0 ? cur.get(i - 1) : 0;
          const r = i + 1 < n ? cur.get(i + 1) : 0;
          next.set(i, l + r - cur.get(i));
        }
        const t = cur;
        cur = next;
        next = t;
      }
      return cur;
    };
    fc.assert(
      fc.property(anyArray(1, 1), fc.integer({ min: 0, max: 4 }), (a, steps) => {
        const { got, want } = both(f, [a, steps]);
        expect(plain(got)).toEqual(plain(want));
      }),
      runs(),
    );
  });

  it('prange loops with start, stop and negative steps', () => {
    const f = (a: NdArray, start: number, step: number) => {
      let s = 0;
      for (const i of prange(start, step > 0 ? a.shape[0] : -1, step)) {
        if (i >= 0 && i < a.shape[0]) s = s * 2 + a.get(i);
      }
      return s;
    };
    fc.assert(
      fc.property(
        anyArray(1, 1),
        fc.integer({ min: -2, max: 6 }),
        fc.constantFrom(1, 2, -1, -3),
        (a, start, step) => {
          const { got, want } = both(f, [a, start, step]);
          expect(got).toBe(want);
        },
      ),
      runs(),
    );
  });

  it('calls other jit functions and ufuncs by name (functions option)', async () => {
    const { vectorize } = await import('../../src/index.js');
    const sq = jit((x: number) => x * x);
    const dot = jit((a: NdArray, b: NdArray) => {
      let s = 0;
      for (let i = 0; i < a.shape[0]; i++) s += a.get(i) * b.get(i);
      return s;
    });
    const clip = vectorize((x: number, hi: number) => (x > hi ? hi : x));
    const f = (a: NdArray, b: NdArray) => {
      let s = 0;
      for (let i = 0; i < a.shape[0]; i++) s += sq(a.get(i)) + (clip(b.get(i), 2) as number);
      return s + dot(a, b);
    };
    const jf = jit(f, { functions: { sq, dot, clip } });
    fc.assert(
      fc.property(
        anyArray(1, 1, ['int8', 'int16', 'int32', 'float64']).chain((a) =>
          fc.tuple(fc.constant(a), ndarrayArb({ dtype: 'float64', shape: a.shape, small: true })),
        ),
        ([a, b]) => {
          expect(jf(a, b)).toBe(f(a, b));
        },
      ),
      runs(),
    );
  });

  it('for…of over a 1-d view gives every element in order', () => {
    const f = jit((a: JitArray) => {
      let s = 0;
      let k = 1;
      for (const x of a) {
        s += x * k;
        k++;
      }
      return s;
    });
    fc.assert(
      fc.property(anyArray(1, 1), (a) => {
        let want = 0;
        for (let i = 0; i < a.shape[0]; i++) want += a.get(i) * (i + 1);
        expect(f(a)).toBe(want);
      }),
      runs(),
    );
  });

  it('integer arithmetic on full-range elements never wraps (Numba int64)', () => {
    const f = (a: NdArray, b: NdArray) => {
      let s = 0;
      for (let i = 0; i < a.shape[0]; i++) s += a.get(i) * b.get(i) + a.get(i) + b.get(i);
      return s;
    };
    const ints = DTYPES.filter((d) => d !== 'float32' && d !== 'float64');
    fc.assert(
      fc.property(
        ndarrayArb({ dtype: ints, minDims: 1, maxDims: 1, maxSide: 6 }).chain((a) =>
          fc.tuple(fc.constant(a), ndarrayArb({ dtype: ints, shape: a.shape })),
        ),
        ([a, b]) => {
          expect(jit(f)(a, b)).toBe(f(a, b));
        },
      ),
      runs(),
    );
  });

  it('int64 % by a power of two (a fast exact lowering) equals JS % (int64 has no -0)', () => {
    const f = jit((a: number, b: number, s: number) => {
      const x = a * b + s;
      return [x % 2, x % 1024, x % 4294967296, x % 4503599627370496, x % 6];
    });
    const int = fc.integer({ min: -(2 ** 26), max: 2 ** 26 });
    fc.assert(
      fc.property(int, int, fc.integer({ min: -(2 ** 30), max: 2 ** 30 }), (a, b, s) => {
        const x = a * b + s;
        const want = [x % 2, x % 1024, x % 4294967296, x % 4503599627370496, x % 6].map(
          (v) => v + 0,
        );
        expect((f(a, b, s) as number[]).map((v) => v + 0)).toEqual(want);
      }),
      runs(200),
    );
  });
});
