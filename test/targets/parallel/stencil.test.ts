/**
 * Stencils on `target: 'parallel'` (row bands) equal `cpu` for every boundary mode, 1-D to
 * 3-D, random views, with and without `out`, shared and plain memory; an exception raised
 * by the kernel in a worker (a computed offset outside the neighborhood) is rethrown.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Boundary,
  closePool,
  type NdArray,
  parallelStatus,
  type Rel,
  type StencilOptions,
  setParallelOptions,
  stencil,
  zeros,
} from '../../../src/index.js';
import { assertArraysEqual, ndarrayArb, shapeArb } from '../../../src/testing/index.js';
import { runs } from '../../support.js';
import { bufferOf, cloneView } from './helpers.js';

const MODES: readonly Boundary[] = ['skip', 'constant', 'nearest', 'reflect', 'mirror', 'wrap'];

type Kernel = { name: string; nd: number; fn: (...a: any[]) => number; scalar?: boolean };
const KERNELS: Kernel[] = [
  { name: 'blur1', nd: 1, fn: (u: Rel) => (u(-1) + u(0) + 2 * u(2)) / 4 },
  {
    name: 'laplacian',
    nd: 2,
    fn: (u: Rel) => u(-1, 0) + u(1, 0) + u(0, -1) + u(0, 1) - 4 * u(0, 0),
  },
  {
    name: 'life',
    nd: 2,
    fn: (c: Rel) => {
      const n = c(-1, -1) + c(-1, 0) + c(-1, 1) + c(0, -1) + c(0, 1) + c(1, -1) + c(1, 0) + c(1, 1);
      return n === 3 || (n === 2 && c(0, 0) === 1) ? 1 : 0;
    },
  },
  {
    name: 'scaled',
    nd: 2,
    fn: (u: Rel, k: number) => k * u(0, 0) + u(-2, 1) - u(1, -1),
    scalar: true,
  },
  { name: 'box3', nd: 3, fn: (u: Rel) => u(-1, 0, 0) + u(0, 1, 0) + u(0, 0, -1) + u(1, 1, 1) },
];

const pairs = new Map<string, { cpu: (...a: any[]) => NdArray; par: (...a: any[]) => NdArray }>();
function pairOf(k: Kernel, mode: Boundary, cval: number) {
  const key = `${k.name}|${mode}|${cval}`;
  let p = pairs.get(key);
  if (!p) {
    const o: StencilOptions = { boundary: mode, cval };
    p = {
      cpu: stencil(k.fn, o) as never,
      par: stencil(k.fn, { ...o, target: 'parallel' }) as never,
    };
    pairs.set(key, p);
  }
  return p;
}

beforeAll(() => setParallelOptions({ workers: 3, threshold: 0 }));
afterAll(() => {
  setParallelOptions({ threshold: 65536 });
  closePool();
});

describe('parallel stencil equals cpu', () => {
  it('every kernel and boundary mode over random shapes and views', () => {
    const jobs = parallelStatus().jobs;
    const caseArb = fc
      .tuple(
        fc.constantFrom(...KERNELS),
        fc.constantFrom(...MODES),
        fc.integer({ min: -2, max: 5 }),
      )
      .chain(([k, mode, cval]) =>
        shapeArb({ minDims: k.nd, maxDims: k.nd, minSide: 1, maxSide: 9 }).chain((shape) =>
          fc.tuple(
            fc.constant(k),
            fc.constant(mode),
            fc.constant(cval),
            ndarrayArb({ shape, dtype: ['float64', 'int16', 'uint8', 'float32'], small: true }),
            fc.option(ndarrayArb({ shape, dtype: ['float64', 'int32'], writable: true })),
            fc.boolean(),
          ),
        ),
      );
    fc.assert(
      fc.property(caseArb, ([k, mode, cval, u, out, shared]) => {
        const p = pairOf(k, mode, cval);
        const args = k.scalar ? [3] : [];
        if (out) {
          const oc = cloneView(out, false);
          const op = cloneView(out, shared);
          p.cpu(u, ...args, { out: oc });
          p.par(cloneView(u, shared), ...args, { out: op });
          expect(bufferOf(op)).toEqual(bufferOf(oc));
        } else {
          assertArraysEqual(p.par(cloneView(u, shared), ...args), p.cpu(u, ...args), {
            signedZero: true,
          });
        }
      }),
      runs(150),
    );
    expect(parallelStatus().jobs - jobs).toBeGreaterThan(50);
  });

  it('a large grid above the default threshold', () => {
    setParallelOptions({ threshold: 65536 });
    try {
      const g = zeros([400, 300], 'float64', { shared: true });
      const d = g.data as Float64Array;
      for (let i = 0; i < d.length; i++) d[i] = Math.sin(i);
      const p = pairOf(KERNELS[1], 'reflect', 0);
      const jobs = parallelStatus().jobs;
      assertArraysEqual(p.par(g), p.cpu(g), { signedZero: true });
      expect(parallelStatus().jobs).toBe(jobs + 1);
    } finally {
      setParallelOptions({ threshold: 0 });
    }
  });

  it('rethrows a kernel exception from a worker (computed offset outside the neighborhood)', () => {
    const opts: StencilOptions = { neighborhood: [[-1, 1]], boundary: 'nearest' };
    const fn = (u: Rel, t: number) => u(t) + u(0);
    const cpu = stencil(fn, opts);
    const par = stencil(fn, { ...opts, target: 'parallel' });
    const u = zeros([64], 'float64', { shared: true });
    let cpuErr: Error | undefined;
    try {
      cpu(u, 2);
    } catch (e) {
      cpuErr = e as Error;
    }
    expect(cpuErr).toBeInstanceOf(RangeError);
    expect(() => par(u, 2)).toThrow(RangeError);
    expect(() => par(u, 2)).toThrow(cpuErr!.message);
    // The pool is fine afterwards.
    assertArraysEqual(par(u, 1), cpu(u, 1));
  });
});
