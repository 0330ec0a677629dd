/**
 * vectorize: dynamic typing vs `signatures` (NumPy's loop selection), the ufunc's
 * attributes, `inspect`, `async`, and validation of the options.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assertArraysEqual,
  broadcastArraysArb,
  castTo,
  fromValues,
  refCall,
  valuesOf,
} from '../../src/testing/index.js';
import { expectError, runs } from '../support.js';
import {
  asarray,
  CompileError,
  canCastSafely,
  type DType,
  dtypeOf,
  type NdArray,
  toNested,
  vectorize,
  zeros,
} from './imports.js';
import { add } from './kernels.js';

const SIGS = ['int16(int16, int16)', 'float32,float32->float32', 'float64(float64, float64)'];
const LOOPS: [DType, DType][] = [
  ['int16', 'int16'],
  ['float32', 'float32'],
  ['float64', 'float64'],
];

describe('signatures', () => {
  const hyp = vectorize((a: number, b: number) => a + b, { signatures: SIGS, name: 'plus' });

  it('lists its loops in NumPy notation, and its arity', () => {
    expect(hyp.types).toEqual([
      'int16,int16->int16',
      'float32,float32->float32',
      'float64,float64->float64',
    ]);
    expect([hyp.nin, hyp.nout, hyp.identity, hyp.ufuncName]).toEqual([2, 1, null, 'plus']);
  });

  it('picks the first loop every input casts to safely; TypeError when there is none', () => {
    fc.assert(
      fc.property(broadcastArraysArb(2, { maxDims: 2 }), ([a, b]) => {
        const ta = dtypeOf(a);
        const tb = dtypeOf(b);
        const loop = LOOPS.find(([x, y]) => canCastSafely(ta, x) && canCastSafely(tb, y));
        if (!loop) {
          expectError(
            () => hyp(a, b),
            TypeError,
            `ufunc 'plus' has no loop for input types (${ta}, ${tb}): no signature in [int16,int16->int16; float32,float32->float32; float64,float64->float64] accepts them by safe casting`,
          );
          return;
        }
        const t = loop[0];
        const r = hyp(a, b) as NdArray;
        expect(dtypeOf(r)).toBe(t);
        assertArraysEqual(
          r,
          refCall((x, y) => x + y, [a, b], { outDtype: t, inDtypes: loop }),
        );
      }),
      runs(150),
    );
  });

  it('follows NumPy: int8 → int16 loop, int32 → float64, uint8_clamped → int16', () => {
    const i8 = asarray(new Int8Array([100]));
    expect(dtypeOf(hyp(i8, i8) as NdArray)).toBe('int16');
    expect(valuesOf(hyp(i8, i8) as NdArray)).toEqual([200]);
    expect(dtypeOf(hyp(asarray(new Int32Array([1])), i8) as NdArray)).toBe('float64');
    expect(dtypeOf(hyp(asarray(new Float32Array([1])), i8) as NdArray)).toBe('float32');
    expect(dtypeOf(hyp(asarray(new Uint8ClampedArray([1])), i8) as NdArray)).toBe('int16');
    expect(dtypeOf(hyp(asarray([true]), i8) as NdArray)).toBe('int16');
  });

  it('types weak scalars first (int8 array + 3 stays int8, + 2.5 is float64)', () => {
    const i8 = asarray(new Int8Array([1]));
    expect(dtypeOf(hyp(i8, 3) as NdArray)).toBe('int16');
    expect(dtypeOf(hyp(i8, 2.5) as NdArray)).toBe('float64');
    expect(dtypeOf(hyp(asarray(new Float32Array([1])), 2.5) as NdArray)).toBe('float32');
    expectError(() => hyp(i8, 300), RangeError, /JS integer 300 is out of bounds for int8/);
    expect(hyp(1, 2)).toBe(3);
    const only16 = vectorize((a: number) => a, { signatures: ['int16(int16)'] });
    expectError(
      () => only16(2.5),
      TypeError,
      "ufunc 'ufunc' has no loop for input types (number): no signature in [int16->int16] accepts them by safe casting",
    );
  });

  it('with dtype, picks the loop with that output (inputs cast same_kind)', () => {
    const r = hyp(asarray(new Int32Array([70000])), 1, { dtype: 'int16' }) as NdArray;
    expect(dtypeOf(r)).toBe('int16');
    expect(valuesOf(r)).toEqual([castTo('int16', castTo('int16', 70000) + 1)]);
    expect(dtypeOf(hyp(asarray([1.5]), 1, { dtype: 'float32' }) as NdArray)).toBe('float32');
    expectError(
      () => hyp(asarray([1.5]), 1, { dtype: 'int16' }),
      TypeError,
      /has no loop for input types \(float64, number\) with dtype int16/,
    );
  });

  it('casts the loop result into out', () => {
    const out = zeros([2], 'float64');
    hyp(asarray(new Int8Array([100, -100])), asarray(new Int8Array([100, -100])), { out });
    expect(valuesOf(out)).toEqual([200, -200]);
  });

  it('casts the kernel result to the signature output type', () => {
    const trunc = vectorize((a: number) => a * 1.5, {
      signatures: ['int8(int8)', 'float64(float64)'],
    });
    expect(valuesOf(trunc(asarray(new Int8Array([3, 100]))) as NdArray)).toEqual([
      4,
      castTo('int8', 150),
    ]);
    const half = vectorize((a: number) => a / 2, { signatures: ['float32(float32)'] });
    expect(valuesOf(half(asarray(new Float32Array([1 / 3]))) as NdArray)).toEqual([
      Math.fround(Math.fround(1 / 3) / 2),
    ]);
  });

  it('rejects malformed signatures', () => {
    const f = (a: number, b: number) => a + b;
    expectError(
      () => vectorize(f, { signatures: ['float64(float64'] }),
      TypeError,
      `cannot parse signature "float64(float64": expected 'float64(float64, float64)' or 'float64,float64->float64'`,
    );
    expectError(
      () => vectorize(f, { signatures: ['int64(int64, int64)'] }),
      TypeError,
      /^argument type in signature "int64\(int64, int64\)" must be one of .*; got "int64"$/,
    );
    expectError(
      () => vectorize(f, { signatures: ['float64,float64->'] }),
      TypeError,
      'signature "float64,float64->" has no output type',
    );
    expectError(
      () => vectorize(f, { signatures: ['float64(float64)'] }),
      TypeError,
      'signature float64->float64 has 1 input(s) but the kernel takes 2',
    );
    expectError(
      () => vectorize(f, { signatures: [] }),
      TypeError,
      'signatures must be a non-empty array of strings',
    );
    expectError(
      () => vectorize(f, { signatures: 'float64(float64, float64)' as never }),
      TypeError,
      /non-empty array/,
    );
    expectError(
      () => vectorize(f, { signatures: [3 as never] }),
      TypeError,
      'signature must be a string; got number',
    );
    expectError(
      () => vectorize(f, { signatures: ['float64,float64->float64,float64'] }),
      CompileError,
      'signature gives 2 output(s) but the kernel returns 1',
    );
  });
});

describe('dynamic typing', () => {
  it('compiles one loop per input type combination, on first use', () => {
    const f = vectorize((a: number, b: number) => a * b);
    expect(f.types).toEqual([]);
    f(asarray(new Int8Array([1])), asarray(new Int8Array([1])));
    f(asarray(new Int8Array([1])), asarray(new Int8Array([2])));
    f(asarray([1.5]), asarray(new Uint16Array([1])));
    expect(f.types).toEqual(['int8,int8->int8', 'float64,uint16->float64']);
  });

  it('infers the result type from the body (NumPy promotion + weak literals)', () => {
    const cases: [(...a: number[]) => number | boolean, DType[], DType][] = [
      [(a) => a + 1, ['int8'], 'int8'],
      [(a) => a + 1.5, ['int8'], 'float64'],
      [(a) => a + 1.5, ['float32'], 'float32'],
      [(a) => a / 2, ['int16'], 'float64'],
      [(a) => a / 2, ['float32'], 'float32'],
      [(a) => Math.sqrt(a), ['int16'], 'float64'],
      [(a) => Math.sqrt(a), ['int32'], 'float64'],
      [(a, b) => a * b, ['uint8', 'int8'], 'int16'],
      [(a, b) => a - b, ['uint32', 'int32'], 'float64'],
      [(a, b) => (a < b ? 1 : 0), ['float64', 'float64'], 'int32'],
      [(a, b) => a < b, ['float64', 'float64'], 'bool'],
      [(a) => a & 3, ['uint16'], 'uint16'],
      [(a) => a % 7, ['int8'], 'int8'],
      [(a) => -a, ['bool'], 'int32'],
      [(a) => Math.floor(a), ['int8'], 'int8'],
    ];
    for (const [fn, ins, out] of cases) {
      const u = vectorize(fn);
      const args = ins.map((t) => fromValues([1], [1], t));
      expect(dtypeOf(u(...args) as NdArray), `${fn} on ${ins}`).toBe(out);
    }
  });
});

describe('attributes, inspect and async', () => {
  it('exposes nin, nout, identity and the name', () => {
    const f = vectorize(function hypot(x: number, y: number) {
      return Math.sqrt(x * x + y * y);
    });
    expect([f.nin, f.nout, f.identity, f.ufuncName]).toEqual([2, 1, null, 'hypot']);
    expect(vectorize((x: number) => x, { identity: 0 }).identity).toBe(0);
    expect(vectorize((x: number) => x, { identity: 'reorderable' }).identity).toBe('reorderable');
    expect(vectorize((x: number) => x).ufuncName).toBe('ufunc');
  });

  it('inspect returns the generated loop source', () => {
    const f = vectorize((x: number, y: number) => x * y + 1, { name: 'fma1' });
    expect(f.inspect()).toMatch(/no loops compiled yet/);
    const src = f.inspect('float64,float64->float64');
    expect(src).toMatch(/^\/\/ fma1: float64,float64->float64/);
    expect(src).toMatch(/for\s*\(/);
    expect(f.inspect('int32(int32, int32)')).toMatch(/Math\.imul/);
    f(asarray([1]), 2);
    expect(f.inspect()).toMatch(/fma1: float64,float64->float64/);
    expectError(() => f.inspect('float64(float64)'), TypeError, 'inspect: fma1 takes 2 input(s)');
    const s = vectorize((x: number) => x + 1, { signatures: ['int8(int8)', 'float64(float64)'] });
    expect(s.inspect('int8(int8)')).toMatch(/<<24>>24/);
    expect(s.inspect()).toMatch(/int8->int8[\s\S]*float64->float64/);
  });

  it('async returns a Promise of the result', async () => {
    const r = await add.u.async(asarray([1, 2]), 1);
    expect(toNested(r as NdArray)).toEqual([2, 3]);
    await expect(add.u.async(asarray([1, 2]), asarray([1, 2, 3]))).rejects.toThrow(/broadcast/);
  });
});

describe('vectorize options', () => {
  const f = (a: number) => a;
  it('rejects bad arguments with TypeErrors', () => {
    expectError(
      () => vectorize(3 as never),
      TypeError,
      'vectorize: the first argument must be a function',
    );
    expectError(
      () => vectorize(f, null as never),
      TypeError,
      'vectorize: options must be an object',
    );
    expectError(
      () => vectorize(f, { target: 'tpu' as never }),
      TypeError,
      `target must be 'cpu', 'parallel' or 'gpu'; got "tpu"`,
    );
    expectError(
      () => vectorize(f, { identity: 'zero' as never }),
      TypeError,
      `identity must be a number, 'reorderable' or null; got "zero"`,
    );
    expectError(() => vectorize(f, { name: 3 as never }), TypeError, 'name must be a string');
    expectError(
      () => vectorize(f, { constants: [1] as never }),
      TypeError,
      'constants must be an object mapping names to numbers or booleans',
    );
    expectError(
      () => vectorize(f, { constants: { k: 'x' } as never }),
      TypeError,
      'constants.k must be a number or boolean; got string',
    );
    expectError(
      () => vectorize(() => 1),
      CompileError,
      'ufunc: a ufunc kernel needs at least one parameter',
    );
  });
});
