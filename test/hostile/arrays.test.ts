/**
 * Finding 3: arrays that lie. An ndarray's header (shape, stride, offset) must fit its
 * data; a lying one used to give NaNs, garbage or dropped writes. Every array is now
 * checked at the boundary — O(ndim), by the two extreme elements — and a lying one is a
 * typed error, with `out` untouched. Also the hostile-options property: option objects
 * with changing getters, Proxies and throwing getters give a typed error or a result
 * computed from one consistent reading, and never a partial write.
 */
import fc from 'fast-check';
import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import {
  asarray,
  type NdArray,
  stencil,
  toArray,
  ValueError,
  vectorize,
  zeros,
} from '../../src/index.js';
import { guvectorize } from '../../src/ufunc/guvectorize.js';
import { runs, snapshot } from '../support.js';

const add = vectorize((a: number, b: number) => a + b);
const lap = stencil((u: (i: number) => number) => u(-1) + u(1));
const rowSum = guvectorize((x: { shape: number[]; get(i: number): number }) => {
  let s = 0;
  for (let i = 0; i < x.shape[0]; i++) s += x.get(i);
  return s;
}, '(n)->()');

/** A raw ndarray-like object: no constructor checks anything. */
const raw = (data: unknown, shape: unknown, stride: unknown, offset: unknown) =>
  ({ data, shape, stride, offset }) as unknown as NdArray;

const lies: [string, () => NdArray, typeof TypeError | typeof ValueError][] = [
  ['shape [10] over 4 elements', () => raw(new Float64Array(4), [10], [1], 0), ValueError],
  [
    'a negative stride reaching before the data',
    () => raw(new Float64Array(4), [4], [-1], 0),
    ValueError,
  ],
  ['an offset past the end', () => raw(new Float64Array(4), [1], [1], 4), ValueError],
  ['a NaN stride', () => raw(new Float64Array(4), [4], [Number.NaN], 0), ValueError],
  ['a fractional stride', () => raw(new Float64Array(4), [2], [1.5], 0), ValueError],
  ['a fractional offset', () => raw(new Float64Array(4), [2], [1], 0.5), ValueError],
  [
    'shape and stride of different lengths',
    () => raw(new Float64Array(4), [2, 2], [2], 0),
    ValueError,
  ],
  ['a negative extent', () => raw(new Float64Array(4), [-1], [1], 0), ValueError],
  ['a string extent', () => raw(new Float64Array(4), ['4'], [1], 0), ValueError],
  ['data that is not a TypedArray', () => raw([1, 2, 3, 4], [4], [1], 0), TypeError],
  [
    'a detached buffer',
    () => {
      const d = new Float64Array(4);
      structuredClone(d.buffer, { transfer: [d.buffer] });
      return raw(d, [4], [1], 0);
    },
    ValueError,
  ],
  [
    'a shrunk resizable buffer',
    () => {
      // ES2024 resizable buffers (Node 20+); typed loosely for the ES2022 lib.
      const RAB = ArrayBuffer as unknown as new (
        n: number,
        o: { maxByteLength: number },
      ) => ArrayBuffer & { resize(n: number): void };
      const buf = new RAB(32, { maxByteLength: 64 });
      const d = new Float64Array(buf, 0, 4);
      buf.resize(8);
      return raw(d, [4], [1], 0);
    },
    ValueError,
  ],
];

describe('lying ndarrays are typed errors, and out stays untouched', () => {
  for (const [what, make, cls] of lies) {
    it(what, () => {
      // As an input of a call, a stencil and a gufunc, and as the out of a call.
      expect(() => add(make(), 1)).toThrow(cls);
      expect(() => lap(make())).toThrow(cls);
      expect(() => rowSum(make())).toThrow(cls);
      expect(() => add.reduce(make())).toThrow(cls);
      const out = zeros([4]);
      out.data.fill(5);
      const before = snapshot(out);
      expect(() => add(asarray([1, 2, 3, 4]), 1, { out, where: make() as never })).toThrow();
      expect(snapshot(out)).toEqual(before);
      expect(() => add(asarray([1, 2, 3, 4]), 1, { out: make() })).toThrow(cls);
    });
  }

  it('an out with a stride-0 axis is not writeable (NumPy: a broadcast view)', () => {
    const data = new Float64Array([7]);
    const out = ndarray(data, [4], [0], 0) as NdArray;
    expect(() => add(asarray([1, 2, 3, 4]), 1, { out })).toThrow(ValueError);
    expect(() => add(asarray([1, 2, 3, 4]), 1, { out })).toThrow(/stride 0 along axis 0/);
    expect(() => add.accumulate(asarray([1, 2, 3, 4]), { out })).toThrow(ValueError);
    expect(data[0]).toBe(7);
  });

  it('a getter-backed header is read when checked and never again', () => {
    let reads = 0;
    const liar = {
      data: new Float64Array([1, 2, 3, 4]),
      get shape() {
        reads++;
        // Honest while classified and checked (two reads); a lie on any later read.
        return reads <= 2 ? [4] : [1000];
      },
      stride: [1],
      offset: 0,
    } as unknown as NdArray;
    const r = add(liar, 1) as NdArray;
    expect(r.shape).toEqual([4]);
    expect(toArray(r)).toEqual([2, 3, 4, 5]);
    expect(reads).toBe(2);
  });

  it('property: a random lie is a typed error, and out is untouched', () => {
    const lie = fc.record({
      len: fc.integer({ min: 0, max: 8 }),
      shape: fc.array(
        fc.oneof(fc.integer({ min: -2, max: 12 }), fc.constant(Number.NaN), fc.constant(1.5)),
        {
          minLength: 1,
          maxLength: 3,
        },
      ),
      stride: fc.array(
        fc.oneof(fc.integer({ min: -4, max: 4 }), fc.constant(Number.NaN), fc.constant(0.5)),
        { minLength: 1, maxLength: 3 },
      ),
      offset: fc.oneof(
        fc.integer({ min: -3, max: 10 }),
        fc.constant(Number.NaN),
        fc.constant(0.25),
      ),
    });
    fc.assert(
      fc.property(lie, ({ len, shape, stride, offset }) => {
        const arr = raw(new Float64Array(len), shape, stride, offset);
        const out = zeros([2]);
        out.data.fill(9);
        const before = snapshot(out);
        let res: unknown;
        let err: unknown;
        try {
          res = add(arr, 0);
        } catch (e) {
          err = e;
        }
        // A consistent header may pass (then the call worked); any other is a typed error.
        if (err === undefined) {
          expect(Array.isArray((res as NdArray).shape)).toBe(true);
        } else {
          expect(err instanceof TypeError || err instanceof ValueError).toBe(true);
        }
        try {
          add(asarray([1, 2]), 1, { out, where: arr as never });
        } catch (e) {
          expect(e instanceof TypeError || e instanceof ValueError).toBe(true);
          expect(snapshot(out)).toEqual(before);
        }
      }),
      runs(200),
    );
  });
});

/** An options object whose every option is hostile in one of the ways a user object can be. */
function hostileOptions(kind: 'changing' | 'proxy' | 'throwing', real: Record<string, unknown>) {
  if (kind === 'throwing') {
    const o: Record<string, unknown> = {};
    for (const k of Object.keys(real)) {
      Object.defineProperty(o, k, {
        enumerable: true,
        get() {
          throw new Error(`no ${k} for you`);
        },
      });
    }
    return o;
  }
  const reads = new Map<string, number>();
  const later = (k: string): unknown => {
    // Later reads answer something that would break every check.
    if (k === 'out') return zeros([1000]);
    if (k === 'where') return 'where';
    if (k === 'dtype') return 'float128';
    return Symbol('x');
  };
  const answer = (k: string) => {
    const n = (reads.get(k) ?? 0) + 1;
    reads.set(k, n);
    return n === 1 ? real[k] : later(k);
  };
  if (kind === 'proxy') {
    return new Proxy(
      { ...real },
      { get: (_t, p) => (typeof p === 'string' ? answer(p) : undefined) },
    );
  }
  const o: Record<string, unknown> = {};
  for (const k of Object.keys(real))
    Object.defineProperty(o, k, { enumerable: true, get: () => answer(k) });
  return o;
}

describe('hostile option objects', () => {
  it('property: a changing getter, a Proxy or a throwing getter: a typed error or the honest result, out untouched on error', () => {
    const a = asarray([1, 2, 3, 4]);
    fc.assert(
      fc.property(
        fc.constantFrom('changing', 'proxy', 'throwing') as fc.Arbitrary<
          'changing' | 'proxy' | 'throwing'
        >,
        fc.subarray(['out', 'where', 'dtype'] as const, { minLength: 1 }),
        fc.constantFrom('call', 'reduce', 'accumulate', 'stencil', 'gufunc'),
        (kind, keys, method) => {
          const out = zeros(method === 'reduce' || method === 'gufunc' ? [] : [4]);
          out.data.fill(-3);
          const before = snapshot(out);
          const real: Record<string, unknown> = {};
          for (const k of keys) {
            if (k === 'out') real.out = out;
            if (k === 'where' && method === 'call') real.where = asarray([true, false, true, true]);
            if (k === 'dtype' && method !== 'stencil') real.dtype = 'float64';
          }
          const opts = hostileOptions(kind, real);
          const run = () => {
            if (method === 'call') return add(a, 1, opts);
            if (method === 'reduce') return add.reduce(a, opts);
            if (method === 'accumulate') return add.accumulate(a, opts);
            if (method === 'stencil') return lap(a, opts as never);
            return rowSum(a, opts as never);
          };
          let err: unknown;
          try {
            run();
          } catch (e) {
            err = e;
          }
          if (kind === 'throwing' && Object.keys(real).length > 0) {
            expect(err).toBeInstanceOf(TypeError);
          }
          if (err !== undefined) {
            expect(err instanceof TypeError || err instanceof ValueError).toBe(true);
            expect(snapshot(out)).toEqual(before);
          } else if (real.out) {
            // Honest result: written into the first-read out, nothing else.
            expect(snapshot(out)).not.toEqual(before);
          }
        },
      ),
      runs(150),
    );
  });
});
