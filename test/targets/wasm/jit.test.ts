/**
 * jit functions on the wasm engine against the same version on the JS path, bit for bit:
 * arguments on the numbats heap over random dtypes and views (transposed, sliced, negative
 * strides, size 0 and 1), loops of every form, Numba's integer typing, Math functions,
 * early returns and tuples. Every property also checks that wasm ran.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JitArray, NdArray } from '../../../src/index.js';
import { prange } from '../../../src/index.js';
import { runs } from '../../support.js';
import { useWasmForEveryCall } from './helpers.js';
import { dispatcher, views, wasmEqualsJs } from './jit-helpers.js';

useWasmForEveryCall();

const num = fc.oneof(
  fc.integer({ min: -50, max: 50 }),
  fc.double({ noDefaultInfinity: false }),
  fc.constantFrom(0.5, -0, Number.NaN),
);

describe('jit on wasm equals the JS path', () => {
  it('double loop over a 2-d view (int64 index arithmetic, weighted sum)', () => {
    const f = dispatcher((a: NdArray) => {
      let s = 0;
      for (let i = 0; i < a.shape[0]; i++)
        for (let j = 0; j < a.shape[1]; j++) s += (i + 1) * a.get(i, j) - j;
      return s;
    });
    fc.assert(
      fc.property(views(2, 2), (a) => {
        expect(wasmEqualsJs(f, [a])).toBe('wasm');
      }),
      runs(),
    );
  });

  it('three loops over 3-d views with a.size, a.ndim and reversed counters', () => {
    const f = dispatcher((a: JitArray) => {
      let s = a.size * 1000 + a.ndim;
      for (let i = a.shape[0] - 1; i >= 0; i--)
        for (let j = 0; j <= a.shape[1] - 1; j += 1)
          for (let k = a.shape[2] - 1; k > -1; k -= 2) s = s * 0.5 + a.get(i, j, k);
      return s;
    });
    fc.assert(
      fc.property(views(3, 3), (a) => {
        expect(wasmEqualsJs(f, [a])).toBe('wasm');
      }),
      runs(40),
    );
  });

  it('stores of every dtype convert like a TypedArray store (wrap, float32 rounding, bool)', () => {
    const f = dispatcher((a: NdArray, x: number) => {
      for (let i = 0; i < a.shape[0]; i++)
        for (let j = 0; j < a.shape[1]; j++) a.set(i, j, a.get(i, j) * x + i - j / 3);
    });
    fc.assert(
      fc.property(views(2, 2, { writable: true }), num, (a, x) => {
        expect(wasmEqualsJs(f, [a, x])).toBe('wasm');
      }),
      runs(),
    );
  });

  it('Numba typing: int64 accumulators never wrap; %, bit operations, ~ and shifts as JS', () => {
    const f = dispatcher((a: NdArray, m: number) => {
      let s = 0;
      let bits = 0;
      for (let i = 0; i < a.size; i++) {
        const v = a.get(i);
        s += v * v * 65537;
        bits = (bits ^ (v << (i & 7))) | (~i & 5);
        s += (i % 4) - (v % 3) + (s >>> 3) * 0 + (s >> 40) + (m % 8);
      }
      return [s, bits];
    });
    fc.assert(
      fc.property(
        views(1, 1, { dtype: ['int8', 'int16', 'int32', 'uint32', 'uint8', 'bool'] }),
        fc.integer({ min: -1000, max: 1000 }),
        (a, m) => {
          expect(wasmEqualsJs(f, [a, m])).toBe('wasm');
        },
      ),
      runs(),
    );
  });

  it('Math instructions and imported Math functions, on every element type', () => {
    const f = dispatcher((a: JitArray) => {
      let s = 0;
      let t = 0;
      for (const x of a) {
        s += Math.sqrt(Math.abs(x)) + Math.floor(x / 3) - Math.ceil(x / 7) + Math.trunc(x * 1.5);
        t = Math.max(
          t,
          Math.min(x, 2 * x),
          Math.tanh(x) + Math.exp(-Math.abs(x)) + Math.round(x / 2),
        );
      }
      return [s, t, Math.hypot(s, t)];
    });
    fc.assert(
      fc.property(views(1, 1), (a) => {
        expect(wasmEqualsJs(f, [a])).toBe('wasm');
      }),
      runs(),
    );
  });

  it('while loops, break and continue, early return of a tuple', () => {
    const f = dispatcher((a: NdArray, limit: number) => {
      let i = 0;
      let seen = 0;
      while (i < a.shape[0]) {
        i++;
        const v = a.get(i - 1);
        if (Number.isNaN(v)) continue;
        if (v > limit) return [i - 1, v, true];
        seen += v;
        if (seen > 1e6) break;
      }
      do {
        seen -= 1;
      } while (seen > 1e6 && seen < 2e6);
      return [-1, seen, false];
    });
    fc.assert(
      fc.property(views(1, 1), num, (a, limit) => {
        expect(wasmEqualsJs(f, [a, limit])).toBe('wasm');
      }),
      runs(),
    );
  });

  it('two arrays: out(i, j) from a(i, j) and b(j, i) over independent views', () => {
    const f = dispatcher((a: NdArray, b: NdArray, out: NdArray) => {
      const [n, m] = out.shape;
      for (let i = 0; i < n; i++)
        for (let j = 0; j < m; j++)
          out.set(
            i,
            j,
            a.get(i % a.shape[0], j % a.shape[1]) - b.get(j % b.shape[0], i % b.shape[1]),
          );
    });
    const gen = fc.tuple(
      views(2, 2, { dtype: ['float64', 'float32', 'int32'] }).filter((a) => a.size > 0),
      views(2, 2, { dtype: ['float64', 'int16'] }).filter((a) => a.size > 0),
      views(2, 2, { writable: true }),
    );
    fc.assert(
      fc.property(gen, ([a, b, out]) => {
        expect(wasmEqualsJs(f, [a, b, out])).toBe('wasm');
      }),
      runs(),
    );
  });

  it('counted loops: prange without parallel, negative and variable steps, step 0 raises', () => {
    const f = dispatcher((a: NdArray, step: number) => {
      let s = 0;
      for (const i of prange(a.shape[0] - 1, -1, -1)) s = s * 3 + a.get(i);
      for (const i of prange(0, a.shape[0], step)) s += a.get(i) * 2;
      return s;
    });
    fc.assert(
      fc.property(views(1, 1), fc.integer({ min: -2, max: 3 }), (a, step) => {
        expect(wasmEqualsJs(f, [a, step])).toBe('wasm');
      }),
      runs(),
    );
  });

  it('array locals: one view assigned another, compared and returned as numbers', () => {
    const f = dispatcher((a: NdArray, b: NdArray, pick: boolean) => {
      let c = a;
      if (pick) c = b;
      let s = 0;
      for (let i = 0; i < c.shape[0]; i++) s += c.get(i);
      return s > 0 ? s : c.shape[0] === 0;
    });
    const gen = fc.tuple(
      views(1, 1, { dtype: ['float64'] }),
      views(1, 1, { dtype: ['float64'] }),
      fc.boolean(),
    );
    fc.assert(
      fc.property(gen, ([a, b, pick]) => {
        expect(wasmEqualsJs(f, [a, b, pick])).toBe('wasm');
      }),
      runs(),
    );
  });

  it('declared signatures convert arguments and results on both paths', () => {
    const f = dispatcher(
      (a: NdArray, k: number) => {
        let s = 0;
        for (let i = 0; i < a.shape[0]; i++) s += a.get(i) * k;
        return s;
      },
      { signatures: ['int32(float64[:], int32)', 'uint32(int16[:], int32)'] },
    );
    fc.assert(
      fc.property(
        views(1, 1, { dtype: ['float64', 'int16'] }),
        fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
        (a, k) => {
          expect(wasmEqualsJs(f, [a, k])).toBe('wasm');
        },
      ),
      runs(40),
    );
  });
});
