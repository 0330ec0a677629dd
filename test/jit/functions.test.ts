/** The `functions` option in every kernel kind: jit functions and ufuncs compiled into the caller's loop. */
import { describe, expect, it } from 'vitest';
import {
  asarray,
  CompileError,
  Fields,
  guvectorize,
  jit,
  jitclass,
  type NdArray,
  type Rel,
  stencil,
  toArray,
  vectorize,
} from '../../src/index.js';
import { expectError } from '../support.js';

const sq = jit((x: number) => x * x);
const hypot = vectorize((x: number, y: number) => Math.sqrt(x * x + y * y));

describe('functions in every kernel kind', () => {
  it('vectorize calls a jit function and a ufunc per element', () => {
    const f = vectorize((x: number, y: number) => sq(x) + (hypot(x, y) as number), {
      functions: { sq, hypot },
    });
    expect(toArray(f(asarray([3, 0]), asarray([4, 2])) as NdArray)).toEqual([14, 2]);
    expect(f.inspect()).toMatch(/H\.c\[\d+\]\(/);
    // Types flow through: an int8 input calls the int8 version of the helper.
    const g = vectorize((x: number) => sq(x), { functions: { sq } });
    // jit's int64 result is a weak integer in the ufunc: an int32 result, no int8 wrap.
    expect(toArray(g(asarray(new Int8Array([100]))) as NdArray)).toEqual([10000]);
  });

  it('guvectorize calls a helper inside its core loop', () => {
    const dot = guvectorize(
      (x: NdArray, y: NdArray) => {
        let s = 0;
        for (let i = 0; i < x.shape[0]; i++) s += hypot(x.get(i), y.get(i)) as number;
        return s;
      },
      '(n),(n)->()',
      { functions: { hypot } },
    );
    expect(
      toArray(
        dot(
          asarray([
            [3, 6],
            [0, 0],
          ]),
          asarray([4, 8]),
        ) as NdArray,
      ),
    ).toEqual([15, 12]);
  });

  it('stencil calls a helper on its neighbours', () => {
    const clamp01 = jit((v: number) => (v < 0 ? 0 : v > 1 ? 1 : v));
    const blur = stencil((u: Rel) => clamp01(u(-1) + u(1)), { functions: { clamp01 } });
    expect(toArray(blur(asarray([0.25, 0.5, 0.75, 0.1])))).toEqual([0, 1, 0.6, 0]);
  });

  it('jitclass methods call helpers in .call', () => {
    const spec = { x: 'float64', y: 'float64' } as const;
    const P = jitclass(
      spec,
      class extends Fields(spec) {
        norm() {
          return hypot(this.x, this.y) as number;
        }
      },
      { functions: { hypot } },
    );
    const ps = P.array(2, (i) => ({ x: 3 * (i + 1), y: 4 * (i + 1) }));
    expect(toArray(ps.call('norm') as NdArray)).toEqual([5, 10]);
  });

  it('only the cpu target calls helpers; helpers of arrays need a jit caller', () => {
    expectError(
      () => vectorize((x: number) => sq(x), { functions: { sq }, target: 'parallel' }),
      TypeError,
      /functions .* run on the 'cpu' target; the 'parallel' target cannot call them/,
    );
    expectError(
      () => stencil((u: Rel) => sq(u(0)), { functions: { sq }, target: 'gpu' }),
      TypeError,
      /'gpu' target cannot call them/,
    );
    const total = jit((a: NdArray) => a.get(0));
    expectError(
      () => vectorize((x: number) => total(x as never), { functions: { total } }),
      CompileError,
      /in 'total' called with \(float64\): 'a' is float64, not an array: it has no \.get\(…\) \(line 1, column \d+ of 'total'\) \(line 1/,
    );
    expectError(
      () => vectorize((x: number) => x, { functions: { s: Math.sqrt } as never }),
      TypeError,
      /functions\.s must be a numbats jit function or vectorize ufunc/,
    );
  });
});
