/**
 * The Numba tutorial ports (examples/jit/tutorials.ts) and a Laplacian double loop on the
 * wasm engine against the JS path, bit for bit, with heap arguments over random views; the
 * ones that allocate inside or call helpers run the JS path and say so.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  approximatePi,
  closestPoints,
  lifeStep,
  matmul,
  sumLoops,
} from '../../../examples/jit/tutorials.js';
import { type NdArray, zeros } from '../../../src/index.js';
import { runs } from '../../support.js';
import { useWasmForEveryCall } from './helpers.js';
import { dispatcher, views, wasmEqualsJs } from './jit-helpers.js';

useWasmForEveryCall();

const laplacian = dispatcher((u: NdArray, out: NdArray) => {
  const [n, m] = u.shape;
  for (let i = 1; i < n - 1; i++)
    for (let j = 1; j < m - 1; j++)
      out.set(
        i,
        j,
        u.get(i - 1, j) + u.get(i + 1, j) + u.get(i, j - 1) + u.get(i, j + 1) - 4 * u.get(i, j),
      );
});

describe('tutorial ports on wasm equal the JS path', () => {
  it('a Laplacian double loop (neighbour indices on their axes) over any view', () => {
    fc.assert(
      fc.property(views(2, 2, { writable: true }), (u) => {
        // out: a heap copy of the same view (same shape and strides).
        expect(wasmEqualsJs(laplacian, [u, u])).toBe('wasm');
      }),
      runs(),
    );
  });

  it('matmul of a random view by its transpose', () => {
    fc.assert(
      fc.property(views(2, 2, { dtype: ['float64', 'float32', 'int16'] }), (a) => {
        const m = a.shape[0];
        const b = a.transpose(1, 0) as NdArray;
        expect(wasmEqualsJs(matmul, [a, b, zeros([m, m])])).toBe('wasm');
      }),
      runs(),
    );
  });

  it('Life step on uint8 boards, the live count returned', () => {
    fc.assert(
      fc.property(views(2, 2, { dtype: ['uint8'], writable: true }), (a) => {
        expect(wasmEqualsJs(lifeStep, [a, a])).toBe('wasm');
      }),
      runs(),
    );
  });

  it('sum_numba(3000) and Monte-Carlo π (an int64 % 2^32 LCG) with no arrays', () => {
    expect(wasmEqualsJs(sumLoops, [3000])).toBe('wasm');
    expect(sumLoops(3000)).toBe(26991000000);
    expect(wasmEqualsJs(approximatePi, [20_000, 12345])).toBe('wasm');
  });

  it('closest points allocates its result arrays: the JS path, with the reason', () => {
    const pts = zeros([5, 2]);
    for (let i = 0; i < 10; i++) pts.data[i] = (i * 37) % 11;
    expect(wasmEqualsJs(closestPoints, [pts])).toMatch(
      /^js: (arrays allocated inside|the function returns an array)/,
    );
  });
});
