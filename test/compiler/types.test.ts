/**
 * Typing and lowering of kernel operators: result dtypes (NumPy promotion with weak
 * literals, true division, transcendental functions) and fixed-width results that match
 * NumPy bit for bit (values computed with NumPy 2.4).
 */

import { describe, expect, it } from 'vitest';
import { HELPERS } from '../../src/compiler/emit-js.js';
import { inferKernel } from '../../src/compiler/infer.js';
import { parseSource } from '../../src/compiler/parse.js';
import { ValueError } from '../../src/core/errors.js';
import { type DType, dtypeOf, type NdArray, vectorize } from '../../src/index.js';
import { fromValues, valuesOf } from '../../src/testing/index.js';

function outTypes(src: string, params: DType[]): readonly DType[] {
  return inferKernel(parseSource(src), params).outTypes;
}

describe('result types', () => {
  const CASES: [string, DType[], DType][] = [
    ['(x) => x + 1', ['int8'], 'int8'],
    ['(x) => x + 1', ['bool'], 'int32'],
    ['(x) => x + 1.5', ['int8'], 'float64'],
    ['(x) => x + 1.5', ['float32'], 'float32'],
    ['(x) => x * 2', ['uint16'], 'uint16'],
    ['(x) => x / 2', ['int32'], 'float64'],
    ['(x) => x / 2', ['float32'], 'float32'],
    ['(x) => 1 / 2', ['int8'], 'float64'],
    ['(x) => 3', ['float32'], 'int32'],
    ['(x, y) => x + y', ['int8', 'uint8'], 'int16'],
    ['(x, y) => x + y', ['int32', 'float32'], 'float64'],
    ['(x, y) => x + y', ['uint32', 'int8'], 'float64'],
    ['(x, y) => x + y', ['uint8_clamped', 'uint8_clamped'], 'uint8_clamped'],
    ['(x, y) => x + y', ['uint8_clamped', 'uint8'], 'uint8'],
    ['(x) => Math.sqrt(x)', ['int8'], 'float64'],
    ['(x) => Math.sqrt(x)', ['bool'], 'float64'],
    ['(x) => Math.sqrt(x)', ['uint32'], 'float64'],
    ['(x) => Math.sqrt(x)', ['float32'], 'float32'],
    ['(x, y) => Math.atan2(x, y)', ['int16', 'float32'], 'float32'],
    ['(x) => Math.abs(x)', ['int8'], 'int8'],
    ['(x) => Math.abs(x)', ['bool'], 'int32'],
    ['(x) => Math.floor(x)', ['float32'], 'float32'],
    ['(x, y) => Math.min(x, y)', ['int8', 'uint8'], 'int16'],
    ['(x) => Math.max(x, 1.5)', ['int8'], 'float64'],
    ['(x) => Math.max(x, 1)', ['int8'], 'int8'],
    ['(x, y) => Math.max(x, y)', ['bool', 'bool'], 'bool'],
    ['(x) => Math.fround(x)', ['float64'], 'float32'],
    ['(x) => Math.imul(x, 3)', ['float64'], 'int32'],
    ['(x) => Math.clz32(x)', ['uint8'], 'int32'],
    ['(x) => Number.isNaN(x)', ['float64'], 'bool'],
    ['(x, y) => x < y', ['int8', 'float64'], 'bool'],
    ['(x) => !x', ['float32'], 'bool'],
    ['(x) => -x', ['bool'], 'int32'],
    ['(x) => -x', ['uint8'], 'uint8'],
    ['(x) => ~x', ['uint16'], 'uint16'],
    ['(x) => ~x', ['float64'], 'int32'],
    ['(x) => x & 3', ['uint8'], 'uint8'],
    ['(x, y) => x | y', ['bool', 'bool'], 'bool'],
    ['(x) => x << 1', ['int16'], 'int16'],
    ['(x) => x >>> 1', ['int8'], 'uint32'],
    ['(x) => x >>> 1', ['uint16'], 'uint16'],
    ['(x) => x % 3', ['float32'], 'float32'],
    ['(x) => x ** 2', ['int16'], 'int16'],
    ['(x) => (x > 0 ? x : 0.5)', ['int8'], 'float64'],
    ['(x) => (x > 0 ? 1 : 0)', ['float32'], 'int32'],
    ['(x) => (x > 0 && x)', ['int16'], 'int16'],
    ['(x) => { let s = 0; for (let i = 0; i < 3; i++) s += x; return s; }', ['uint8'], 'uint8'],
    ['(x) => { let s = 0; s = x / 2; return s; }', ['int8'], 'float64'],
    ['(x) => [x, x < 1]', ['int8'], 'int8'],
  ];
  it.each(CASES)('%s on %j gives %s', (src, params, expected) => {
    expect(outTypes(src, params)[0]).toBe(expected);
  });

  it('types several outputs separately', () => {
    expect(outTypes('(x) => [x, x < 1, x / 2]', ['int8'])).toEqual(['int8', 'bool', 'float64']);
  });
});

describe('fixed-width arithmetic matches NumPy bit for bit', () => {
  const CASES: [string, (...a: number[]) => number, DType, number[][], number[]][] = [
    [
      'int8 add wraps',
      (a, b) => a + b,
      'int8',
      [
        [100, -128, 16],
        [100, -1, 0],
      ],
      [-56, 127, 16],
    ],
    ['int8 multiply', (a, b) => a * b, 'int8', [[16], [16]], [0]],
    ['int8 negate and abs of -128', (a) => -a + Math.abs(a) * 0, 'int8', [[-128]], [-128]],
    ['int8 abs(-128) stays -128', (a) => Math.abs(a), 'int8', [[-128, 5]], [-128, 5]],
    [
      'uint8 underflow and overflow',
      (a, b) => a - b,
      'uint8',
      [
        [0, 44],
        [1, 100],
      ],
      [255, 200],
    ],
    ['uint8 multiply', (a, b) => a * b, 'uint8', [[16], [17]], [16]],
    ['int16 add and multiply', (a, b) => a * b + (a - a), 'int16', [[300], [300]], [24464]],
    ['uint16 wraps to 0', (a, b) => a + b, 'uint16', [[65535], [1]], [0]],
    ['int32 overflow', (a, b) => a + b, 'int32', [[2147483647], [1]], [-2147483648]],
    [
      'int32 multiply (Math.imul)',
      (a, b) => a * b,
      'int32',
      [
        [65536, 46341],
        [65536, 46341],
      ],
      [0, -2147479015],
    ],
    [
      'uint32 subtract and multiply',
      (a, b) => a * b - (a - a),
      'uint32',
      [
        [4294967295, 65536],
        [4294967295, 65536],
      ],
      [1, 0],
    ],
    ['uint32 0 - 1', (a, b) => a - b, 'uint32', [[0], [1]], [4294967295]],
    ['bitwise not', (a) => ~a, 'uint8', [[0, 255]], [255, 0]],
    ['bitwise not (int8)', (a) => ~a, 'int8', [[0]], [-1]],
    ['bitwise not (uint32)', (a) => ~a, 'uint32', [[0]], [4294967295]],
    ['xor (uint16)', (a, b) => a ^ b, 'uint16', [[0xf0f0], [0xffff]], [0x0f0f]],
    ['shift left wraps (int8)', (a, b) => a << b, 'int8', [[64], [1]], [-128]],
    ['shift left wraps (uint8)', (a, b) => a << b, 'uint8', [[200], [1]], [144]],
    ['shift left (uint32)', (a, b) => a << b, 'uint32', [[1], [31]], [2147483648]],
    ['arithmetic shift right', (a, b) => a >> b, 'int8', [[-128], [1]], [-64]],
    ['shift right (uint32)', (a, b) => a >> b, 'uint32', [[4294967295], [1]], [2147483647]],
    ['integer power wraps (int32)', (a, b) => a ** b, 'int32', [[3], [20]], [-808182895]],
    ['integer power wraps (int8, uint8)', (a, b) => a ** b, 'int8', [[3], [5]], [-13]],
    ['uint8 power', (a, b) => a ** b, 'uint8', [[2], [9]], [0]],
    ['float32 division rounds', (a, b) => a / b, 'float32', [[1], [3]], [0.3333333432674408]],
    ['float32 addition rounds', (a, b) => a + b, 'float32', [[16777216], [1]], [16777216]],
    [
      'float32 chains round at every step',
      (a, b) => a * b + 1,
      'float32',
      [[16777216], [1]],
      [16777216],
    ],
    ['uint8_clamped saturates', (a, b) => a + b - b, 'uint8_clamped', [[200], [100]], [155]],
  ];
  it.each(CASES)('%s', (_name, fn, t, inputs, expected) => {
    const u = vectorize(fn);
    const r = u(...inputs.map((v) => fromValues(v, [v.length], t))) as NdArray;
    expect(dtypeOf(r)).toBe(t);
    expect(valuesOf(r)).toEqual(expected);
  });

  it('clamps and rounds half to even like Uint8ClampedArray', () => {
    const c = new Uint8ClampedArray(1);
    for (const v of [
      -1,
      0,
      0.5,
      1.5,
      2.5,
      3.5,
      127.5,
      254.5,
      255,
      256,
      1e9,
      Number.NaN,
      -0.5,
      0.49,
    ]) {
      c[0] = v;
      expect(HELPERS.clampU8(v), String(v)).toBe(c[0]);
    }
  });

  it('computes integer powers exactly; a negative exponent is a ValueError, as in NumPy', () => {
    expect(HELPERS.ipow(3, 4)).toBe(81);
    expect(HELPERS.ipow(-2, 31)).toBe(-2147483648);
    expect(HELPERS.ipow(2, 32)).toBe(0);
    for (const [a, b] of [
      [1, -3],
      [-1, -3],
      [5, -1],
    ]) {
      expect(() => HELPERS.ipow(a, b)).toThrow(ValueError);
      expect(() => HELPERS.ipow(a, b)).toThrow(
        'Integers to negative integer powers are not allowed.',
      );
    }
  });
});
