import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { broadcastShapes, broadcastStrides } from '../../src/core/broadcast.js';
import { planLayout } from '../../src/core/layout.js';
import { allIndices, broadcastArraysArb, shapeSize } from '../../src/testing/index.js';
import { runs } from '../support.js';

/** Offsets (one per operand) of every iteration, walking a plan as nested loops. */
function walk(shape: readonly number[], strides: readonly (readonly number[])[]): string[] {
  const res: string[] = [];
  for (const idx of allIndices(shape)) {
    res.push(strides.map((s) => idx.reduce((p, i, d) => p + i * s[d], 0)).join(','));
  }
  return res;
}

describe('planLayout', () => {
  it('visits exactly the (operand offsets) tuples of the naive nest, each once', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 3 })
          .chain((n) => broadcastArraysArb(n, { maxDims: 4, maxSide: 3 })),
        (arrays) => {
          const shape = broadcastShapes(arrays.map((a) => a.shape));
          const strides = arrays.map((a) => broadcastStrides(a.shape, a.stride, shape));
          const plan = planLayout(shape, strides);
          expect(plan.size).toBe(shapeSize(shape));
          if (plan.size === 0) return;
          const got = walk(plan.shape, plan.strides).sort();
          const want = walk(shape, strides).sort();
          expect(got).toEqual(want);
          expect(plan.shape.every((d) => d > 1) || plan.shape.length <= 1).toBe(true);
          if (plan.contiguous) {
            expect(plan.shape).toHaveLength(1);
            expect(plan.strides.every((s) => s[0] === 1)).toBe(true);
          }
        },
      ),
      runs(150),
    );
  });

  it('merges a C-contiguous array into one flat loop and drops size-1 dims', () => {
    const plan = planLayout([2, 1, 3], [[3, 3, 1]]);
    expect(plan.shape).toEqual([6]);
    expect(plan.contiguous).toBe(true);
    const t = planLayout(
      [3, 2],
      [
        [1, 3],
        [2, 1],
      ],
    );
    expect(t.contiguous).toBe(false);
    expect(planLayout([0, 5], [[5, 1]]).size).toBe(0);
    expect(planLayout([], [[]]).shape).toEqual([]);
  });

  it('never reverses a dim (order-sensitive loops rely on it)', () => {
    const plan = planLayout([4], [[-1]]);
    expect(plan.strides[0]).toEqual([-1]);
    const p2 = planLayout(
      [3, 4],
      [
        [-4, -1],
        [0, 0],
      ],
    );
    expect(walk(p2.shape, p2.strides)[0]).toBe('0,0');
  });
});
