/**
 * 8-bit SIMD multiplies (i8x16 has none: 16-bit `extmul` products, then their low bytes)
 * wrap as NumPy does and equal the JS loop bit for bit: int8 and uint8, elementwise kernels,
 * number arguments, constants, reductions and stencils, contiguous arrays at any offset
 * (SIMD) and strided views (scalar wasm).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type NdArray, type Rel, stencil, vectorize, zeros } from '../../../src/index.js';
import { lastStencilPathOfAnyCall } from '../../../src/targets/wasm/stencil.js';
import { runs } from '../../support.js';
import { both, expectSame, expectSameBits, useWasmForEveryCall } from './helpers.js';

useWasmForEveryCall();

const T8 = ['int8', 'uint8'] as const;

/** `n` cells of `t` from `seed` at element `at` of a larger heap array (a contiguous view). */
function bytes(t: (typeof T8)[number], n: number, at: number, seed: number): NdArray {
  const base = zeros([n + at + 2], t);
  const d = base.data as Int8Array | Uint8Array;
  let x = seed;
  for (let i = 0; i < d.length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) | 0;
    d[i] = x >>> 16;
  }
  return base.hi(n + at).lo(at) as NdArray;
}

describe('8-bit SIMD multiplies', () => {
  const kernels = [
    vectorize((a: number, b: number) => a * b, { name: 'mul' }),
    vectorize((a: number, b: number) => a * b * a + 3, { name: 'cube' }),
    vectorize((a: number, b: number) => (a * 7 > b ? a * b : b * -3), { name: 'select' }),
    vectorize((a: number, b: number) => a * (b * (a * b)), { name: 'nested' }),
  ];

  it('elementwise: wraps like the JS loop on contiguous views at any offset and strided ones', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...T8),
        fc.integer({ min: 0, max: 70 }),
        fc.nat(17),
        fc.nat(17),
        fc.nat(kernels.length - 1),
        fc.boolean(),
        (t, n, at, bt, which, strided) => {
          let a = bytes(t, strided ? 2 * n : n, at, seed(1));
          let b = bytes(t, strided ? 2 * n : n, bt, seed(2));
          function seed(k: number) {
            return which * 31 + k * 7 + n;
          }
          if (strided) {
            a = a.step(2) as NdArray;
            b = b.step(-2) as NdArray;
          }
          const [js, w, path] = both(() => kernels[which](a, b) as NdArray);
          expectSameBits(w as NdArray, js as NdArray, `${t} ${kernels[which].name}`);
          if (n > 1) expect(path).toMatch(strided ? /^wasm: scalar/ : /^wasm: SIMD i8x16/);
        },
      ),
      runs(100),
    );
  });

  it('a number argument multiplies in lanes, cast to the dtype first', () => {
    const scale = vectorize((a: number, s: number) => a * s, { name: 'scale' });
    for (const t of T8)
      for (const s of [3, -1, 200, 255, 0]) {
        const a = bytes(t, 40, 3, s);
        const [js, w] = both(() => scale(a, s) as NdArray);
        // (A number outside the dtype raises NumPy's OverflowError on both paths.)
        if (typeof js === 'string') expect(w).toBe(js);
        else expectSameBits(w as NdArray, js, `${t} × ${s}`);
      }
  });

  it('uint8 values: 16 · 16 is 0, 255 · 255 is 1, int8 -128 · -1 is -128', () => {
    const mul = kernels[0];
    const u = zeros([32], 'uint8');
    const v = zeros([32], 'uint8');
    u.data.fill(16);
    v.data.fill(16);
    u.data[1] = v.data[1] = 255;
    const r = mul(u, v) as NdArray;
    expect([r.get(0), r.get(1)]).toEqual([0, 1]);
    const i = zeros([32], 'int8');
    const j = zeros([32], 'int8');
    i.data.fill(-128);
    j.data.fill(-1);
    expect((mul(i, j) as NdArray).get(5)).toBe(-128);
  });

  it('product reductions and a multiplying stencil', () => {
    const prod = vectorize((a: number, b: number) => a * b, { identity: 1, name: 'prod' });
    const s = stencil((u: Rel) => u(-1) * u(1) - 4 * u(0), { boundary: 'wrap' });
    for (const t of T8) {
      const a = bytes(t, 67, 5, 9);
      for (let i = 0; i < 67; i++) a.set(i, (a.get(i) as number) | 1); // odd: no early 0
      const [pj, pw] = both(() => prod.reduce(a) as number);
      expectSame(pw, pj, `${t} product`);
      const [sj, sw] = both(() => s(a) as NdArray, lastStencilPathOfAnyCall);
      expectSameBits(sw as NdArray, sj as NdArray, `${t} stencil`);
      expect(lastStencilPathOfAnyCall()).toContain('SIMD i8x16');
    }
  });
});
