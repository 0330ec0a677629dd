import { describe, expect, it } from 'vitest';
import {
  assertArraysClose,
  assertArraysEqual,
  compareArrays,
  fromValues,
} from '../../src/testing/index.js';

describe('compareArrays / assertArraysClose', () => {
  const a = fromValues([1, 2, 3, 4, 5, 6], [2, 3], 'int8');

  it('accepts equal arrays, numbers, booleans and nested arrays', () => {
    expect(compareArrays(a, fromValues([1, 2, 3, 4, 5, 6], [2, 3], 'int8'))).toBeNull();
    expect(
      compareArrays(a, [
        [1, 2, 3],
        [4, 5, 6],
      ]),
    ).toBeNull();
    expect(compareArrays(fromValues([2], [], 'float64'), 2)).toBeNull();
    expect(compareArrays(true, 1)).toBeNull();
    expect(compareArrays([], fromValues([], [0]))).toBeNull();
  });

  it('reports the differing elements with their indices', () => {
    const b = fromValues([1, 0, 3, 4, 5, -128], [2, 3], 'int8');
    expect(compareArrays(b, a)).toBe(
      [
        'arrays differ in 2 of 6 elements (rtol=0, atol=0), shape (2,3), dtype int8',
        '  [0,1]: actual 0, expected 2 (|diff| 2)',
        '  [1,2]: actual -128, expected 6 (|diff| 134)',
      ].join('\n'),
    );
    expect(() => assertArraysEqual(b, a)).toThrow(/\[1,2\]: actual -128, expected 6/);
  });

  it('reports shape and dtype mismatches', () => {
    expect(compareArrays(a, fromValues([1, 2, 3], [3], 'int8'))).toBe(
      'shape mismatch: actual (2,3), expected (3,)',
    );
    expect(compareArrays(a, fromValues([1, 2, 3, 4, 5, 6], [2, 3], 'int16'))).toBe(
      'dtype mismatch: actual int8, expected int16',
    );
    expect(
      compareArrays(a, fromValues([1, 2, 3, 4, 5, 6], [2, 3], 'int16'), { checkDtype: false }),
    ).toBeNull();
  });

  it('applies rtol/atol like np.allclose and handles NaN, infinities and -0', () => {
    expect(compareArrays([1.0], [1.0 + 1e-9], { rtol: 1e-8 })).toBeNull();
    expect(compareArrays([1.0], [1.1], { rtol: 1e-8 })).not.toBeNull();
    expect(compareArrays([0.05], [0], { atol: 0.1 })).toBeNull();
    expect(compareArrays([Number.NaN], [Number.NaN])).toBeNull();
    expect(compareArrays([Number.NaN], [Number.NaN], { equalNaN: false })).not.toBeNull();
    expect(compareArrays([Number.NaN], [1])).not.toBeNull();
    expect(compareArrays([Number.POSITIVE_INFINITY], [Number.POSITIVE_INFINITY])).toBeNull();
    expect(compareArrays([Number.POSITIVE_INFINITY], [1e308], { rtol: 1 })).not.toBeNull();
    expect(compareArrays([-0], [0])).toBeNull();
    expect(compareArrays([-0], [0], { signedZero: true })).toBe(
      [
        'arrays differ in 1 of 1 elements (rtol=0, atol=0), shape (1,)',
        '  [0]: actual -0, expected 0 (|diff| 0)',
      ].join('\n'),
    );
    expect(() => assertArraysClose([1, 2], [1, 2.5], { atol: 0.1 })).toThrow(
      /actual 2, expected 2.5/,
    );
    assertArraysClose([1, 2], [1, 2.05], { atol: 0.1 });
  });

  it('limits the report', () => {
    const report = compareArrays(new Array(20).fill(0), new Array(20).fill(1), { maxReport: 2 });
    expect(report!.split('\n')).toHaveLength(4);
    expect(report).toMatch(/… and 18 more$/);
  });

  it('rejects what it cannot compare', () => {
    expect(() => compareArrays([[1], 2] as never, [1, 2])).toThrow(/not rectangular/);
    expect(() => compareArrays(['a'] as never, [1])).toThrow(/not a number/);
    expect(() => compareArrays({} as never, [1])).toThrow(/cannot compare/);
  });
});
