/**
 * guvectorize on `target: 'parallel'` (loop dims split over workers) equals `cpu` over
 * random broadcast loop dims, core sizes, dtypes and views, with and without `out`.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  closePool,
  type GuvectorizeOptions,
  guvectorize,
  type NdArray,
  parallelStatus,
  setParallelOptions,
  type View,
  zeros,
} from '../../../src/index.js';
import { assertArraysEqual, broadcastShapesArb, ndarrayArb } from '../../../src/testing/index.js';
import { runs } from '../../support.js';
import { bufferOf, cloneView } from './helpers.js';

const EXACT = { signedZero: true } as const;

type G = ((...a: unknown[]) => NdArray) & { async: (...a: unknown[]) => Promise<unknown> };

function pairOf(fn: (...a: any[]) => unknown, layout: string, o: GuvectorizeOptions = {}) {
  return {
    cpu: guvectorize(fn as never, layout, o) as unknown as G,
    par: guvectorize(fn as never, layout, { ...o, target: 'parallel' }) as unknown as G,
  };
}

const rowDot = pairOf((x: View, y: View) => {
  let s = 0;
  for (let i = 0; i < x.shape[0]; i++) s += x.get(i) * y.get(i);
  return s;
}, '(n),(n)->()');

const matmul = pairOf((a: View, b: View, c: View) => {
  for (let i = 0; i < a.shape[0]; i++) {
    for (let j = 0; j < b.shape[1]; j++) {
      let s = 0;
      for (let k = 0; k < a.shape[1]; k++) s += a.get(i, k) * b.get(k, j);
      c.set(i, j, s);
    }
  }
}, '(m,n),(n,p)->(m,p)');

const cumsum = pairOf((x: View, o: View) => {
  let s = 0;
  for (let i = 0; i < x.shape[0]; i++) {
    s += x.get(i);
    o.set(i, s);
  }
}, '(n)->(n)');

beforeAll(() => setParallelOptions({ workers: 3, threshold: 0 }));
afterAll(() => {
  setParallelOptions({ threshold: 65536 });
  closePool();
});

const DT = ['float64', 'float32', 'int32', 'int16', 'uint8'] as const;

describe('parallel guvectorize equals cpu', () => {
  it('row dot over broadcast loop dims and views', () => {
    const jobs = parallelStatus().jobs;
    const caseArb = fc
      .tuple(broadcastShapesArb(2, { maxDims: 3, maxSide: 5 }), fc.integer({ min: 0, max: 18 }))
      .chain(([[la, lb], n]) =>
        fc.tuple(
          ndarrayArb({ shape: [...la, n], dtype: [...DT] }),
          ndarrayArb({ shape: [...lb, n], dtype: [...DT] }),
          fc.boolean(),
        ),
      );
    fc.assert(
      fc.property(caseArb, ([a, b, shared]) => {
        assertArraysEqual(
          rowDot.par(cloneView(a, shared), cloneView(b, shared)),
          rowDot.cpu(a, b),
          EXACT,
        );
      }),
      runs(100),
    );
    expect(parallelStatus().jobs - jobs).toBeGreaterThan(20);
  });

  it('matmul and cumsum, with out views', () => {
    const caseArb = fc
      .tuple(
        fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 2 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 4 }),
      )
      .chain(([loop, m, n, p]) =>
        fc.tuple(
          ndarrayArb({ shape: [...loop, m, n], dtype: ['float64', 'int32'] }),
          ndarrayArb({ shape: [...loop, n, p], dtype: ['float64', 'float32'] }),
          ndarrayArb({ shape: [...loop, m, p], dtype: 'float64', writable: true }),
          ndarrayArb({ shape: [...loop, n], dtype: ['float64', 'int16'] }),
          fc.boolean(),
        ),
      );
    fc.assert(
      fc.property(caseArb, ([a, b, out, x, shared]) => {
        const oc = cloneView(out, false);
        const op = cloneView(out, shared);
        matmul.cpu(a, b, { out: oc });
        matmul.par(cloneView(a, shared), cloneView(b, shared), { out: op });
        expect(bufferOf(op)).toEqual(bufferOf(oc));
        assertArraysEqual(matmul.par(a, b), matmul.cpu(a, b), EXACT);
        assertArraysEqual(cumsum.par(cloneView(x, shared)), cumsum.cpu(x), EXACT);
      }),
      runs(80),
    );
  });

  it('.async resolves to the same result', async () => {
    const a = zeros([200, 8], 'float64', { shared: true });
    const d = a.data as Float64Array;
    for (let i = 0; i < d.length; i++) d[i] = Math.cos(i);
    assertArraysEqual((await rowDot.par.async(a, a)) as NdArray, rowDot.cpu(a, a), EXACT);
  });
});
