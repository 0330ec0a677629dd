/**
 * Finding 7: float sums. A reorderable float reduction reduces each inner run pairwise,
 * as NumPy does (float32: 1e6 x 0.1 is 100000.01, not 100958.34), and the `parallel`
 * target cuts a one-dim reduction at the nodes of that same pairwise tree and combines the
 * partials up the tree: its result is bit for bit the `cpu` one, for any number of workers.
 * Expected values below are NumPy 2's `np.add.reduce` on the same data.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  asarray,
  closePool,
  full,
  type NdArray,
  setParallelOptions,
  toArray,
  vectorize,
  zeros,
} from '../../src/index.js';
import { runs } from '../support.js';

const add = vectorize((a: number, b: number) => a + b, { identity: 0 });
const addPar = vectorize((a: number, b: number) => a + b, { identity: 0, target: 'parallel' });

afterAll(() => {
  setParallelOptions({ threshold: 65536 });
  closePool();
});

/** NumPy: np.add.reduce over x[i] = ((i * 7919) % 101) / 7 - 3 (float64). */
const NUMPY_SUMS: [number, number][] = [
  [1, -3],
  [7, 15.428571428571427],
  [8, 24.57142857142857],
  [9, 25.142857142857142],
  [127, 512.5714285714286],
  [128, 517.5714285714286],
  [129, 528.4285714285713],
  [1000, 4132.428571428571],
  [4097, 16968.42857142857],
];

describe('pairwise float reductions', () => {
  it('float32 sum of 1e6 x 0.1 is NumPy’s 100000.01', () => {
    expect(add.reduce(full([1_000_000], 0.1, 'float32'))).toBe(100000.0078125);
    expect(add.reduce(full([1_000_000], 0.1))).toBe(100000.00000000003);
  });

  it('float64 sums equal NumPy’s bit for bit (every branch of the pairwise recursion)', () => {
    for (const [n, want] of NUMPY_SUMS) {
      const x = asarray(Array.from({ length: n }, (_, i) => ((i * 7919) % 101) / 7 - 3));
      expect(add.reduce(x), `n = ${n}`).toBe(want);
    }
  });

  it('a strided inner run (axis 1 of a transposed array) is summed the same way', () => {
    const n = 1000;
    const m = zeros([n, 3]);
    for (let i = 0; i < 3 * n; i++) (m.data as Float64Array)[i] = ((i * 31) % 17) / 3;
    const byRows = add.reduce(m.transpose(1, 0), { axis: 1 }) as NdArray;
    const c = zeros([3, n]);
    for (let r = 0; r < 3; r++)
      for (let i = 0; i < n; i++) (c.data as Float64Array)[r * n + i] = m.data[i * 3 + r];
    expect(toArray(byRows)).toEqual(toArray(add.reduce(c, { axis: 1 }) as NdArray));
  });

  it('property: parallel equals cpu bit for bit, for 1 to 5 workers', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 20_000 }),
        fc.integer({ min: 1, max: 5 }),
        fc.constantFrom('float32', 'float64') as fc.Arbitrary<'float32' | 'float64'>,
        fc.integer(),
        (n, workers, dtype, seed) => {
          setParallelOptions({ workers, threshold: 0 });
          const a = zeros([n], dtype, { shared: true });
          let x = seed | 0;
          for (let i = 0; i < n; i++) {
            x = (Math.imul(x, 1103515245) + 12345) | 0;
            a.data[i] = (x % 1000) / 7;
          }
          expect(addPar.reduce(a)).toBe(add.reduce(a));
        },
      ),
      runs(12),
    );
  });
});
