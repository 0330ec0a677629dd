/**
 * `target: 'parallel'` for vectorize: every call kind equals `cpu` bit for bit over random
 * shapes, dtypes and views (shared and copied memory), with the size threshold at 0 so
 * even tiny calls go to the workers, and 3 workers so chunks are uneven.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { view } from '../../../src/core/array.js';
import {
  asarray,
  CompileError,
  closePool,
  dtypeOf,
  type NdArray,
  parallelStatus,
  setParallelOptions,
  toArray,
  vectorize,
  zeros,
} from '../../../src/index.js';
import {
  assertArraysEqual,
  axesArb,
  axisArb,
  broadcastArraysArb,
  ndarrayArb,
  shapeArb,
} from '../../../src/testing/index.js';
import { runs } from '../../support.js';
import { bufferOf, cloneView, type Pair, pair } from './helpers.js';

const EXACT = { signedZero: true } as const;
const isFloat = (t: string) => t === 'float64' || t === 'float32';

const PAIRS: Pair[] = [
  pair('add', (a, b) => a + b, { identity: 0 }),
  pair('sub', (a, b) => a - b),
  pair('mul', (a, b) => a * b, { identity: 1 }),
  pair('max', (a, b) => Math.max(a, b), { identity: 'reorderable' }),
  pair('sincos', (a, b) => Math.sin(a) * Math.cos(b)),
  pair('branch', (a, b) => {
    let s = 0;
    for (let i = 0; i < 3; i++) s += a > b ? a - i : b * i;
    return s;
  }),
];
for (const p of PAIRS) Object.defineProperty(p, fc.toStringMethod, { value: () => p.name });

beforeAll(() => setParallelOptions({ workers: 3, threshold: 0 }));
afterAll(() => {
  setParallelOptions({ threshold: 65536 });
  closePool();
});

describe('parallel target: status and options', () => {
  it('is available in Node with the configured pool', () => {
    const s = parallelStatus();
    expect(s.available).toBe(true);
    expect(s.reason).toBe('');
    expect(s.workers).toBe(3);
    expect(s.threshold).toBe(0);
  });
  it('validates options', () => {
    expect(() => setParallelOptions({ workers: 0 })).toThrow(RangeError);
    expect(() => setParallelOptions({ threshold: -1 })).toThrow(RangeError);
  });
  it('rejects kernels with free variables with a CompileError naming them', () => {
    const scale = 3;
    const offset = 1;
    let e: unknown;
    try {
      vectorize((x: number) => x * scale + offset, { target: 'parallel', name: 'affine' });
    } catch (err) {
      e = err;
    }
    expect(e).toBeInstanceOf(CompileError);
    expect((e as CompileError).freeNames).toEqual(['scale', 'offset']);
    expect((e as Error).message).toMatch(/affine: .*'scale'.*constants/);
    // Passing them as constants compiles them in.
    const f = vectorize((x: number) => x * scale + offset, {
      target: 'parallel',
      constants: { scale, offset },
    });
    expect(toArray(f(asarray([1, 2])) as NdArray)).toEqual([4, 7]);
    expect(() =>
      vectorize((x: number) => x * scale, { target: 'parallel', signatures: ['float64(float64)'] }),
    ).toThrow(CompileError);
  });
});

describe('parallel target: calls equal cpu', () => {
  it('over random shapes, dtypes and views (copied and shared inputs)', () => {
    const jobs = parallelStatus().jobs;
    fc.assert(
      fc.property(
        fc.constantFrom(...PAIRS),
        broadcastArraysArb(2, { maxDims: 3, maxSide: 6 }),
        fc.boolean(),
        (p, [a, b], shared) => {
          const expected = p.cpu(a, b) as NdArray;
          const got = p.par(cloneView(a, shared), cloneView(b, shared)) as NdArray;
          assertArraysEqual(got, expected, EXACT);
        },
      ),
      runs(120),
    );
    // The calls did go to the workers.
    expect(parallelStatus().jobs - jobs).toBeGreaterThan(30);
    expect(parallelStatus().started).toBe(3);
  });

  it('with out views, where masks and dtype', () => {
    const caseArb = shapeArb({ minDims: 1, maxDims: 3, maxSide: 6 }).chain((shape) =>
      fc.tuple(
        fc.constantFrom(...PAIRS),
        ndarrayArb({ shape, dtype: ['float64', 'int32', 'uint8', 'float32'] }),
        ndarrayArb({ shape, dtype: ['float64', 'int16'] }),
        ndarrayArb({ shape, dtype: ['float64', 'float32'], writable: true }),
        fc.option(ndarrayArb({ shape, dtype: 'bool' })),
        fc.boolean(),
      ),
    );
    fc.assert(
      fc.property(caseArb, ([p, a, b, out, where, shared]) => {
        const outCpu = cloneView(out, false);
        const outPar = cloneView(out, shared);
        const w = where ?? undefined;
        p.cpu(a, b, { out: outCpu, where: w, dtype: 'float64' });
        p.par(cloneView(a, shared), cloneView(b, shared), {
          out: outPar,
          where: w && cloneView(w, shared),
          dtype: 'float64',
        });
        // The whole buffer: written elements equal, unwritten ones untouched.
        expect(bufferOf(outPar)).toEqual(bufferOf(outCpu));
      }),
      runs(100),
    );
  });

  it('in place (out is an input) and outer', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...PAIRS),
        ndarrayArb({ dtype: 'float64', minDims: 1, maxDims: 3, maxSide: 6, writable: true }),
        fc.boolean(),
        (p, a, shared) => {
          const x = cloneView(a, false);
          const y = cloneView(a, shared);
          p.cpu(x, x, { out: x });
          p.par(y, y, { out: y });
          expect(bufferOf(y)).toEqual(bufferOf(x));
          const flat = asarray(toArray(a).slice(0, 7));
          assertArraysEqual(
            p.par.outer(flat, flat) as NdArray,
            p.cpu.outer(flat, flat) as NdArray,
            EXACT,
          );
        },
      ),
      runs(60),
    );
  });

  it('two outputs, and .async resolves to the same result', async () => {
    const two = pair('divmod', (a: number, b: number) => [
      Math.floor(a / b),
      a - b * Math.floor(a / b),
    ]);
    const a = asarray(Array.from({ length: 1000 }, (_, i) => i * 1.5 - 300));
    const b = asarray(Array.from({ length: 1000 }, (_, i) => (i % 7) + 1));
    const expected = two.cpu(a, b) as unknown as NdArray[];
    const got = two.par(a, b) as unknown as NdArray[];
    expect(got.length).toBe(2);
    for (let j = 0; j < 2; j++) assertArraysEqual(got[j], expected[j], EXACT);
    const out = zeros([1000], 'float64', { shared: true });
    const viaAsync = await PAIRS[4].par.async(a, b, { out });
    expect(viaAsync).toBe(out);
    assertArraysEqual(out, PAIRS[4].cpu(a, b) as NdArray, EXACT);
    // Several async calls in flight, and a sync call while they run.
    const ps = [1, 2, 3].map((k) => PAIRS[4].par.async(a, k));
    const sync = PAIRS[4].par(a, 4) as NdArray;
    const rs = await Promise.all(ps);
    for (const [i, r] of rs.entries())
      assertArraysEqual(r as NdArray, PAIRS[4].cpu(a, i + 1) as NdArray, EXACT);
    assertArraysEqual(sync, PAIRS[4].cpu(a, 4) as NdArray, EXACT);
    await expect(PAIRS[0].par.async(a, zeros([3]))).rejects.toThrow(/broadcast/);
  });

  it('large calls above the default threshold', () => {
    setParallelOptions({ threshold: 65536 });
    try {
      const n = 300_000;
      const a = zeros([n]);
      const d = a.data as Float64Array;
      for (let i = 0; i < n; i++) d[i] = i / 7;
      const p = PAIRS[4];
      assertArraysEqual(p.par(a, 0.5) as NdArray, p.cpu(a, 0.5) as NdArray, EXACT);
      // A transposed, non-shared 2-D view goes through scratch copies.
      const m = view(a.data as Float64Array, [600, 500], [500, 1], 0).transpose(1, 0) as NdArray;
      assertArraysEqual(p.par(m, m) as NdArray, p.cpu(m, m) as NdArray, EXACT);
      const add = PAIRS[0];
      assertArraysEqual(
        add.par.reduce(m, { axis: 1 }) as NdArray,
        add.cpu.reduce(m, { axis: 1 }) as NdArray,
        EXACT,
      );
    } finally {
      setParallelOptions({ threshold: 0 });
    }
  });
});

describe('parallel target: reduce and accumulate equal cpu', () => {
  it('reduce over random axes (split along kept axes)', () => {
    const caseArb = fc
      .tuple(
        fc.constantFrom(...PAIRS.slice(0, 4)),
        shapeArb({ minDims: 1, maxDims: 3, maxSide: 6 }),
      )
      .chain(([p, shape]) =>
        fc.tuple(
          fc.constant(p),
          ndarrayArb({ shape, dtype: ['float64', 'int32', 'uint8', 'float32'] }),
          p.name === 'sub' ? axisArb(shape.length) : axesArb(shape.length),
          fc.boolean(),
          fc.option(fc.integer({ min: -5, max: 5 })),
        ),
      );
    fc.assert(
      fc.property(caseArb, ([p, a, axis, keepdims, initial]) => {
        // Float reductions over every axis with a numeric identity go through per-worker
        // partials (regrouped sums): tested exactly on small integers below.
        const nd = a.shape.length;
        const all = axis === null || (Array.isArray(axis) ? axis.length === nd : nd === 1);
        fc.pre(!(all && typeof p.cpu.identity === 'number' && isFloat(dtypeOf(a))));
        const o = { axis, keepdims, initial: initial ?? undefined };
        let expected: NdArray | number;
        try {
          expected = p.cpu.reduce(a, o);
        } catch (e) {
          expect(() => p.par.reduce(a, o)).toThrow((e as Error).message);
          return;
        }
        const got = p.par.reduce(cloneView(a, false), o);
        if (typeof expected === 'number') expect(Object.is(got, expected)).toBe(true);
        else assertArraysEqual(got as NdArray, expected, EXACT);
      }),
      runs(120),
    );
  });

  it('reduce over every axis through per-worker partials (numeric identity)', () => {
    const caseArb = fc
      .tuple(fc.constantFrom(PAIRS[0], PAIRS[2]), shapeArb({ minDims: 1, maxDims: 3, maxSide: 6 }))
      .chain(([p, shape]) =>
        fc.tuple(
          fc.constant(p),
          // Small integers: sums (and integer products, which wrap) are exact in any order.
          ndarrayArb({
            shape,
            dtype: p.name === 'mul' ? ['int32', 'uint8', 'int16'] : ['float64', 'float32', 'int32'],
            small: true,
          }),
          fc.option(fc.integer({ min: -5, max: 5 })),
          fc.option(ndarrayArb({ shape, dtype: 'bool' })),
        ),
      );
    const jobs = parallelStatus().jobs;
    fc.assert(
      fc.property(caseArb, ([p, a, initial, where]) => {
        const o = { axis: null, initial: initial ?? undefined, where: where ?? undefined };
        const got = p.par.reduce(cloneView(a, false), o);
        expect(Object.is(got, p.cpu.reduce(a, o))).toBe(true);
      }),
      runs(80),
    );
    expect(parallelStatus().jobs - jobs).toBeGreaterThan(20);
    // A large float sum: the partials regroup it, so it agrees to rounding.
    setParallelOptions({ threshold: 65536 });
    try {
      const n = 200_000;
      const x = zeros([n], 'float64', { shared: true });
      const d = x.data as Float64Array;
      for (let i = 0; i < n; i++) d[i] = Math.sin(i);
      const j0 = parallelStatus().jobs;
      const s = PAIRS[0].par.reduce(x, { axis: null }) as number;
      expect(parallelStatus().jobs).toBe(j0 + 1);
      expect(s).toBeCloseTo(PAIRS[0].cpu.reduce(x, { axis: null }) as number, 9);
    } finally {
      setParallelOptions({ threshold: 0 });
    }
  });

  it('accumulate along every axis (split along the others)', () => {
    const caseArb = shapeArb({ minDims: 1, maxDims: 3, maxSide: 6 }).chain((shape) =>
      fc.tuple(
        fc.constantFrom(...PAIRS.slice(0, 4)),
        ndarrayArb({ shape, dtype: ['float64', 'int32', 'int8', 'float32'] }),
        axisArb(shape.length),
        fc.boolean(),
      ),
    );
    fc.assert(
      fc.property(caseArb, ([p, a, axis, shared]) => {
        assertArraysEqual(
          p.par.accumulate(cloneView(a, shared), { axis }),
          p.cpu.accumulate(a, { axis }),
          EXACT,
        );
      }),
      runs(120),
    );
  });
});
