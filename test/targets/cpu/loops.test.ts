/**
 * The cpu target's generated loops, through the public API: each layout class the loop
 * generator specialises on (flat contiguous, contiguous at an offset, strided nests with a
 * stride-0 inner operand, a single element, masks, reduction and scan registers) and larger
 * arrays than the other property tests use, all against the naive references.
 */
import fc from 'fast-check';
import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import { asarray, dtypeOf, type NdArray, vectorize } from '../../../src/index.js';
import {
  assertArraysEqual,
  broadcastArraysArb,
  castTo,
  fromValues,
  ndarrayArb,
  refAccumulate,
  refCall,
  refReduce,
} from '../../../src/testing/index.js';
import { runs } from '../../support.js';

const f = (a: number, b: number) => a * 2 - b;
const u = vectorize(f, { identity: 0 });
const add = vectorize((a: number, b: number) => a + b, { identity: 0 });
const sub = vectorize((a: number, b: number) => a - b);

const iota = (n: number, shape: number[] = [n], dtype: 'float64' | 'int32' = 'float64') =>
  fromValues(
    Array.from({ length: n }, (_, i) => (i * 7) % 11),
    shape,
    dtype,
  );

function check(a: NdArray | number, b: NdArray | number, opts: { where?: NdArray } = {}) {
  const r = u(a, b, opts) as NdArray;
  assertArraysEqual(r, refCall(f, [a, b], { outDtype: dtypeOf(r), where: opts.where }));
}

describe('layout classes', () => {
  it('flat contiguous operands (zero offsets and with offsets)', () => {
    check(iota(1000), iota(1000));
    const base = iota(1010);
    check(base.lo(5).hi(1000) as NdArray, base.lo(3).hi(1000) as NdArray);
    check(iota(24, [2, 3, 4]), iota(24, [2, 3, 4]));
  });

  it('strided nests, transposes, negative strides and stride-0 inner operands', () => {
    const m = iota(600, [20, 30]);
    check(m, iota(600, [30, 20]).transpose(1, 0) as NdArray);
    check(m.step(-1, 2) as NdArray, iota(15));
    check(m, iota(30));
    check(m, iota(20, [20, 1]));
    const row = ndarray(new Float64Array([1, 2, 3]), [4, 3], [0, 1]) as NdArray;
    check(row, row.transpose(0, 1) as NdArray);
  });

  it('a single element (0-d, or all size-1 dims)', () => {
    check(asarray(3), asarray(4));
    check(iota(1, [1, 1, 1]), 2);
    expect(u(3, 4)).toBe(2);
  });

  it('masks on every layout', () => {
    const m = iota(600, [20, 30]);
    const w = fromValues(
      Array.from({ length: 30 }, (_, i) => i % 3),
      [30],
      'bool',
    );
    check(m, 1, { where: w });
    // Masks are bool (like NumPy's where); iota's values are nonzero except the first.
    const mask = (shape: number[]) =>
      fromValues(
        Array.from({ length: shape.reduce((x, y) => x * y, 1) }, (_, i) => (i === 0 ? 0 : 1)),
        shape,
        'bool',
      );
    check(m.transpose(1, 0) as NdArray, 1, { where: mask([1, 20]) });
    check(m.transpose(1, 0) as NdArray, iota(30, [30, 1]), { where: mask([20]) });
  });

  it('reduction registers along the inner and outer axes', () => {
    const m = iota(600, [20, 30], 'int32');
    for (const axis of [0, 1, -1, null]) {
      assertArraysEqual(
        add.reduce(m, { axis, keepdims: true }),
        refReduce((a, b) => a + b, m, { axis, keepdims: true, identity: 0 }),
      );
      assertArraysEqual(
        add.reduce(m.transpose(1, 0) as NdArray, { axis, initial: 5 }),
        refReduce((a, b) => a + b, m.transpose(1, 0) as NdArray, { axis, initial: 5 }),
      );
    }
    for (const axis of [0, 1]) {
      assertArraysEqual(
        sub.reduce(m, { axis }),
        refReduce((a, b) => a - b, m, { axis }),
      );
    }
  });

  it('scan registers (accumulate along the inner and outer axes)', () => {
    const m = iota(600, [20, 30], 'int32');
    for (const a of [m, m.transpose(1, 0) as NdArray, m.step(-1, -1) as NdArray]) {
      for (const axis of [0, 1]) {
        assertArraysEqual(
          sub.accumulate(a, { axis }),
          refAccumulate((x, y) => x - y, a, { axis }),
        );
      }
    }
  });
});

describe('larger random views', () => {
  it('call matches refCall', () => {
    fc.assert(
      fc.property(broadcastArraysArb(2, { maxDims: 3, maxSide: 12 }), ([a, b]) => {
        const r = u(a, b) as NdArray;
        // a * 2 keeps a's integer type (2 is a weak literal) before b is subtracted.
        const ta = dtypeOf(a) === 'bool' ? 'int32' : dtypeOf(a);
        const ref = (x: number, y: number) => castTo(ta, x * 2) - y;
        assertArraysEqual(r, refCall(ref, [a, b], { outDtype: dtypeOf(r) }));
      }),
      runs(40),
    );
  });

  it('reduce and accumulate match the references', () => {
    fc.assert(
      fc.property(
        ndarrayArb({
          minDims: 1,
          maxDims: 3,
          maxSide: 12,
          dtype: ['int32', 'int16', 'float64'],
          small: true,
        }),
        (a) => {
          const nd = a.shape.length;
          for (let axis = 0; axis < nd; axis++) {
            assertArraysEqual(
              sub.accumulate(a, { axis }),
              refAccumulate((x, y) => x - y, a, { axis }),
            );
            assertArraysEqual(
              add.reduce(a, { axis, keepdims: true }),
              refReduce((x, y) => x + y, a, { axis, keepdims: true, identity: 0 }),
            );
          }
          assertArraysEqual(
            add.reduce(a, { axis: null }),
            refReduce((x, y) => x + y, a, { axis: null, identity: 0 }),
          );
        },
      ),
      runs(40),
    );
  });
});
