/**
 * Finding 5: partial writes. A kernel that can throw part-way — a stencil's computed offset
 * leaving its neighborhood, an integer power with a negative exponent, a kernel calling
 * its original function for free variables — used to leave the elements before the throw
 * written into `out`. Such calls now compute into scratch and copy into `out` only when
 * every element succeeded: on error, `out` is exactly as it was.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  asarray,
  closePool,
  guvectorize,
  type NdArray,
  setParallelOptions,
  stencil,
  toArray,
  ValueError,
  vectorize,
  zeros,
} from '../../src/index.js';
import { fromValues } from '../../src/testing/index.js';
import { snapshot } from '../support.js';

beforeAll(() => setParallelOptions({ workers: 2, threshold: 0 }));
afterAll(() => {
  setParallelOptions({ threshold: 65536 });
  closePool();
});

const n = 100_000;

describe('a throw part-way leaves out untouched', () => {
  for (const target of ['cpu', 'parallel'] as const) {
    it(`stencil with a computed offset outside its neighborhood (${target})`, () => {
      const shift = stencil((u: (i: number) => number, k: (i: number) => number) => u(k(0)), {
        neighborhood: [[-1, 1]],
        target,
      });
      const u = asarray(Array.from({ length: n }, (_, i) => i));
      const k = zeros([n]);
      (k.data as Float64Array)[n - 10] = 5; // out of [-1, 1] near the end
      const out = zeros([n]);
      out.data.fill(-2);
      const before = snapshot(out);
      expect(() => shift(u, k, { out })).toThrow(RangeError);
      expect(snapshot(out)).toEqual(before);
      // With valid offsets it writes as before (border cells of out keep their value).
      (k.data as Float64Array)[n - 10] = 1;
      shift(u, k, { out });
      expect(out.data[0]).toBe(-2);
      expect(out.data[1]).toBe(1);
      expect(out.data[n - 10]).toBe(n - 9);
    });

    it(`integer power with a negative exponent late in the array (${target})`, () => {
      const pow = vectorize((a: number, b: number) => a ** b, { target });
      const b = fromValues(
        Array.from({ length: n }, (_, i) => (i === n - 3 ? -1 : 2)),
        [n],
        'int32',
      );
      const a = fromValues(
        Array.from({ length: n }, (_, i) => i % 7),
        [n],
        'int32',
      );
      const out = zeros([n], 'int32');
      out.data.fill(9);
      const before = snapshot(out);
      expect(() => pow(a, b, { out })).toThrow(ValueError);
      expect(snapshot(out)).toEqual(before);
      const add = vectorize((s: number, x: number) => s + x ** -1, { target });
      const acc = zeros([], 'int32');
      acc.data[0] = 4;
      expect(() => add.accumulate(a, { out: zeros([n], 'int32') })).toThrow(ValueError);
      expect(() => add.reduce(a, { out: acc })).toThrow(ValueError);
      expect(acc.data[0]).toBe(4);
    });
  }

  it('a gufunc whose kernel raises a negative integer power in a late row', () => {
    const rowPow = guvectorize((x: { shape: number[]; get(i: number): number }, e: number) => {
      let s = 0;
      for (let i = 0; i < x.shape[0]; i++) s += x.get(i) ** e;
      return s;
    }, '(n),()->()');
    const x = fromValues(
      Array.from({ length: 40 }, (_, i) => i % 5),
      [10, 4],
      'int32',
    );
    const e = fromValues(
      Array.from({ length: 10 }, (_, i) => (i === 8 ? -1 : 2)),
      [10],
      'int32',
    );
    const out = zeros([10], 'int32');
    out.data.fill(7);
    const before = snapshot(out);
    expect(() => rowPow(x, e, { out })).toThrow(ValueError);
    expect(snapshot(out)).toEqual(before);
  });

  it('the per-element call of a kernel with free variables (cpu)', () => {
    // `offset` is free: the loop calls the original function per element, and reading the
    // undeclared name throws a ReferenceError, only for elements above 50.
    const f = vectorize((a: number) => (a > 50 ? offset : a + 1));
    const out = zeros([100]);
    out.data.fill(3);
    const before = snapshot(out);
    expect(() => f(asarray(Array.from({ length: 100 }, (_, i) => i)), { out })).toThrow(
      ReferenceError,
    );
    expect(snapshot(out)).toEqual(before);
    expect(toArray(f(asarray([1, 2]), { out: zeros([2]) }) as NdArray)).toEqual([2, 3]);
  });
});

declare const offset: number;
