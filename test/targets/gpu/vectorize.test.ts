/**
 * `target: 'gpu'` for vectorize: on every gpu.js backend this process has (webasm always,
 * headlessgl where scripts/setup-gpu.sh built `gl` and a display exists), calls equal
 * `cpu` within float32 tolerance over random shapes, dtypes and views, plus the error
 * cases. The backend-availability split is the only conditional (`describe.runIf`); with
 * NUMBATS_REQUIRE_HEADLESSGL=1 (set by .ci/run after the setup) a missing headlessgl fails.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dtypeOf, wrap } from '../../../src/core/array.js';
import {
  asarray,
  CompileError,
  type DType,
  gpuStatus,
  type NdArray,
  setGpuBackend,
  toArray,
  vectorize,
  zeros,
} from '../../../src/index.js';
import { checkRanOnBackend } from '../../../src/targets/gpu/backend.js';
import { GPU_LIMITS, lastGpuTimings } from '../../../src/targets/gpu/map.js';
import { broadcastArraysArb, ndarrayArb } from '../../../src/testing/index.js';
import { available, BACKENDS, expectClose, gpuRuns, logBackends, magnitude } from './helpers.js';

logBackends('vectorize');

type K2 = (a: number, b: number) => number | boolean;
interface Case {
  name: string;
  f: K2;
  /** Input magnitude bound. */
  range: number;
  /** Float tolerance scale from the inputs' magnitude m. */
  scale: (m: number) => number;
}
const CASES: Case[] = [
  { name: 'add', f: (a, b) => a + b, range: 1000, scale: (m) => m },
  { name: 'mul', f: (a, b) => a * b, range: 1000, scale: (m) => m * m },
  { name: 'poly', f: (a, b) => a * a - 3 * b + 1, range: 1000, scale: (m) => m * m },
  { name: 'sincos', f: (a, b) => Math.sin(a) * Math.cos(b), range: 10, scale: () => 10 },
  {
    name: 'branch',
    f: (a, b) => {
      let s = 0;
      for (let i = 0; i < 3; i++) s += a > b ? a - i : b * i;
      return s;
    },
    range: 1000,
    scale: (m) => 3 * m,
  },
  { name: 'compare', f: (a, b) => a < b || a === 2, range: 1000, scale: () => 1 },
  { name: 'divide', f: (a, b) => a / (Math.abs(b) + 1), range: 1000, scale: (m) => m },
  {
    name: 'minmax',
    f: (a, b) => Math.max(Math.abs(a), Math.floor(b / 3)) - Math.min(a, 2),
    range: 1000,
    scale: (m) => m,
  },
];
const ufuncs = CASES.map((c) => ({
  ...c,
  gpu: vectorize(c.f, { target: 'gpu', name: c.name }),
  cpu: vectorize(c.f, { name: c.name }),
}));
for (const u of ufuncs) Object.defineProperty(u, fc.toStringMethod, { value: () => u.name });

const DTYPES: DType[] = [
  'float64',
  'float32',
  'int8',
  'int16',
  'int32',
  'uint8',
  'uint16',
  'uint32',
  'bool',
];
/** Values exact in float32 (quarters, and float32 numbers away from the subnormals). */
const values = (range: number) => ({
  values: fc.oneof(
    fc.integer({ min: -4 * range, max: 4 * range }).map((k) => k / 4),
    fc
      .float({ min: -range, max: range, noNaN: true })
      .map((v) => (Math.abs(v) < 1e-20 ? 0 : Math.fround(v))),
  ),
});

describe('gpu target: backends', () => {
  it('reports the backend it runs on, why, and what falls back to cpu', () => {
    const s = gpuStatus();
    console.log(`[numbats gpu] default backend: ${s.backend} (${s.reason})`);
    expect(s.available.webasm).toBe(true);
    expect(s.backend).toBe(s.available.headlessgl ? 'headlessgl' : 'webasm');
    expect(Object.keys(s.cpuFallbacks).sort()).toEqual(['accumulate', 'at', 'reduce', 'reduceat']);
  });
  it('has headlessgl wherever the GPU setup ran (NUMBATS_REQUIRE_HEADLESSGL=1)', () => {
    const required = process.env.NUMBATS_REQUIRE_HEADLESSGL === '1';
    if (required) expect(gpuStatus().available.headlessgl).toBe(true);
    else
      console.log(
        `[numbats gpu] headlessgl not required here; available: ${gpuStatus().available.headlessgl}`,
      );
    expect(() => setGpuBackend('nope' as never)).toThrow(TypeError);
  });
  it("makes gpu.js's silent cpu fallback visible in gpuStatus().notes", () => {
    class CPUKernel {
      static mode = 'cpu';
      fallbackReason = 'test reason';
    }
    checkRanOnBackend({ kernel: new CPUKernel() });
    expect(gpuStatus().notes.join('\n')).toMatch(/cpu fallback \(test reason\)/);
  });
});

describe('gpu target: kernels it cannot take are CompileErrors at build time', () => {
  it('free variables, naming them', () => {
    const scale = 3;
    const offset = 1;
    let e: unknown;
    try {
      vectorize((x: number) => x * scale + offset, { target: 'gpu', name: 'affine' });
    } catch (err) {
      e = err;
    }
    expect(e).toBeInstanceOf(CompileError);
    expect((e as CompileError).freeNames).toEqual(['scale', 'offset']);
    expect((e as Error).message).toMatch(/affine: .*free variables \(scale, offset\).*constants/);
    const f = vectorize((x: number) => x * scale + offset, {
      target: 'gpu',
      constants: { scale, offset },
    });
    expect(toArray(f(asarray([1, 2])) as NdArray)).toEqual([4, 7]);
  });
  it('unsupported Math, bit operators, NaN predicates, assignments as values', () => {
    const cases: [(a: number, b: number) => number | boolean, RegExp][] = [
      [(a, b) => Math.imul(a, b), /Math\.imul .*not supported on the gpu target/],
      [(a, b) => Math.clz32(a) + b, /Math\.clz32/],
      [(a, b) => a & b, /bit operator '&'/],
      [(a, b) => a << b, /bit operator '<<'/],
      [(a) => ~a, /bit operator '~'/],
      [(a) => Number.isNaN(a), /Number\.isNaN is not supported on the gpu target/],
      [
        (a, b) => {
          let s = 0;
          s = b = a + 1;
          return s + b;
        },
        /assignment used as a value/,
      ],
    ];
    for (const [f, msg] of cases) {
      expect(() => vectorize(f, { target: 'gpu' })).toThrow(CompileError);
      expect(() => vectorize(f, { target: 'gpu' })).toThrow(msg);
      // The same kernels are fine on cpu.
      expect(() => vectorize(f)).not.toThrow();
    }
    // Signatures are checked eagerly too.
    expect(() =>
      vectorize((a: number, b: number) => a | b, {
        target: 'gpu',
        signatures: ['int32(int32, int32)'],
      }),
    ).toThrow(CompileError);
  });
});

for (const backend of BACKENDS) {
  describe.runIf(available(backend))(`gpu target on ${backend}: vectorize`, () => {
    beforeAll(() => {
      setGpuBackend(backend);
      console.log(`[numbats gpu] running vectorize tests on ${gpuStatus().backend}`);
    });
    afterAll(() => {
      setGpuBackend('auto');
      GPU_LIMITS.maxCells = 1 << 22;
    });

    it('equals cpu over random kernels, dtypes, shapes, broadcasting and views', () => {
      expect(gpuStatus().backend).toBe(backend);
      fc.assert(
        fc.property(
          fc.constantFrom(...ufuncs).chain((u) =>
            fc.tuple(
              fc.constant(u),
              broadcastArraysArb(2, {
                dtype: DTYPES,
                maxDims: 4,
                maxSide: 5,
                ...values(u.range),
              }),
            ),
          ),
          ([u, [a, b]]) => {
            // Integers are exact in float32 within 2^24 (negative values wrap into uint32's top range).
            const want = u.cpu(a, b) as NdArray;
            const m = magnitude(a, b);
            fc.pre(m < 2 ** 24);
            // Integer results are exact while the kernel's intermediates stay within 2^24.
            if (dtypeOf(want) !== 'float64' && dtypeOf(want) !== 'float32')
              fc.pre(u.scale(m) < 2 ** 24);
            // int32/uint32 arithmetic does not wrap on the device (a uint32 0 - 1 is -1): only
            // a store into an integer output wraps it, so a float result of such values differs.
            else fc.pre(dtypeOf(a) !== 'uint32' && dtypeOf(b) !== 'uint32');
            const got = u.gpu(a, b);
            expectClose(got, want, u.scale(magnitude(a, b)));
          },
        ),
        gpuRuns(backend),
      );
    });

    it('out (any view, any dtype), where, dtype, weak scalars', () => {
      const add = ufuncs[0];
      fc.assert(
        fc.property(
          ndarrayArb({ dtype: DTYPES, maxDims: 3, maxSide: 4, ...values(100) }),
          fc.double({ min: -50, max: 50, noNaN: true }).map(Math.round),
          fc.constantFrom<DType>('float64', 'float32', 'int32', 'int16'),
          fc.boolean(),
          (a, k, outType, masked) => {
            fc.pre(magnitude(a) < 2 ** 24);
            const where =
              masked && a.shape.length > 0
                ? asarray(
                    Array.from({ length: a.shape[a.shape.length - 1] ?? 1 }, (_, i) => i % 2 === 0),
                  )
                : undefined;
            const rev = a.shape.map((_, i) => a.shape.length - 1 - i);
            const outG = zeros(
              rev.map((d) => a.shape[d]),
              outType,
            ).transpose(...rev);
            const outC = zeros(a.shape, outType);
            let err: Error | null = null;
            try {
              add.cpu(a, k, { out: outC, where });
            } catch (e) {
              err = e as Error;
            }
            if (err) {
              expect(() => add.gpu(a, k, { out: outG, where })).toThrow(err.message);
              return;
            }
            add.gpu(a, k, { out: outG, where });
            expectClose(outG, outC, magnitude(a) + 50);
            expectClose(
              add.gpu(a, k, { dtype: 'float32' }),
              add.cpu(a, k, { dtype: 'float32' }),
              200,
            );
          },
        ),
        gpuRuns(backend),
      );
      // All-scalar calls return plain numbers.
      expect(add.gpu(2, 3)).toBe(5);
    });

    it('several outputs, signatures, outer, and .async', async () => {
      const split = vectorize((x: number) => [Math.floor(x), x - Math.floor(x)], {
        target: 'gpu',
      });
      const x = asarray(new Float32Array([1.25, -2.5, 3.75, 10]));
      const [ip, fp] = split(x) as NdArray[];
      expect(toArray(ip)).toEqual([1, -3, 3, 10]);
      expect(toArray(fp)).toEqual([0.25, 0.5, 0.75, 0]);
      const f = vectorize((a: number, b: number) => a * b + 1, {
        target: 'gpu',
        signatures: ['int16(int16, int16)', 'float32(float32, float32)'],
      });
      const r = f(asarray(new Int16Array([300, -2])), asarray(new Int16Array([300, 7]))) as NdArray;
      expect(toArray(r)).toEqual([((300 * 300 + 1) << 16) >> 16, -13]); // int16 wraps exactly
      expect(f.types).toEqual(['int16,int16->int16', 'float32,float32->float32']);
      const mul = ufuncs[1];
      expectClose(
        mul.gpu.outer(asarray([1, 2, 3]), asarray([[4], [5]])),
        mul.cpu.outer(asarray([1, 2, 3]), asarray([[4], [5]])),
      );
      // Inputs are read as the loop's types (dtype with casting 'unsafe': a float64 -7 read as
      // uint8_clamped is 0).
      const add = ufuncs[0];
      const clampedA = asarray(new Uint8ClampedArray([250, 3, 100, 0]));
      const floats = asarray(new Float64Array([10.5, -7, 0.5, 1.5]));
      expect(
        toArray(
          add.gpu(clampedA, floats, { dtype: 'uint8_clamped', casting: 'unsafe' }) as NdArray,
        ),
      ).toEqual(
        toArray(
          add.cpu(clampedA, floats, { dtype: 'uint8_clamped', casting: 'unsafe' }) as NdArray,
        ),
      );
      const p = mul.gpu.async(asarray([1, 2, 3]), 2);
      expect(p).toBeInstanceOf(Promise);
      expect(toArray((await p) as NdArray)).toEqual([2, 4, 6]);
    });

    it('splits large and high-dimensional calls into launches (pack step, exact indices)', () => {
      const poly = ufuncs[2];
      GPU_LIMITS.maxCells = 64;
      try {
        fc.assert(
          fc.property(
            broadcastArraysArb(2, {
              dtype: ['float32', 'int16'],
              maxDims: 6,
              maxSide: 5,
              ...values(100),
            }),
            ([a, b]) => {
              expectClose(poly.gpu(a, b), poly.cpu(a, b), magnitude(a, b) ** 2);
            },
          ),
          gpuRuns(backend),
        );
      } finally {
        GPU_LIMITS.maxCells = 1 << 22;
      }
      // A real large call: 2^22 + 1 cells in 2 launches, broadcast (n,1) + (1,m).
      const n = 2049;
      const m = 2048;
      const col = wrap(
        Float32Array.from({ length: n }, (_, i) => i),
        [n, 1],
      );
      const row = wrap(
        Float32Array.from({ length: m }, (_, j) => j * 0.5),
        [1, m],
      );
      const add = ufuncs[0];
      const got = add.gpu(col, row) as NdArray;
      expect(lastGpuTimings.launches).toBe(2);
      expect(got.shape).toEqual([n, m]);
      for (const [i, j] of [
        [0, 0],
        [2048, 2047],
        [1000, 3],
        [2047, 1024],
      ])
        expect(got.get(i, j)).toBe(i + j * 0.5);
    });

    it('integers are exact within 2^24; beyond it the result is noted, not silent', () => {
      const mul = ufuncs[1];
      const a = asarray(new Int32Array([4095, -4096, 3]));
      expect(toArray(mul.gpu(a, a) as NdArray)).toEqual([4095 * 4095, 4096 * 4096, 9]);
      const big = asarray(new Int32Array([1 << 20]));
      mul.gpu(big, 64);
      expect(gpuStatus().notes.join('\n')).toMatch(/2\^24/);
    });

    it('reductions run on cpu with the reason queryable', () => {
      const add = vectorize((a: number, b: number) => a + b, { target: 'gpu', identity: 0 });
      const m = asarray([
        [1, 2, 3],
        [4, 5, 6],
      ]);
      expect(toArray(add.reduce(m) as NdArray)).toEqual([5, 7, 9]);
      expect(toArray(add.accumulate(m, { axis: 1 }))).toEqual([1, 3, 6, 4, 9, 15]);
      expect(gpuStatus().cpuFallbacks.reduce).toMatch(/runs on cpu/);
    });
  });
}
