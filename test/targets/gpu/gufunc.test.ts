/**
 * `target: 'gpu'` for guvectorize, on every gpu.js backend this process has: loop dims
 * broadcast, core dims, views, `out`, several outputs, optional and output-only dims equal
 * `cpu` within float32 tolerance; what the gpu target cannot take is a CompileError.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  asarray,
  CompileError,
  type DType,
  gpuStatus,
  guvectorize,
  type NdArray,
  setGpuBackend,
  toArray,
  type View,
  zeros,
} from '../../../src/index.js';
import { GPU_LIMITS, lastGpuTimings } from '../../../src/targets/gpu/map.js';
import { broadcastShapesArb, ndarrayArb } from '../../../src/testing/index.js';
import { available, BACKENDS, expectClose, gpuRuns, logBackends, magnitude } from './helpers.js';

logBackends('guvectorize');

const rowDotK = (x: View, y: View) => {
  let s = 0;
  for (let i = 0; i < x.shape[0]; i++) s += x.get(i) * y.get(i);
  return s;
};
const matmulK = (a: View, b: View, c: View) => {
  for (let i = 0; i < a.shape[0]; i++) {
    for (let j = 0; j < b.shape[1]; j++) {
      let s = 0;
      for (let k = 0; k < a.shape[1]; k++) s += a.get(i, k) * b.get(k, j);
      c.set(i, j, s);
    }
  }
};
const minMaxK = (x: View) => {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < x.shape[0]; i++) {
    lo = Math.min(lo, x.get(i));
    hi = Math.max(hi, x.get(i));
  }
  return [lo, hi];
};
const scanK = (x: View, w: number, o: View) => {
  let s = 0;
  for (let i = 0; i < x.shape[0]; i++) {
    s += x.get(i);
    if (i >= w) s -= x.get(i - w);
    o.set(i, s);
  }
};

const pairs = {
  rowDot: [
    guvectorize(rowDotK, '(n),(n)->()', { target: 'gpu' }),
    guvectorize(rowDotK, '(n),(n)->()'),
  ],
  matmul: [
    guvectorize(matmulK, '(m,n),(n,p)->(m,p)', { target: 'gpu' }),
    guvectorize(matmulK, '(m,n),(n,p)->(m,p)'),
  ],
  matmulNd: [
    guvectorize(matmulK, '(m?,n),(n,p?)->(m?,p?)', { target: 'gpu' }),
    guvectorize(matmulK, '(m?,n),(n,p?)->(m?,p?)'),
  ],
  minMax: [
    guvectorize(minMaxK, '(n)->(),()', { target: 'gpu' }),
    guvectorize(minMaxK, '(n)->(),()'),
  ],
  scan: [
    guvectorize(scanK, '(n),()->(n)', {
      target: 'gpu',
      signatures: ['void(float64[:], int32, float64[:])'],
    }),
    guvectorize(scanK, '(n),()->(n)', { signatures: ['void(float64[:], int32, float64[:])'] }),
  ],
} as const;

const DTYPES: DType[] = ['float64', 'float32', 'int16', 'int32', 'uint8'];
const VALUES = { values: fc.integer({ min: -400, max: 400 }).map((k) => k / 4) };

describe('gpu target: guvectorize kernels it cannot take', () => {
  it('reading an output view, bit operators and free variables are CompileErrors at build', () => {
    expect(() =>
      guvectorize((a: View, c: View) => c.set(0, c.get(0) + a.get(0)), '(n)->(n)', {
        target: 'gpu',
      }),
    ).toThrow(/reading an output view .* not supported on the gpu target/);
    expect(() => guvectorize((a: View) => a.get(0) | 1, '(n)->()', { target: 'gpu' })).toThrow(
      CompileError,
    );
    const k = 2;
    expect(() => guvectorize((a: View) => a.get(0) * k, '(n)->()', { target: 'gpu' })).toThrow(
      CompileError,
    );
  });
});

for (const backend of BACKENDS) {
  describe.runIf(available(backend))(`gpu target on ${backend}: guvectorize`, () => {
    beforeAll(() => {
      setGpuBackend(backend);
      console.log(`[numbats gpu] running guvectorize tests on ${gpuStatus().backend}`);
    });
    afterAll(() => {
      setGpuBackend('auto');
      GPU_LIMITS.maxCells = 1 << 22;
    });

    it('row dot and minMax: broadcast loop dims, any views and dtypes', () => {
      fc.assert(
        fc.property(
          broadcastShapesArb(2, { maxDims: 2, maxSide: 4 }),
          fc.integer({ min: 1, max: 5 }),
          fc.constantFrom(...DTYPES),
          fc.constantFrom(...DTYPES),
          fc.integer({ min: 0, max: 1 << 30 }),
          ([s1, s2], n, t1, t2, seed) => {
            const [x, y] = fc.sample(
              fc.tuple(
                ndarrayArb({ dtype: t1, shape: [...s1, n], ...VALUES }),
                ndarrayArb({ dtype: t2, shape: [...s2, n], ...VALUES }),
              ),
              { numRuns: 1, seed },
            )[0];
            const [g, c] = pairs.rowDot;
            expectClose(g(x, y), c(x, y), magnitude(x, y) ** 2 * n);
            const [gm, cm] = pairs.minMax;
            const gr = gm(x) as NdArray[];
            const cr = cm(x) as NdArray[];
            expectClose(gr[0], cr[0]);
            expectClose(gr[1], cr[1]);
          },
        ),
        gpuRuns(backend),
      );
    });

    it('matmul (fixed, optional dims) with and without out, over launches', () => {
      fc.assert(
        fc.property(
          broadcastShapesArb(2, { maxDims: 2, maxSide: 3 }),
          fc.tuple(
            fc.integer({ min: 1, max: 4 }),
            fc.integer({ min: 1, max: 4 }),
            fc.integer({ min: 1, max: 4 }),
          ),
          fc.boolean(),
          fc.boolean(),
          fc.integer({ min: 0, max: 1 << 30 }),
          ([s1, s2], [m, n, p], withOut, small, seed) => {
            const [a, b] = fc.sample(
              fc.tuple(
                ndarrayArb({ dtype: DTYPES, shape: [...s1, m, n], ...VALUES }),
                ndarrayArb({ dtype: DTYPES, shape: [...s2, n, p], ...VALUES }),
              ),
              { numRuns: 1, seed },
            )[0];
            const [g, c] = pairs.matmul;
            const scale = magnitude(a, b) ** 2 * n;
            GPU_LIMITS.maxCells = small ? 8 : 1 << 22;
            if (withOut) {
              const want = c(a, b) as NdArray;
              const og = zeros(want.shape, 'float64');
              const oc = zeros(want.shape, 'float64');
              g(a, b, { out: og });
              c(a, b, { out: oc });
              expectClose(og, oc, scale);
            } else {
              expectClose(g(a, b), c(a, b), scale);
            }
            // A vector (its first row) against b: the optional dim m is missing.
            if (a.shape.every((d) => d > 0)) {
              const [gn, cn] = pairs.matmulNd;
              const v = a.pick(...a.shape.slice(0, -2).map(() => 0), 0, null);
              expectClose(gn(v, b), cn(v, b), scale);
            }
            GPU_LIMITS.maxCells = 1 << 22;
          },
        ),
        gpuRuns(backend),
      );
    });

    it('a () input, an output written element by element, out keeps unwritten elements, .async', async () => {
      const [g, c] = pairs.scan;
      const x = asarray([
        [1, 2, 3, 4, 5],
        [5, 4, 3, 2, 1],
      ]);
      expectClose(g(x, asarray(new Int32Array([2, 3]))), c(x, asarray(new Int32Array([2, 3]))));
      const partial = guvectorize(
        (x: View, o: View) => {
          o.set(0, x.get(0) * 2);
        },
        '(n)->(n)',
        { target: 'gpu' },
      );
      const out = asarray([
        [9, 9, 9],
        [7, 7, 7],
      ]);
      partial(
        asarray([
          [1, 2, 3],
          [4, 5, 6],
        ]),
        { out },
      );
      expect(toArray(out)).toEqual([2, 9, 9, 8, 7, 7]);
      expect(lastGpuTimings.launches).toBeGreaterThan(0);
      const [dot] = pairs.rowDot;
      expect(toArray((await dot.async(x, x)) as NdArray)).toEqual([55, 55]);
    });
  });
}
