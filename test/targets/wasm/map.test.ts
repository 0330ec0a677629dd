/**
 * The wasm lowering of elementwise calls agrees with the JS loops bit for bit: every dtype,
 * random views (transposed, strided, negative, broadcast, offset), weak scalars, `out` of
 * another dtype and `where` masks, over kernels that use every construct the lowering knows.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DTYPES, type DType, type NdArray, vectorize, zeros } from '../../../src/index.js';
import { lastPathOfAnyCall, wasmConfig } from '../../../src/targets/wasm/map.js';
import { broadcastArraysArb, ndarrayArb } from '../../../src/testing/index.js';
import { runs } from '../../support.js';
import { both, expectSameBits, onHeapCopy, SIMD_DTYPES, useWasmForEveryCall } from './helpers.js';

type K = (...a: number[]) => number;

const BINARY: [string, K][] = [
  ['add', (a, b) => a + b],
  ['sub', (a, b) => a - b],
  ['mul', (a, b) => a * b],
  ['div', (a, b) => a / b],
  ['mod', (a, b) => a % b],
  ['pow', (a, b) => a ** b],
  ['bitwise', (a, b) => (a & b) | (a ^ b)],
  ['shifts', (a, b) => (a << (b & 7)) + (a >> (b & 3)) - (a >>> 1)],
  ['select', (a, b) => (a < b ? a : b)],
  ['minmax', (a, b) => Math.min(a, b) + Math.max(a, b, 0)],
  ['hypot', (a, b) => Math.hypot(a, b) + Math.atan2(a, b)],
  ['logical', (a, b) => ((a > 0 && b > 0) || a === b ? 1 : 0)],
  ['values', (a, b) => a && b],
  [
    'branches',
    (a, b) => {
      if (a > b) return a - b;
      else if (a < b) {
        return b;
      }
      return 0;
    },
  ],
  ['bools', (a, b) => (a === b ? 1 : 0) + (a !== b ? 2 : 0)],
];

const UNARY: [string, K][] = [
  ['abs', (a) => Math.abs(a)],
  ['neg', (a) => -a],
  ['not', (a) => ~a],
  ['bang', (a) => (!a ? 1 : 2)],
  ['rounding', (a) => Math.sqrt(a) + Math.floor(a) - Math.ceil(a) * Math.trunc(a)],
  ['imports', (a) => Math.round(a) + Math.sin(a) + Math.exp(a / 10) + Math.sign(a)],
  [
    'loop',
    (a) => {
      let s = 0;
      for (let i = 0; i < 5; i++) {
        if (i === 3) continue;
        s += a;
        if (s > 100) break;
      }
      return s;
    },
  ],
  [
    'while',
    (a) => {
      let n = 0;
      let x = a;
      while (x > 1 && n < 10) {
        x = x / 2;
        n++;
      }
      return n;
    },
  ],
  ['predicates', (a) => (Number.isNaN(a) ? 0 : Number.isFinite(a) ? a : 1)],
  ['fround', (a) => Math.fround(a) * 2],
  ['intmath', (a) => Math.abs(a) + Math.min(a, 3) - Math.max(a, -3)],
];

const kernels = [
  ...BINARY.map(
    ([n, f]) => [n, vectorize(f as (a: number, b: number) => number, { name: n }), 2] as const,
  ),
  ...UNARY.map(([n, f]) => [n, vectorize(f as (a: number) => number, { name: n }), 1] as const),
];

useWasmForEveryCall();

const values = { special: true } as const;

describe('wasm elementwise calls equal the JS loops bit for bit', () => {
  for (const [name, u, nin] of kernels) {
    it(`${name}: every dtype pair, random views, broadcasting`, () => {
      fc.assert(
        fc.property(broadcastArraysArb(nin, { ...values, maxDims: 3, maxSide: 5 }), (arrays) => {
          const heapArrays = arrays.map(onHeapCopy);
          const [js, w, path] = both(() => (u as (...a: NdArray[]) => NdArray)(...heapArrays));
          if (typeof js === 'string' || typeof w === 'string') {
            expect(w).toBe(js);
            return;
          }
          expectSameBits(w, js, name);
          const size = w.shape.reduce((x, y) => x * y, 1);
          if (size > 0 && !arrays.some((a) => a.data instanceof Uint8ClampedArray))
            expect(path, `${name} ${path}`).toMatch(/^wasm/);
        }),
        runs(40),
      );
    });
  }

  it('weak scalars, out of another dtype, where masks', () => {
    const add = kernels[0][1] as (...a: unknown[]) => NdArray;
    fc.assert(
      fc.property(
        ndarrayArb({ ...values, maxDims: 2, maxSide: 6 }),
        fc.constantFrom(...DTYPES.filter((d) => d !== 'uint8_clamped')),
        fc.constantFrom(2, -3, 0.5, 1e10),
        fc.boolean(),
        (a, outType: DType, s, masked) => {
          const x = onHeapCopy(a);
          const run = () => {
            const out = zeros(a.shape, outType);
            const where = masked ? zeros(a.shape, 'bool') : undefined;
            if (where) for (let i = 0; i < where.data.length; i += 2) where.data[i] = 1;
            try {
              add(x, s, where ? { out, where } : { out });
            } catch (e) {
              return (e as Error).constructor.name;
            }
            return out;
          };
          const [js, w] = both(run);
          if (typeof js === 'string') expect(w).toBe(js);
          else expectSameBits(w as NdArray, js, 'add out');
        },
      ),
      runs(60),
    );
  });
});

describe('SIMD inner loops', () => {
  const simdTypes = SIMD_DTYPES;
  const simdKernels: [string, K, boolean][] = [
    ['add', (a, b) => a + b, true],
    ['sub-neg', (a, b) => -(a - b), true],
    ['mul', (a, b) => a * b, true],
    ['minmax-abs', (a, b) => Math.max(Math.min(a, b), Math.abs(b)), true],
    ['select', (a, b) => (a > b ? a : b === a ? 0 : b), true],
    ['compare-cast', (a, b) => a + (a < b ? 1 : 0), true],
    ['shift', (a, b) => (a << 3) + (b >> 1) + (a >>> 9), false],
    ['div', (a, b) => a / b, false],
  ];
  for (const [name, f, _] of simdKernels) {
    const u = vectorize(f as (a: number, b: number) => number, { name });
    it(`${name}: contiguous and broadcast rows of every SIMD dtype`, () => {
      fc.assert(
        fc.property(
          fc.constantFrom(...simdTypes),
          fc.integer({ min: 1, max: 70 }),
          fc.boolean(),
          fc.integer({ min: 0, max: 2 ** 31 }),
          (t, n, bcast, seed) => {
            const shapes = bcast
              ? [
                  [3, n],
                  [1, n],
                ]
              : [[n], [n]];
            const arrays = shapes.map((s, i) => {
              const a = zeros(s, t);
              const d = a.data as unknown as number[];
              let x = seed + i * 7919;
              for (let j = 0; j < d.length; j++) {
                x = (Math.imul(x, 1103515245) + 12345) | 0;
                d[j] = t.startsWith('float') ? (x % 2000) / 8 - 100 : x;
              }
              if (t.startsWith('float') && d.length > 3) {
                d[1] = Number.NaN;
                d[2] = -0;
              }
              return onHeapCopy(a);
            });
            const [js, w, path] = both(() => u(arrays[0], arrays[1]) as NdArray);
            expectSameBits(w as NdArray, js as NdArray, `${name} ${t}`);
            expect(path).toMatch(/^wasm/);
          },
        ),
        runs(60),
      );
    });
  }

  it('uses SIMD lanes for a branch-free kernel on contiguous operands, scalar wasm otherwise', () => {
    const u = vectorize((a: number, b: number) => (a > b ? a - b : b + b), { name: 'simd' });
    const a = onHeapCopy(zeros(100, 'float32'));
    u(a, a);
    expect(lastPathOfAnyCall()).toMatch(/^wasm: SIMD f32x4/);
    u(onHeapCopy(zeros(100, 'int8')), onHeapCopy(zeros(100, 'int8')));
    expect(lastPathOfAnyCall()).toMatch(/^wasm: SIMD i8x16/);
    const m = vectorize((a: number) => a * 3, { name: 'i8mul' });
    m(onHeapCopy(zeros(100, 'int8')));
    // i8x16 has no multiply: 16-bit products, low bytes.
    expect(lastPathOfAnyCall()).toMatch(/^wasm: SIMD i8x16/);
    const big = onHeapCopy(zeros([10, 10]));
    u(big.transpose(1, 0), big.step(-1));
    expect(lastPathOfAnyCall()).toMatch(/^wasm: scalar/);
    expect(u.inspect('float32,float32->float32')).toMatch(
      /SIMD f32x4 inner loop, \d+ bytes, emitted in/,
    );
    expect(u.inspect('float32,float32->float32')).toMatch(/f32x4\.gt/);
  });

  it('says why the JS loop ran', () => {
    const u = vectorize((a: number) => a + 1, { name: 'why' });
    u(new Float64Array(100));
    expect(lastPathOfAnyCall()).toMatch(/^js: operand 0 is a .*outside the numbats heap|^wasm/);
    u(onHeapCopy(zeros(100, 'uint8_clamped')));
    expect(lastPathOfAnyCall()).toMatch(/^js: uint8_clamped/);
    const g = vectorize((a: number) => a + outside, { name: 'free' });
    g(onHeapCopy(zeros(100)));
    expect(lastPathOfAnyCall()).toMatch(/^js: the kernel calls the original function/);
    wasmConfig.minElements = 1000;
    try {
      const small = vectorize((a: number) => a - 1, { name: 'small' });
      small(onHeapCopy(zeros(100)));
      expect(small.inspect('float64->float64')).toMatch(/last call on 1000\+ elements: none yet/);
      small(onHeapCopy(zeros(1000)));
      expect(small.inspect('float64->float64')).toMatch(
        /last call on 1000\+ elements: wasm: SIMD f64x2/,
      );
    } finally {
      wasmConfig.minElements = 0;
    }
  });
});

const outside = 2;
