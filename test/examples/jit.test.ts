/**
 * The Numba tutorial ports (examples/jit/tutorials.ts) give Numba's results: values were
 * computed with Numba's @njit on the same inputs (the Monte-Carlo points come from the same
 * integer LCG, so they are identical), or checked against plain loops.
 */
import { describe, expect, it } from 'vitest';
import * as ex from '../../examples/jit/prange.js';
import {
  approximatePi,
  closestPoints,
  goFast,
  goFast1d,
  lifeRun,
  lifeStep,
  matmul,
  rowMeans,
  sumLoops,
} from '../../examples/jit/tutorials.js';
import {
  asarray,
  closePool,
  type NdArray,
  random,
  setParallelOptions,
  toNested,
  zeros,
} from '../../src/index.js';

describe('Numba tutorial ports', () => {
  it('go_fast: tanh trace added to every element (Numba: 2.728859566860641 at [1, 2])', () => {
    const x = asarray(
      Array.from({ length: 4 }, (_, i) => [0, 1, 2, 3].map((j) => (i * 4 + j) / 10)),
    );
    const r = goFast(x) as NdArray;
    expect(r.get(1, 2)).toBe(2.728859566860641);
    const v = goFast1d(asarray([0, 1])) as NdArray;
    expect(toNested(v)).toEqual([Math.tanh(1), 1 + Math.tanh(1)]);
  });

  it('sum_numba(3000) = 26991000000 with its int64(int64) signature', () => {
    expect(sumLoops(3000)).toBe(26991000000);
    expect(sumLoops.signatures).toEqual(['(int64) -> int64']);
  });

  it('Monte-Carlo π draws the same points as Numba', () => {
    expect(approximatePi(1_000_000, 12345)).toBe(3.141948);
    expect(approximatePi(1000, 7)).toBe(3.12);
  });

  it('three-loop matrix multiplication equals a plain product, on views too', () => {
    const A = asarray([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const B = asarray([
      [1, 0],
      [0, 1],
      [2, 2],
    ]);
    const C = zeros([2, 2]);
    matmul(A, B, C);
    expect(toNested(C)).toEqual([
      [7, 8],
      [16, 17],
    ]);
    const Ct = zeros([3, 3]);
    matmul(B, A.transpose(0, 1), Ct);
    expect(toNested(Ct)).toEqual([
      [1, 2, 3],
      [4, 5, 6],
      [10, 14, 18],
    ]);
  });

  it('closest pair of points (Numba: distance 0.02287257058955806)', () => {
    const pts = asarray(
      Array.from({ length: 200 }, (_, i) => [((i * 37) % 101) / 101, ((i * 53) % 97) / 97]),
    );
    const [p1, p2, d] = closestPoints(pts) as [NdArray, NdArray, number];
    expect(d).toBe(0.02287257058955806);
    expect(toNested(p1)).toEqual([10 / 101, 62 / 97]);
    expect(toNested(p2)).toEqual([11 / 101, 60 / 97]);
  });

  it('row means of squares', () => {
    const a = asarray([
      [1, 2],
      [3, 4],
      [0, 0],
    ]);
    expect(toNested(rowMeans(a) as NdArray)).toEqual([2.5, 12.5, 0]);
  });

  it('Life: a blinker oscillates, a block is still, the border stays dead', () => {
    const board = zeros([6, 6], 'uint8');
    for (const j of [1, 2, 3]) board.set(2, j, 1);
    const [one, alive] = lifeRun(board, 1) as [NdArray, number];
    expect(alive).toBe(3);
    expect((toNested(one) as number[][]).map((r) => r.join(''))).toEqual([
      '000000',
      '001000',
      '001000',
      '001000',
      '000000',
      '000000',
    ]);
    const [two] = lifeRun(board, 2) as [NdArray, number];
    expect(toNested(two)).toEqual(toNested(board));
    const out = zeros([4, 4], 'uint8');
    const b = zeros([4, 4], 'uint8');
    for (const [i, j] of [
      [1, 1],
      [1, 2],
      [2, 1],
      [2, 2],
    ])
      b.set(i, j, 1);
    expect(lifeStep(b, out)).toBe(4);
    expect(toNested(out)).toEqual(toNested(b));
  });
});

describe('Numba parallel tutorial ports (prange)', () => {
  it('give the serial results: sum and trace within rounding, the rest exactly', () => {
    setParallelOptions({ threshold: 0 });
    try {
      const x = random([20000], { seed: 3, shared: true });
      expect(ex.psum.parallel(x)).toBeCloseTo(ex.psum.serial(x) as number, 8);
      expect(ex.tanhTrace.parallel(x)).toBeCloseTo(ex.tanhTrace.serial(x) as number, 8);
      const A = random([70, 30], { seed: 4 });
      const B = random([30, 50], { seed: 5 });
      const C1 = zeros([70, 50]);
      const C2 = zeros([70, 50], 'float64', { shared: true });
      ex.matmul.parallel(A, B, C1);
      ex.matmul.serial(A, B, C2);
      expect(toNested(C1)).toEqual(toNested(C2));
      const rows = random([500, 64], { seed: 6 });
      expect(toNested(ex.rowMeans.parallel(rows) as NdArray)).toEqual(
        toNested(ex.rowMeans.serial(rows) as NdArray),
      );
      const pts = random([600, 2], { seed: 7 });
      const got = ex.closestPair.parallel(pts) as [NdArray, NdArray, number];
      const want = ex.closestPair.serial(pts) as [NdArray, NdArray, number];
      expect(got.map((v) => (typeof v === 'number' ? v : toNested(v)))).toEqual(
        want.map((v) => (typeof v === 'number' ? v : toNested(v))),
      );
      expect(ex.closestPair.parallel.diagnostics()[0].loops[0]).toMatchObject({
        parallel: true,
        races: [],
      });
      // The tutorials' own closest-pair search (no prange) finds the same pair.
      const [q1, q2, d] = closestPoints(pts) as [NdArray, NdArray, number];
      expect(d).toBe(got[2]);
      expect([toNested(q1), toNested(q2)]).toEqual([toNested(got[0]), toNested(got[1])]);
    } finally {
      setParallelOptions({ threshold: 65536 });
      closePool();
    }
  });
});
