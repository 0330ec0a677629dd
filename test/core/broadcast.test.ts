import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { broadcastStrides, formatShape } from '../../src/core/broadcast.js';
import { BroadcastError, broadcastShapes, ValueError } from '../../src/index.js';
import {
  allIndices,
  broadcastIndex,
  broadcastShapeOf,
  broadcastShapesArb,
  elementOffset,
  ndarrayArb,
  shapeArb,
} from '../../src/testing/index.js';
import { expectError, runs } from '../support.js';

describe('formatShape', () => {
  it('prints shapes the way NumPy does', () => {
    expect(formatShape([])).toBe('()');
    expect(formatShape([4])).toBe('(4,)');
    expect(formatShape([4, 3])).toBe('(4,3)');
    expect(formatShape([0, 1, 2])).toBe('(0,1,2)');
  });
});

describe('broadcastShapes', () => {
  it('broadcasts compatible shapes to the naive result', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }).chain(broadcastShapesArb), (shapes) => {
        expect(broadcastShapes(shapes)).toEqual(broadcastShapeOf(shapes));
      }),
      runs(200),
    );
  });

  it('throws exactly when the naive rule says the shapes are incompatible', () => {
    fc.assert(
      fc.property(fc.array(shapeArb({ maxSide: 3 }), { minLength: 1, maxLength: 3 }), (shapes) => {
        const expected = broadcastShapeOf(shapes);
        if (expected) expect(broadcastShapes(shapes)).toEqual(expected);
        else {
          const e = expectError(
            () => broadcastShapes(shapes),
            BroadcastError,
            `operands could not be broadcast together with shapes ${shapes.map(formatShape).join(' ')} `,
          );
          expect((e as BroadcastError).shapes).toEqual(shapes);
        }
      }),
      runs(200),
    );
  });

  it("uses NumPy's message (a ValueError, trailing space included)", () => {
    const e = expectError(
      () => broadcastShapes([[4, 3], [4]]),
      ValueError,
      'operands could not be broadcast together with shapes (4,3) (4,) ',
    );
    expect(e.name).toBe('BroadcastError');
    expect(broadcastShapes([[0], [1]])).toEqual([0]);
    expect(broadcastShapes([])).toEqual([]);
    expectError(() => broadcastShapes([[0], [2]]), BroadcastError, /\(0,\) \(2,\) $/);
  });
});

describe('broadcastStrides', () => {
  it('addresses the element broadcasting maps each index to', () => {
    fc.assert(
      fc.property(
        broadcastShapesArb(2).chain(([s, extra]) =>
          fc.tuple(ndarrayArb({ shape: s }), fc.constant(broadcastShapeOf([s, extra])!)),
        ),
        ([a, shape]) => {
          const st = broadcastStrides(a.shape, a.stride, shape);
          for (const idx of allIndices(shape)) {
            let p = a.offset;
            idx.forEach((i, d) => {
              p += st[d] * i;
            });
            expect(p).toBe(elementOffset(a, broadcastIndex(idx, a.shape)));
          }
        },
      ),
      runs(100),
    );
  });
});
