/**
 * Finding 4: NumPy's integer semantics. Shift counts outside [0, bits) shift every bit out
 * (`int32 1 << 33` is 0; `int8 -128 >> 33` is -1), a negative integer power is NumPy's
 * ValueError, and a `where` mask must be bool (NumPy: TypeError for any numeric mask).
 * The shift table below was produced by NumPy 2 (`(a << b)`, `(a >> b)` with a and b of
 * the same dtype).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  asarray,
  closePool,
  type DType,
  type NdArray,
  setParallelOptions,
  toArray,
  ValueError,
  vectorize,
  zeros,
} from '../../src/index.js';
import { fromValues } from '../../src/testing/index.js';
import { snapshot } from '../support.js';

/** [dtype, a, b, a << b, a >> b] from NumPy. */
const NUMPY_SHIFTS: [DType, number[], number, number[], number[]][] = JSON.parse(
  '[["int8", [1, -128, 7], 0, [1, -128, 7], [1, -128, 7]], ["int8", [1, -128, 7], 1, [2, 0, 14], [0, -64, 3]], ["int8", [1, -128, 7], 7, [-128, 0, -128], [0, -1, 0]], ["int8", [1, -128, 7], 8, [0, 0, 0], [0, -1, 0]], ["int8", [1, -128, 7], 15, [0, 0, 0], [0, -1, 0]], ["int8", [1, -128, 7], 16, [0, 0, 0], [0, -1, 0]], ["int8", [1, -128, 7], 31, [0, 0, 0], [0, -1, 0]], ["int8", [1, -128, 7], 32, [0, 0, 0], [0, -1, 0]], ["int8", [1, -128, 7], 33, [0, 0, 0], [0, -1, 0]], ["int8", [1, -128, 7], 40, [0, 0, 0], [0, -1, 0]], ["int16", [1, -5, 7], 0, [1, -5, 7], [1, -5, 7]], ["int16", [1, -5, 7], 1, [2, -10, 14], [0, -3, 3]], ["int16", [1, -5, 7], 7, [128, -640, 896], [0, -1, 0]], ["int16", [1, -5, 7], 8, [256, -1280, 1792], [0, -1, 0]], ["int16", [1, -5, 7], 15, [-32768, -32768, -32768], [0, -1, 0]], ["int16", [1, -5, 7], 16, [0, 0, 0], [0, -1, 0]], ["int16", [1, -5, 7], 31, [0, 0, 0], [0, -1, 0]], ["int16", [1, -5, 7], 32, [0, 0, 0], [0, -1, 0]], ["int16", [1, -5, 7], 33, [0, 0, 0], [0, -1, 0]], ["int16", [1, -5, 7], 40, [0, 0, 0], [0, -1, 0]], ["int32", [1, -5, 7], 0, [1, -5, 7], [1, -5, 7]], ["int32", [1, -5, 7], 1, [2, -10, 14], [0, -3, 3]], ["int32", [1, -5, 7], 7, [128, -640, 896], [0, -1, 0]], ["int32", [1, -5, 7], 8, [256, -1280, 1792], [0, -1, 0]], ["int32", [1, -5, 7], 15, [32768, -163840, 229376], [0, -1, 0]], ["int32", [1, -5, 7], 16, [65536, -327680, 458752], [0, -1, 0]], ["int32", [1, -5, 7], 31, [-2147483648, -2147483648, -2147483648], [0, -1, 0]], ["int32", [1, -5, 7], 32, [0, 0, 0], [0, -1, 0]], ["int32", [1, -5, 7], 33, [0, 0, 0], [0, -1, 0]], ["int32", [1, -5, 7], 40, [0, 0, 0], [0, -1, 0]], ["uint8", [1, 200, 7], 0, [1, 200, 7], [1, 200, 7]], ["uint8", [1, 200, 7], 1, [2, 144, 14], [0, 100, 3]], ["uint8", [1, 200, 7], 7, [128, 0, 128], [0, 1, 0]], ["uint8", [1, 200, 7], 8, [0, 0, 0], [0, 0, 0]], ["uint8", [1, 200, 7], 15, [0, 0, 0], [0, 0, 0]], ["uint8", [1, 200, 7], 16, [0, 0, 0], [0, 0, 0]], ["uint8", [1, 200, 7], 31, [0, 0, 0], [0, 0, 0]], ["uint8", [1, 200, 7], 32, [0, 0, 0], [0, 0, 0]], ["uint8", [1, 200, 7], 33, [0, 0, 0], [0, 0, 0]], ["uint8", [1, 200, 7], 40, [0, 0, 0], [0, 0, 0]], ["uint16", [1, 200, 7], 0, [1, 200, 7], [1, 200, 7]], ["uint16", [1, 200, 7], 1, [2, 400, 14], [0, 100, 3]], ["uint16", [1, 200, 7], 7, [128, 25600, 896], [0, 1, 0]], ["uint16", [1, 200, 7], 8, [256, 51200, 1792], [0, 0, 0]], ["uint16", [1, 200, 7], 15, [32768, 0, 32768], [0, 0, 0]], ["uint16", [1, 200, 7], 16, [0, 0, 0], [0, 0, 0]], ["uint16", [1, 200, 7], 31, [0, 0, 0], [0, 0, 0]], ["uint16", [1, 200, 7], 32, [0, 0, 0], [0, 0, 0]], ["uint16", [1, 200, 7], 33, [0, 0, 0], [0, 0, 0]], ["uint16", [1, 200, 7], 40, [0, 0, 0], [0, 0, 0]], ["uint32", [1, 200, 7], 0, [1, 200, 7], [1, 200, 7]], ["uint32", [1, 200, 7], 1, [2, 400, 14], [0, 100, 3]], ["uint32", [1, 200, 7], 7, [128, 25600, 896], [0, 1, 0]], ["uint32", [1, 200, 7], 8, [256, 51200, 1792], [0, 0, 0]], ["uint32", [1, 200, 7], 15, [32768, 6553600, 229376], [0, 0, 0]], ["uint32", [1, 200, 7], 16, [65536, 13107200, 458752], [0, 0, 0]], ["uint32", [1, 200, 7], 31, [2147483648, 0, 2147483648], [0, 0, 0]], ["uint32", [1, 200, 7], 32, [0, 0, 0], [0, 0, 0]], ["uint32", [1, 200, 7], 33, [0, 0, 0], [0, 0, 0]], ["uint32", [1, 200, 7], 40, [0, 0, 0], [0, 0, 0]]]',
);

beforeAll(() => setParallelOptions({ workers: 2, threshold: 0 }));
afterAll(() => {
  setParallelOptions({ threshold: 65536 });
  closePool();
});

describe('integer shifts follow NumPy for every count', () => {
  for (const target of ['cpu', 'parallel'] as const) {
    const shl = vectorize((a: number, b: number) => a << b, { target });
    const shr = vectorize((a: number, b: number) => a >> b, { target });
    it(`on ${target}`, () => {
      for (const [t, a, b, left, right] of NUMPY_SHIFTS) {
        const x = fromValues(a, [a.length], t);
        const y = fromValues([b], [], t);
        expect(toArray(shl(x, y) as NdArray), `${t} ${a} << ${b}`).toEqual(left);
        expect(toArray(shr(x, y) as NdArray), `${t} ${a} >> ${b}`).toEqual(right);
      }
    });
  }

  it('the issue examples: int32 1 << 33 is 0, int8 -128 >> 33 is -1', () => {
    const shl = vectorize((a: number, b: number) => a << b);
    const shr = vectorize((a: number, b: number) => a >> b);
    expect(toArray(shl(fromValues([1], [1], 'int32'), 33) as NdArray)).toEqual([0]);
    expect(toArray(shr(fromValues([-128], [1], 'int8'), 33) as NdArray)).toEqual([-1]);
  });
});

describe('negative integer powers', () => {
  for (const target of ['cpu', 'parallel'] as const) {
    it(`are NumPy's ValueError on ${target}, and out stays untouched`, () => {
      const pow = vectorize((a: number, b: number) => a ** b, { target });
      const a = fromValues([2, 3, 4, 5], [4], 'int32');
      expect(() => pow(a, -1)).toThrow(ValueError);
      expect(() => pow(a, fromValues([1, 1, -1, 1], [4], 'int32'))).toThrow(
        'Integers to negative integer powers are not allowed.',
      );
      expect(toArray(pow(a, 2) as NdArray)).toEqual([4, 9, 16, 25]);
      // Floats are not integers: 2.0 ** -1 is 0.5.
      expect(toArray(pow(asarray([2, 4]), -1) as NdArray)).toEqual([0.5, 0.25]);
    });
  }
});

describe('where masks must be bool', () => {
  const add = vectorize((a: number, b: number) => a + b);
  it('a numeric or NaN mask is a TypeError (NumPy: cannot cast to bool under "safe")', () => {
    const out = zeros([3]);
    const before = snapshot(out);
    for (const where of [
      asarray([1, 0, 1]),
      asarray([Number.NaN, 0, 1]),
      fromValues([1, 0, 1], [3], 'uint8'),
      1,
    ]) {
      expect(() => add(asarray([1, 2, 3]), 1, { out, where })).toThrow(TypeError);
      expect(() => add.reduce(asarray([1, 2, 3]), { where })).toThrow(TypeError);
    }
    expect(snapshot(out)).toEqual(before);
  });

  it('a bool mask (booleans, a bool array, a comparison result) works', () => {
    const lt = vectorize((a: number, b: number) => a < b);
    const out = zeros([3]);
    add(asarray([1, 2, 3]), 1, { out, where: [true, false, true] });
    expect(toArray(out)).toEqual([2, 0, 4]);
    add(asarray([1, 2, 3]), 10, { out, where: lt(asarray([1, 2, 3]), 2) as NdArray });
    expect(toArray(out)).toEqual([11, 0, 4]);
    expect(toArray(add(asarray([1, 2, 3]), 1, { where: true }) as NdArray)).toEqual([2, 3, 4]);
  });
});
