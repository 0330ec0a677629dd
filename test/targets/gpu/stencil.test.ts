/**
 * `target: 'gpu'` for stencils, on every gpu.js backend this process has: random kernels
 * (sums of accessor reads at random offsets, Math.max, a scalar argument, computed offsets)
 * over random shapes (1-D to 3-D, axes of length 0 and 1, axes shorter than the
 * neighborhood), dtypes and views, for every boundary mode and one mode per axis, with and
 * without `out`, in one launch and cut into many, equal `cpu`.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copy, dtypeOf } from '../../../src/core/array.js';
import {
  asarray,
  type Boundary,
  CompileError,
  type DType,
  gpuStatus,
  type NdArray,
  type Rel,
  setGpuBackend,
  stencil,
  toArray,
  zeros,
} from '../../../src/index.js';
import { GPU_LIMITS, lastGpuTimings } from '../../../src/targets/gpu/map.js';
import { ndarrayArb, shapeArb } from '../../../src/testing/index.js';
import { available, BACKENDS, expectClose, gpuRuns, logBackends } from './helpers.js';

logBackends('stencil');

const MODES: Boundary[] = ['skip', 'constant', 'nearest', 'reflect', 'mirror', 'wrap'];
const DTYPES: DType[] = ['float64', 'float32', 'int8', 'int16', 'int32', 'uint8', 'uint16'];

interface Term {
  input: number;
  offsets: number[];
  coef: number;
  max: boolean;
}
interface Case {
  shape: number[];
  dtypes: DType[];
  terms: Term[];
  scalar: number | null;
  computed: number | null;
  modes: Boundary[];
  cval: number;
  outDtype: DType | null;
  small: boolean;
}

const caseArb: fc.Arbitrary<Case> = fc.integer({ min: 1, max: 3 }).chain((n) =>
  fc.record({
    shape: shapeArb({ minDims: n, maxDims: n, minSide: 0, maxSide: 6 }),
    dtypes: fc.array(fc.constantFrom(...DTYPES), { minLength: 1, maxLength: 2 }),
    terms: fc.array(
      fc.record({
        input: fc.nat(),
        offsets: fc.array(fc.integer({ min: -3, max: 3 }), { minLength: n, maxLength: n }),
        coef: fc.integer({ min: 1, max: 3 }),
        max: fc.boolean(),
      }),
      { minLength: 1, maxLength: 5 },
    ),
    scalar: fc.option(fc.integer({ min: 0, max: 3 })),
    computed: fc.option(fc.integer({ min: -1, max: 1 })),
    modes: fc.oneof(
      fc.constantFrom(...MODES).map((m) => new Array<Boundary>(n).fill(m)),
      fc.array(fc.constantFrom(...MODES), { minLength: n, maxLength: n }),
    ),
    cval: fc.integer({ min: 0, max: 9 }),
    outDtype: fc.option(fc.constantFrom(...DTYPES)),
    small: fc.boolean(),
  }),
);

function kernelOf(c: Case): Parameters<typeof stencil>[0] {
  const params = c.dtypes.map((_, i) => `a${i}`);
  if (c.scalar !== null) params.push('s');
  if (c.computed !== null) params.push('t');
  const terms = c.dtypes.map((_, i) => ({ ...c.terms[i % c.terms.length], input: i }));
  for (const t of c.terms.slice(c.dtypes.length))
    terms.push({ ...t, input: t.input % c.dtypes.length });
  const read = (t: Term, k: number) =>
    `a${t.input}(${t.offsets.map((o, a) => (k === 0 && a === 0 && c.computed !== null ? `t + ${o}` : String(o))).join(', ')})`;
  const parts: string[] = [];
  for (let k = 0; k < terms.length; k++) {
    let e = `${terms[k].coef} * ${read(terms[k], k)}`;
    if (k === 0 && c.scalar !== null) e = `s * ${e}`;
    if (terms[k].max && k + 1 < terms.length) {
      k++;
      e = `Math.max(${e}, ${terms[k].coef} * ${read(terms[k], k)})`;
    }
    parts.push(e);
  }
  return new Function(...params, `return ${parts.join(' + ')};`) as never;
}

/** The declared neighborhood of a case with a computed offset (covers t in [-1, 1]). */
function neighborhood(c: Case): [number, number][] {
  return c.shape.map((_, a) => {
    const os = c.terms.map((t) => t.offsets[a]);
    return [Math.min(0, ...os) - (a === 0 ? 1 : 0), Math.max(0, ...os) + (a === 0 ? 1 : 0)];
  });
}

describe('gpu target: stencil kernels it cannot take', () => {
  it('are CompileErrors when the stencil is built', () => {
    expect(() => stencil((u: Rel) => u(0) & 1, { target: 'gpu' })).toThrow(CompileError);
    expect(() => stencil((u: Rel) => Math.imul(u(0), 3), { target: 'gpu' })).toThrow(
      /Math\.imul .*gpu target/,
    );
  });
});

for (const backend of BACKENDS) {
  describe.runIf(available(backend))(`gpu target on ${backend}: stencil`, () => {
    beforeAll(() => {
      setGpuBackend(backend);
      console.log(`[numbats gpu] running stencil tests on ${gpuStatus().backend}`);
    });
    afterAll(() => {
      setGpuBackend('auto');
      GPU_LIMITS.maxCells = 1 << 22;
    });

    it('equals cpu for every boundary mode, per-axis modes, views, out, launches', () => {
      fc.assert(
        fc.property(
          caseArb.chain((c) =>
            fc.tuple(
              fc.constant(c),
              fc.tuple(
                ...c.dtypes.map((dtype) => ndarrayArb({ dtype, shape: c.shape, small: true })),
              ),
              fc.option(ndarrayArb({ dtype: DTYPES, shape: c.shape, small: true, writable: true })),
            ),
          ),
          ([c, inputs, out]) => {
            const fn = kernelOf(c);
            const opts = {
              boundary: c.modes,
              cval: c.cval,
              dtype: c.outDtype ?? undefined,
              neighborhood: c.computed === null ? undefined : neighborhood(c),
            };
            const g = stencil(fn, { ...opts, target: 'gpu' });
            const k = stencil(fn, opts);
            const args: (NdArray | number)[] = [...inputs];
            if (c.scalar !== null) args.push(c.scalar);
            if (c.computed !== null) args.push(c.computed);
            GPU_LIMITS.maxCells = c.small ? 6 : 1 << 22;
            try {
              if (out) {
                const oc = copy(out);
                k(...args, { out: oc });
                g(...args, { out });
                expectClose(out, oc);
              } else {
                expectClose(g(...args), k(...args));
              }
            } finally {
              GPU_LIMITS.maxCells = 1 << 22;
            }
          },
        ),
        gpuRuns(backend),
      );
    });

    it('Game of Life and the Laplacian, large enough for several launches', () => {
      const lifeK = (c: Rel) => {
        const n =
          c(-1, -1) + c(-1, 0) + c(-1, 1) + c(0, -1) + c(0, 1) + c(1, -1) + c(1, 0) + c(1, 1);
        return n === 3 || (n === 2 && c(0, 0) === 1) ? 1 : 0;
      };
      const life = stencil(lifeK, { boundary: 'wrap', target: 'gpu' });
      const lifeCpu = stencil(lifeK, { boundary: 'wrap' });
      const n = 300;
      const grid = zeros([n, n], 'uint8');
      const d = grid.data as Uint8Array;
      for (let i = 0; i < d.length; i++) d[i] = (i * 2654435761) % 7 < 2 ? 1 : 0;
      GPU_LIMITS.maxCells = 10_000;
      try {
        const got = life(grid);
        expect(lastGpuTimings.launches).toBeGreaterThan(5);
        expect(dtypeOf(got)).toBe('uint8');
        expect(toArray(got)).toEqual(toArray(lifeCpu(grid)));
      } finally {
        GPU_LIMITS.maxCells = 1 << 22;
      }
      const lapK = (u: Rel) => u(-1, 0) + u(1, 0) + u(0, -1) + u(0, 1) - 4 * u(0, 0);
      const lap = stencil(lapK, { target: 'gpu' });
      const u = asarray(Float32Array.from({ length: 200 * 150 }, (_, i) => Math.sin(i))).pick(null);
      const u2 = zeros([200, 150], 'float32');
      (u2.data as Float32Array).set(u.data as Float32Array);
      expectClose(lap(u2), stencil(lapK)(u2), 4);
    });
  });
}
