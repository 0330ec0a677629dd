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
  goFast,
  goFast1d,
  lifeStep,
  matmul,
  rowMeans,
  sumLoops,
} from '../../../examples/jit/tutorials.js';
import { empty, full, type NdArray, zeros } from '../../../src/index.js';
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

  it('closest points, go_fast and row means allocate their results on the heap, on wasm', () => {
    fc.assert(
      fc.property(views(2, 2, { dtype: ['float64', 'int32', 'float32'] }), (a) => {
        // (An empty board reads points(0, k) outside its block: that differs by design.)
        if (a.shape[0] > 0 && a.shape[1] >= 2)
          expect(wasmEqualsJs(closestPoints, [a])).toBe('wasm');
        expect(wasmEqualsJs(rowMeans, [a])).toBe('wasm');
        if (a.shape[0] === a.shape[1]) expect(wasmEqualsJs(goFast, [a])).toBe('wasm');
        if (a.shape[1] > 0)
          expect(wasmEqualsJs(goFast1d, [a.pick(null, 0) as NdArray])).toBe('wasm');
      }),
      runs(),
    );
  });

  it('allocations: full with a fill value of every dtype, bad extents raise as on the JS path', () => {
    const make = dispatcher((n: number, v: number) => {
      const a = full([n, 2], v, 'int8');
      const f = full(n, v, 'float32');
      const t = full(n, v, 'bool');
      const b = zeros(a.shape);
      const c = empty([n], 'uint16');
      return [a, f, t, b, c, a.size + b.size + c.size];
    });
    fc.assert(
      fc.property(fc.integer({ min: -1, max: 6 }), fc.oneof(fc.double(), fc.integer()), (n, v) => {
        const path = wasmEqualsJs(make, [n, v]);
        expect(path).toBe('wasm');
      }),
      runs(),
    );
  });

  it('an array argument returned, or a view of it through a local', () => {
    const pick = dispatcher((a: NdArray, b: NdArray, first: boolean) => {
      let c = a;
      if (!first) c = b;
      return [c, b.size];
    });
    fc.assert(
      fc.property(
        views(2, 2, { dtype: ['float64'] }),
        views(2, 2, { dtype: ['float64'] }),
        fc.boolean(),
        (a, b, first) => {
          expect(wasmEqualsJs(pick, [a, b, first])).toBe('wasm');
        },
      ),
      runs(),
    );
  });
});
