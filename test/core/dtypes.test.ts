import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkDType,
  INFO,
  isFloat,
  isInteger,
  promoteAll,
  STORAGE,
} from '../../src/core/dtypes.js';
import {
  BoolArray,
  canCastSafely,
  canCastSameKind,
  DTYPES,
  type DType,
  resultType,
} from '../../src/index.js';
import { dtypeArb } from '../../src/testing/index.js';
import { expectError, runs } from '../support.js';

// np.result_type, np.can_cast(..., 'safe') and np.can_cast(..., 'same_kind') from NumPy 2.4
// over the NumPy dtypes numbats has (rows and columns in this order).
const NP = ['bool', 'int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'float32', 'float64'];
const RESULT_TYPE = `
bool    bool int8 uint8 int16 uint16 int32 uint32 float32 float64
int8    int8 int8 int16 int16 int32 int32 int64 float32 float64
uint8   uint8 int16 uint8 int16 uint16 int32 uint32 float32 float64
int16   int16 int16 int16 int16 int32 int32 int64 float32 float64
uint16  uint16 int32 uint16 int32 uint16 int32 uint32 float32 float64
int32   int32 int32 int32 int32 int32 int32 int64 float64 float64
uint32  uint32 int64 uint32 int64 uint32 int64 uint32 float64 float64
float32 float32 float32 float32 float32 float32 float64 float64 float32 float64
float64 float64 float64 float64 float64 float64 float64 float64 float64 float64`;
const CAN_CAST = `
bool    111111111 111111111
int8    010101011 010101011
uint8   001111111 011111111
int16   000101011 010101011
uint16  000011111 011111111
int32   000001001 010101011
uint32  000000101 011111111
float32 000000011 000000011
float64 000000001 000000011`;

function rows(table: string): string[][] {
  return table
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/\s+/));
}

describe('resultType (NumPy 2 promotion)', () => {
  it('matches np.result_type for every pair, with int64 replaced by float64', () => {
    for (const [a, ...res] of rows(RESULT_TYPE)) {
      res.forEach((r, j) => {
        const expected = r === 'int64' ? 'float64' : r;
        expect(resultType(a as DType, NP[j] as DType), `${a}, ${NP[j]}`).toBe(expected);
      });
    }
  });

  it('treats uint8_clamped as uint8 unless both sides are clamped (bool keeps it)', () => {
    for (const t of DTYPES) {
      const expected =
        t === 'uint8_clamped' || t === 'bool' ? 'uint8_clamped' : resultType('uint8', t);
      expect(resultType('uint8_clamped', t), t).toBe(expected);
      expect(resultType(t, 'uint8_clamped'), t).toBe(expected);
    }
  });

  it('is commutative and idempotent', () => {
    fc.assert(
      fc.property(dtypeArb(), dtypeArb(), (a, b) => {
        expect(resultType(a, b)).toBe(resultType(b, a));
        expect(resultType(a, a)).toBe(a);
        expect(promoteAll([a, b])).toBe(resultType(a, b));
      }),
      runs(200),
    );
  });

  it('gives a type both sides cast to safely', () => {
    fc.assert(
      fc.property(dtypeArb(), dtypeArb(), (a, b) => {
        const r = resultType(a, b);
        expect(canCastSafely(a, r) || a === 'uint32').toBe(true);
        expect(canCastSafely(b, r) || b === 'uint32').toBe(true);
      }),
      runs(200),
    );
  });
});

describe('canCastSafely / canCastSameKind', () => {
  it("match np.can_cast(from, to, 'safe' | 'same_kind')", () => {
    for (const [from, safe, sameKind] of rows(CAN_CAST)) {
      NP.forEach((to, j) => {
        expect(canCastSafely(from as DType, to as DType), `${from}->${to} safe`).toBe(
          safe[j] === '1',
        );
        expect(canCastSameKind(from as DType, to as DType), `${from}->${to} same_kind`).toBe(
          sameKind[j] === '1',
        );
      });
    }
  });

  it('casts uint8_clamped like uint8', () => {
    for (const t of NP as DType[]) {
      expect(canCastSafely('uint8_clamped', t)).toBe(canCastSafely('uint8', t));
      expect(canCastSameKind('uint8_clamped', t)).toBe(canCastSameKind('uint8', t));
    }
    expect(canCastSafely('uint8', 'uint8_clamped')).toBe(true);
    expect(canCastSafely('float32', 'uint8_clamped')).toBe(false);
  });
});

describe('dtype tables', () => {
  it('lists the 10 dtypes with their storage', () => {
    expect(DTYPES).toHaveLength(10);
    expect(new Set(DTYPES).size).toBe(10);
    for (const t of DTYPES) {
      const data = new STORAGE[t](2);
      expect(data.length).toBe(2);
      expect(isInteger(t) || isFloat(t) || t === 'bool').toBe(true);
    }
    expect(new STORAGE.bool(1)).toBeInstanceOf(BoolArray);
    expect(new BoolArray(1)).toBeInstanceOf(Uint8Array);
  });

  it('knows each integer range (a TypedArray store wraps just outside it)', () => {
    for (const t of DTYPES) {
      const { kind, min, max } = INFO[t];
      if (kind !== 'i' && kind !== 'u') continue;
      const a = new STORAGE[t](2);
      a[0] = min;
      a[1] = max;
      expect([a[0], a[1]]).toEqual([min, max]);
      if (t === 'uint8_clamped') continue;
      a[0] = max + 1;
      a[1] = min - 1;
      expect([a[0], a[1]]).toEqual([min, max]);
    }
  });

  it('checkDType rejects unknown names with a TypeError listing the valid ones', () => {
    expect(checkDType('int8')).toBe('int8');
    expectError(
      () => checkDType('int64'),
      TypeError,
      'dtype must be one of bool, int8, uint8, uint8_clamped, int16, uint16, int32, uint32, float32, float64; got "int64"',
    );
    expectError(() => checkDType(3), TypeError, /dtype must be one of .*; got 3$/);
  });
});
