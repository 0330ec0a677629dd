/**
 * The SIMD stencil rows (targets/wasm/stencil-rows.ts) under every tuning: chunked row
 * reads (aligned loads and byte shuffles), the alignment peel (one unaligned step, then
 * aligned ones that write some cells again), unrolled bodies and the one-step and scalar
 * tails, agree with the JS loop bit for bit. Rows of any width (shorter than one step, than
 * the unrolled body, odd), inputs and outputs that are views at any offset (so rows whose
 * alignment differs from the output's, and the body without chunks), every lane dtype.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type Boundary,
  type DType,
  type NdArray,
  type Rel,
  stencil,
  zeros,
} from '../../../src/index.js';
import { lastStencilPathOfAnyCall } from '../../../src/targets/wasm/stencil.js';
import { stencilTuning } from '../../../src/targets/wasm/stencil-rows.js';
import { runs } from '../../support.js';
import { both, expectSameBits, SIMD_DTYPES, useWasmForEveryCall } from './helpers.js';

useWasmForEveryCall();

const DEFAULTS = { ...stencilTuning };
afterEach(() => {
  Object.assign(stencilTuning, DEFAULTS);
});

const TUNINGS: (typeof stencilTuning)[] = [
  DEFAULTS,
  { unroll: 1, rowChunks: true, peel: 'row', strip: 0 },
  { unroll: 3, rowChunks: true, peel: false, strip: 64 },
  { unroll: 2, rowChunks: false, peel: 'output', strip: 0 },
  { unroll: 8, rowChunks: true, peel: 'output', strip: 0 },
  // Strips of 16 cells: several per row.
  { unroll: 4, rowChunks: true, peel: 'output', strip: 16 },
];

const MODES: readonly Boundary[] = ['skip', 'constant', 'nearest', 'wrap'];

/** A view of `rows`×`width` cells at (`r0`, `c0`) of a larger heap array of `t`, filled. */
function viewOf(t: DType, rows: number, width: number, r0: number, c0: number, seed: number) {
  const base = zeros([rows + r0 + 1, width + c0 + 3], t);
  const d = base.data as unknown as number[];
  let x = seed;
  for (let j = 0; j < d.length; j++) {
    x = (Math.imul(x, 1103515245) + 12345) | 0;
    d[j] = t.startsWith('float') ? (x % 2000) / 8 - 100 : x % 300;
  }
  if (t.startsWith('float') && d.length > 3) {
    d[1] = Number.NaN;
    d[2] = -0;
  }
  return base.hi(rows + r0, width + c0).lo(r0, c0) as NdArray;
}

describe('SIMD stencil rows equal the JS loop under every tuning', () => {
  TUNINGS.forEach((tuning, which) => {
    it(`tuning ${which}: ${JSON.stringify(tuning)}`, () => {
      fc.assert(
        fc.property(
          fc.constantFrom(...SIMD_DTYPES),
          fc.integer({ min: 1, max: 5 }),
          fc.integer({ min: 1, max: 90 }),
          fc.tuple(fc.nat(2), fc.nat(17)),
          fc.option(fc.tuple(fc.nat(1), fc.nat(17))),
          fc.array(fc.tuple(fc.integer({ min: -1, max: 1 }), fc.integer({ min: -3, max: 3 })), {
            minLength: 2,
            maxLength: 6,
          }),
          fc.constantFrom(...MODES),
          fc.integer(),
          (t, rows, width, [r0, c0], outAt, reads, mode, seed) => {
            Object.assign(stencilTuning, tuning);
            const a = viewOf(t, rows, width, r0, c0, seed);
            const body = reads.map(([i, j], k) => `${k % 2 ? '-' : '+'} u(${i}, ${j})`).join(' ');
            const s = stencil(new Function('u', `return 0 ${body};`) as (u: Rel) => number, {
              boundary: mode,
            });
            const call = () => {
              if (!outAt) return s(a);
              const o = viewOf(t, rows, width, outAt[0], outAt[1], seed + 1);
              s(a, { out: o });
              return o;
            };
            const [js, w] = both(call, lastStencilPathOfAnyCall);
            const path = lastStencilPathOfAnyCall();
            if (typeof js === 'string' || typeof w === 'string') expect(w).toBe(js);
            else expectSameBits(w, js, `${t} ${rows}×${width} at ${r0},${c0} ${body} ${mode}`);
            // (A single column is laid out along axis 0: that axis is the inner loop.)
            if (width > 1) expect(path).toMatch(/^wasm interior: SIMD/);
          },
        ),
        runs(60),
      );
    });
  });

  it('the Laplacian of odd widths around the unrolled body (float64, float32, int16)', () => {
    const lap = stencil((u: Rel) => u(-1, 0) + u(1, 0) + u(0, -1) + u(0, 1) - 4 * u(0, 0));
    for (const t of ['float64', 'float32', 'int16'] as const)
      for (let width = 1; width <= 41; width++) {
        const a = viewOf(t, 4, width, 0, width % 3, width);
        const [js, w, path] = both(() => lap(a), lastStencilPathOfAnyCall);
        expectSameBits(w as NdArray, js as NdArray, `${t} width ${width}`);
        if (width > 2) expect(path).toContain('SIMD');
      }
  });
});
