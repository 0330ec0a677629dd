/**
 * Float reductions of reorderable ufuncs on wasm reduce each inner run in NumPy's pairwise
 * order, the very tree the JS loops use (cpu/loops.ts `pairwiseSource`): the two paths give
 * the same bits for every kernel, dtype, axis and view, and NumPy's own sums come out. The
 * order is restated here as a reference (`pairwiseRef`) and checked with a kernel that is
 * not symmetric, so any other order or argument order would show.
 */
import fc from 'fast-check';
import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import { currentHeap, type Heap } from '../../../src/core/heap.js';
import {
  type DType,
  full,
  type NdArray,
  type TypedArray,
  vectorize,
  zeros,
} from '../../../src/index.js';
import { lastPathOfAnyCall } from '../../../src/targets/wasm/map.js';
import { runs } from '../../support.js';
import { both, expectSame, onHeapCopy, useWasmForEveryCall } from './helpers.js';

useWasmForEveryCall();

const sum = vectorize((a: number, b: number) => a + b, { identity: 0, name: 'pwsum' });
const max = vectorize((a: number, b: number) => Math.max(a, b), {
  identity: 'reorderable',
  name: 'pwmax',
});
/** Declared reorderable but not symmetric: the tree and each K's argument order show. */
const skew = vectorize((a: number, b: number) => a - b * 0.5, {
  identity: 'reorderable',
  name: 'pwskew',
});
/** A branch (no SIMD lowering): the scalar wasm `pw`. */
const pick = vectorize(
  (a: number, b: number) => {
    if (b > a) return b * 0.75 + a * 0.25;
    return a;
  },
  { identity: 'reorderable', name: 'pwpick' },
);
type Ufunc = typeof sum;
const UFUNCS: Record<string, Ufunc> = { sum, max, skew, pick };

/** NumPy's pairwise_sum order over xs (n >= 1), with K's arguments as the JS loop has them. */
function pairwiseRef(xs: readonly number[], K: (a: number, b: number) => number): number {
  const n = xs.length;
  if (n < 8) {
    let r = xs[0];
    for (let i = 1; i < n; i++) r = K(r, xs[i]);
    return r;
  }
  if (n <= 128) {
    const p = xs.slice(0, 8);
    const m = n - (n % 8);
    for (let i = 8; i < m; i += 8) for (let j = 0; j < 8; j++) p[j] = K(p[j], xs[i + j]);
    let r = K(K(K(p[0], p[1]), K(p[2], p[3])), K(K(p[4], p[5]), K(p[6], p[7])));
    for (let i = m; i < n; i++) r = K(r, xs[i]);
    return r;
  }
  let h = n >> 1;
  h -= h % 8;
  return K(pairwiseRef(xs.slice(0, h), K), pairwiseRef(xs.slice(h), K));
}

/** Values with a wide spread of magnitudes (so the order shows in the bits) and, when
 * `special`, some NaN, ±Infinity and -0. */
function fill(data: TypedArray, seed: number, special: boolean): void {
  let s = seed | 0;
  for (let i = 0; i < data.length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) | 0;
    const r = (s >>> 8) % 1000;
    if (special && r < 4) data[i] = [Number.NaN, Infinity, -Infinity, -0][r];
    else data[i] = ((s % 100003) / 977) * 10 ** ((r % 9) - 3);
  }
}

/**
 * A view of `shape` on the heap: each dim stepped by ±1 or ±2 through a padded buffer, then
 * the dims permuted (transposed views), so runs are unit-stride, strided or reversed.
 */
function heapView(
  t: DType,
  shape: readonly number[],
  steps: readonly number[],
  perm: readonly number[],
  seed: number,
  special: boolean,
): NdArray {
  const nd = shape.length;
  const big = shape.map((d, i) => d * Math.abs(steps[i]));
  const base: number[] = new Array(nd);
  let size = 1;
  for (let i = nd - 1; i >= 0; i--) {
    base[i] = size;
    size *= big[i];
  }
  const pad = 3;
  const data = (currentHeap() as Heap).alloc(t, size + pad);
  fill(data, seed, special);
  let offset = pad;
  const stride = shape.map((d, i) => {
    const st = steps[i] * base[i];
    if (st < 0) offset += (d - 1) * -st;
    return st;
  });
  return ndarray(
    data,
    perm.map((p) => shape[p]),
    perm.map((p) => stride[p]),
    offset,
  ) as NdArray;
}

/** Lengths around every branch of the pairwise recursion, and a few long ones. */
const LONG = [7, 8, 9, 15, 16, 17, 127, 128, 129, 136, 255, 256, 257, 1000, 1031, 2050];

const viewArb = fc
  .integer({ min: 1, max: 3 })
  .chain((nd) =>
    fc.tuple(
      fc.constantFrom<DType>('float64', 'float32'),
      fc.constantFrom(...LONG),
      fc.integer({ min: 0, max: nd - 1 }),
      fc.array(fc.integer({ min: 1, max: 4 }), { minLength: nd, maxLength: nd }),
      fc.array(fc.constantFrom(1, -1, 2, -2), { minLength: nd, maxLength: nd }),
      fc.shuffledSubarray(
        Array.from({ length: nd }, (_, i) => i),
        { minLength: nd, maxLength: nd },
      ),
      fc.integer(),
      fc.boolean(),
    ),
  )
  .map(([t, long, at, short, steps, perm, seed, special]) => {
    const shape = short.slice();
    shape[at] = long;
    // A plain description (short counterexamples); the view is built in the property.
    return { t, shape, steps, perm, seed, special };
  });

describe('pairwise float reductions on wasm', () => {
  it('equal the JS loops bit for bit: every axis, kernel, view, initial value and dtype', () => {
    fc.assert(
      fc.property(
        viewArb,
        fc.constantFrom(...Object.keys(UFUNCS)),
        fc.constantFrom<number | undefined>(undefined, 0, -0, 1.5, Number.NaN, -Infinity),
        fc.constantFrom<DType | undefined>(undefined, 'float64'),
        (v, name, initial, dtype) => {
          const x = heapView(v.t, v.shape, v.steps, v.perm, v.seed, v.special);
          const u = UFUNCS[name];
          const nd = x.shape.length;
          const axes: (number | number[] | null)[] = [null];
          for (let a = 0; a < nd; a++) axes.push(a, a - nd);
          if (nd === 3) axes.push([0, 2]);
          for (const axis of axes) {
            const opts = { axis, initial, dtype };
            const [js, w, path] = both(() => u.reduce(x, opts) as NdArray | number);
            expectSame(w, js, `${u.name} axis ${JSON.stringify(axis)} initial ${initial}`);
            expect(path).toMatch(/^wasm/);
            // Over all axes, the one inner loop reduces a run into one element.
            if (axis === null && initial !== undefined) expect(path).toMatch(/pairwise/);
          }
        },
      ),
      runs(40),
    );
  });

  it('follow the documented pairwise tree (a kernel that is not symmetric)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<DType>('float64', 'float32'),
        fc.integer({ min: 1, max: 3 }),
        fc.oneof(fc.constantFrom(...LONG), fc.integer({ min: 1, max: 600 })),
        fc.integer(),
        fc.constantFrom('skew', 'pick'),
        (t, rows, n, seed, name) => {
          const u = UFUNCS[name];
          const a = zeros([rows, n], t);
          fill(a.data as TypedArray, seed, false);
          const x = onHeapCopy(a);
          const r = u.reduce(x, { axis: 1, initial: 1.5 }) as NdArray;
          // (A run of one element is no run: size-1 dims are dropped from the loop nest.)
          if (n > 1)
            expect(lastPathOfAnyCall()).toMatch(
              u === skew ? /^wasm: SIMD f(64x2|32x4) pairwise/ : /^wasm: scalar pairwise/,
            );
          const f32 = t === 'float32';
          const K =
            u === skew
              ? (p: number, q: number) =>
                  f32 ? Math.fround(p - Math.fround(q * 0.5)) : p - q * 0.5
              : (p: number, q: number) => {
                  if (q > p)
                    return f32
                      ? Math.fround(Math.fround(q * 0.75) + Math.fround(p * 0.25))
                      : q * 0.75 + p * 0.25;
                  return p;
                };
          for (let i = 0; i < rows; i++) {
            const row = Array.from((a.data as TypedArray).slice(i * n, (i + 1) * n));
            // out = K(initial, pw(row)), the JS loop's `acc = K(acc, pw(run))`.
            const want = K(1.5, pairwiseRef(row, K));
            expect(Object.is(r.get(i), want), `row ${i}: ${r.get(i)} vs ${want}`).toBe(true);
          }
        },
      ),
      runs(60),
    );
  });

  it('give NumPy’s sums, on the SIMD and the strided paths', () => {
    const f32 = onHeapCopy(full([1_000_000], 0.1, 'float32'));
    expect(sum.reduce(f32)).toBe(100000.0078125);
    expect(lastPathOfAnyCall()).toMatch(/^wasm: SIMD f32x4 pairwise/);
    expect(sum.reduce(onHeapCopy(full([1_000_000], 0.1)))).toBe(100000.00000000003);
    expect(lastPathOfAnyCall()).toMatch(/^wasm: SIMD f64x2 pairwise/);
    // NumPy 2: np.add.reduce over x[i] = ((i * 7919) % 101) / 7 - 3 (float64), as in
    // test/hostile/sums.test.ts.
    const NUMPY_SUMS: [number, number][] = [
      [7, 15.428571428571427],
      [8, 24.57142857142857],
      [9, 25.142857142857142],
      [127, 512.5714285714286],
      [128, 517.5714285714286],
      [129, 528.4285714285713],
      [1000, 4132.428571428571],
      [4097, 16968.42857142857],
    ];
    for (const [n, want] of NUMPY_SUMS) {
      const x = zeros([n]);
      for (let i = 0; i < n; i++) x.data[i] = ((i * 7919) % 101) / 7 - 3;
      expect(sum.reduce(onHeapCopy(x)), `n = ${n}`).toBe(want);
      expect(lastPathOfAnyCall()).toMatch(/^wasm: SIMD f64x2 pairwise/);
      // The same run with stride 3 (a column of a C array), and reversed.
      const m = zeros([n, 3]);
      for (let i = 0; i < n; i++) m.data[3 * i + 1] = x.data[i];
      const col = onHeapCopy(m).transpose(1, 0);
      expect((sum.reduce(col, { axis: 1 }) as NdArray).get(1), `n = ${n}, strided`).toBe(want);
      expect(lastPathOfAnyCall()).toMatch(/^wasm: scalar pairwise/);
    }
  });

  it('converts each element of a run of another dtype (dtype: float64) as the JS loop does', () => {
    for (const t of ['int32', 'uint8', 'int16', 'float32'] as DType[]) {
      const a = zeros([3, 1001], t);
      fill(a.data as TypedArray, 7, false);
      const x = onHeapCopy(a);
      for (const axis of [1, null]) {
        const [js, w, path] = both(() => sum.reduce(x, { axis, dtype: 'float64' }) as NdArray);
        expectSame(w, js, `${t} axis ${axis}`);
        // The run is not the kernel's dtype: the scalar `pw`, loading and converting.
        expect(path).toMatch(/^wasm: scalar pairwise/);
      }
    }
  });

  it('keeps NaN, -0 and Infinity as the JS loop does', () => {
    for (const [vals, initial] of [
      [[-0, -0, -0, -0, -0, -0, -0, -0, -0], -0],
      [[1, Infinity, 2, -Infinity, 3, 4, 5, 6, 7, 8], 0],
      [Array.from({ length: 200 }, (_, i) => (i === 150 ? Number.NaN : i)), 0],
      [Array.from({ length: 300 }, () => -0), undefined],
    ] as [number[], number | undefined][]) {
      for (const t of ['float64', 'float32'] as DType[]) {
        const a = zeros([2, vals.length], t);
        a.data.set(vals);
        a.data.set(vals, vals.length);
        const x = onHeapCopy(a);
        for (const u of [sum, max]) {
          const [js, w, path] = both(() => u.reduce(x, { axis: 1, initial }) as NdArray);
          expectSame(w, js, `${u.name} ${t} [${vals.slice(0, 10)}]`);
          expect(path).toMatch(/pairwise/);
        }
      }
    }
  });
});
