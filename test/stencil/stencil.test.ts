/**
 * Stencil semantics one by one: 'skip' borders and cval, inferred and declared
 * neighborhoods, typing (dtypes, promotion, integer wrap, weak scalars), `out` (overlap,
 * dtype), computed offsets, 0-d and empty arrays, `inspect`.
 */
import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import {
  asarray,
  dtypeOf,
  full,
  type NdArray,
  type Rel,
  stencil,
  toArray,
  toNested,
  zeros,
} from '../../src/index.js';
import { expectError } from '../support.js';

const lapKernel = (u: Rel) => u(-1, 0) + u(1, 0) + u(0, -1) + u(0, 1) - 4 * u(0, 0);
const grid = () =>
  asarray([
    [1, 2, 3, 4],
    [5, 6, 7, 8],
    [9, 10, 11, 13],
  ]);

describe("'skip' (the default)", () => {
  it('leaves the border at 0, or cval, or untouched in a given out', () => {
    const lap = stencil(lapKernel);
    expect(toNested(lap(grid()))).toEqual([
      [0, 0, 0, 0],
      [0, 0, 0, 0],
      [0, 0, 0, 0],
    ]);
    const g = grid();
    g.set(1, 2, 17);
    expect(toNested(lap(g))).toEqual([
      [0, 0, 0, 0],
      [0, 10, -40, 0],
      [0, 0, 0, 0],
    ]);
    expect(toNested(stencil(lapKernel, { cval: -1 })(g))).toEqual([
      [-1, -1, -1, -1],
      [-1, 10, -40, -1],
      [-1, -1, -1, -1],
    ]);
    const out = full([3, 4], 7);
    expect(lap(g, { out, cval: 99 })).toBe(out);
    expect(toNested(out)).toEqual([
      [7, 7, 7, 7],
      [7, 10, -40, 7],
      [7, 7, 7, 7],
    ]);
  });

  it('takes the border width from the offsets used: u(1) + u(2) has no left border', () => {
    const f = stencil((u: Rel) => u(1) + u(2), { cval: -1 });
    expect(f.neighborhood).toEqual([[1, 2]]);
    expect(toArray(f(asarray([1, 2, 3, 4, 5])))).toEqual([5, 7, 9, -1, -1]);
    const g = stencil((u: Rel) => u(-3, 0) + u(0, 2));
    expect(g.neighborhood).toEqual([
      [-3, 0],
      [0, 2],
    ]);
    expect(g.ndim).toBe(2);
  });

  it('an axis shorter than the neighborhood computes nothing', () => {
    expect(toNested(stencil(lapKernel, { cval: 5 })(zeros([2, 6])))).toEqual([
      [5, 5, 5, 5, 5, 5],
      [5, 5, 5, 5, 5, 5],
    ]);
  });

  it('a declared neighborhood sets the border, even beyond the offsets used', () => {
    const f = stencil((u: Rel) => u(0), { neighborhood: [[-2, 1]], cval: -1 });
    expect(toArray(f(asarray([1, 2, 3, 4, 5])))).toEqual([-1, -1, 3, 4, -1]);
  });
});

describe('types', () => {
  it('the output has the first input’s dtype, or `dtype`; the kernel computes in the input dtypes', () => {
    const u8 = asarray(new Uint8Array([200, 100, 250, 10]));
    const sum = stencil((u: Rel) => u(0) + u(1), { boundary: 'wrap' });
    const r = sum(u8);
    expect(dtypeOf(r)).toBe('uint8');
    expect(toArray(r)).toEqual([44, 94, 4, 210]); // uint8 arithmetic wraps like NumPy's
    const f = stencil((u: Rel) => u(0) + u(1), { boundary: 'wrap', dtype: 'float32' });
    const r32 = f(u8);
    expect(dtypeOf(r32)).toBe('float32');
    expect(toArray(r32)).toEqual([44, 94, 4, 210]);
    // Division is true division: float64 even for uint8 inputs.
    const half = stencil((u: Rel) => (u(0) + u(1)) / 2, { boundary: 'wrap', dtype: 'float64' });
    expect(toArray(half(u8))).toEqual([22, 47, 2, 105]);
  });

  it('integer sums, differences and products wrap exactly (deferred wraps are exact)', () => {
    const vals = [250, 7, 128, 255, 3];
    const a = asarray(new Uint8Array(vals));
    const f = stencil((u: Rel) => u(-1) + u(0) * 3 - u(1) + u(1) + u(1) - 200, {
      boundary: 'nearest',
    });
    const at = (i: number) => vals[Math.min(4, Math.max(0, i))];
    const expected = vals.map(
      (_, i) => (((at(i - 1) + at(i) * 3 - at(i + 1) + 2 * at(i + 1) - 200) % 256) + 256) % 256,
    );
    expect(toArray(f(a))).toEqual(expected);
    const i8 = asarray(new Int8Array([100, 100, -100]));
    const g = stencil((u: Rel) => u(0) + u(0) - u(1), { boundary: 'wrap' });
    expect(toArray(g(i8))).toEqual([100, 44, -44]);
  });

  it('inputs of several dtypes promote (NumPy), results store into the output dtype', () => {
    const a = asarray(new Int8Array([100, -100, 5]));
    const b = asarray(new Uint8Array([200, 200, 255]));
    const f = stencil((x: Rel, y: Rel) => x(0) + y(0) + 0 * x(1), { boundary: 'wrap' });
    // int8 + uint8 -> int16 (the kernel's type is the result's, as in Numba): 300, 100, 260.
    const r0 = f(a, b);
    expect(dtypeOf(r0)).toBe('int16');
    expect(toArray(r0)).toEqual([300, 100, 260]);
    // An int8 `out` stores them like a TypedArray store.
    expect(toArray(f(a, b, { out: zeros([3], 'int8') }))).toEqual([44, 100, 4]);
    const f8 = stencil((x: Rel, y: Rel) => x(0) + y(0) + 0 * x(1), {
      boundary: 'wrap',
      dtype: 'int8',
    });
    expect(toArray(f8(a, b))).toEqual([44, 100, 4]);
    const m = stencil((x: Rel, y: Rel) => x(0) * y(0));
    expect(dtypeOf(m(asarray(new Float32Array([2])), asarray([3])))).toBe('float64');
    // A return of literals only (Life's `? 1 : 0`) keeps the first input's dtype.
    const lit = stencil((x: Rel) => (x(0) > 1 ? 1 : 0));
    expect(dtypeOf(lit(asarray(new Uint8Array([1, 2]))))).toBe('uint8');
    expect(dtypeOf(lit(asarray(new Float32Array([1, 2]))))).toBe('float32');
    const g = stencil((x: Rel, y: Rel) => x(0) * y(0), { dtype: 'float64' });
    const r = g(asarray(new Float32Array([0.1])), asarray(new Float32Array([3])));
    expect(toArray(r)[0]).toBe(Math.fround(Math.fround(0.1) * 3));
  });

  it('bool inputs count as 0/1, a bool output stores nonzero as 1', () => {
    const b = asarray([true, false, true, true]);
    const n = stencil((u: Rel) => u(-1) + u(0) + u(1), { boundary: 'wrap', dtype: 'int32' });
    expect(toArray(n(b))).toEqual([2, 2, 2, 3]);
    const sum = stencil((u: Rel) => u(-1) + u(1) - 1, { boundary: 'constant' });
    // bool + bool is int32 arithmetic, and the result has that type.
    expect(dtypeOf(sum(b))).toBe('int32');
    expect(toArray(sum(b))).toEqual([-1, 1, 0, 0]);
    const any = stencil((u: Rel) => u(-1) + u(1) - 1, { boundary: 'constant', dtype: 'bool' });
    const r = any(b);
    expect(dtypeOf(r)).toBe('bool');
    expect(toArray(r)).toEqual([1, 1, 0, 0]);
  });

  it('extra arguments are numbers that act like literals (weak): an integer keeps the array dtype', () => {
    const f = stencil((u: Rel, k: number) => k * u(0));
    const a = asarray(new Uint8Array([200, 3]));
    expect(toArray(f(a, 2))).toEqual([144, 6]); // uint8 * 2 wraps
    const half = f(a, 0.5); // fractional: float64, and the result is float64 (Numba)
    expect(dtypeOf(half)).toBe('float64');
    expect(toArray(half)).toEqual([100, 1.5]);
    const g = stencil((u: Rel, lo: number, hi: number) => Math.min(hi, Math.max(lo, u(0))));
    expect(toArray(g(asarray([-3, 0.5, 9]), 0, 1))).toEqual([0, 0.5, 1]);
    expect(
      toArray(stencil((u: Rel, on: number) => (on ? u(0) : -u(0)))(asarray([2]), false)),
    ).toEqual([-2]);
  });
});

describe('computed offsets', () => {
  it('need a declared neighborhood, and are checked against it at run time', () => {
    const shift = stencil((u: Rel, k: number) => u(k), {
      boundary: 'wrap',
      neighborhood: [[-2, 2]],
    });
    const a = asarray([1, 2, 3, 4, 5]);
    expect(toArray(shift(a, 1))).toEqual([2, 3, 4, 5, 1]);
    expect(toArray(shift(a, -2))).toEqual([4, 5, 1, 2, 3]);
    expectError(
      () => shift(a, 3),
      RangeError,
      'stencil: computed offset 3 on axis 0 is outside the declared neighborhood [-2, 2]',
    );
    expectError(() => shift(a, 0.5), RangeError, /computed offset 0.5 on axis 0/);
  });

  it('a loop over offsets: a moving sum with every mode', () => {
    const sum5 = (u: Rel) => {
      let s = 0;
      for (let d = -2; d <= 2; d++) s += u(d, 0);
      return s;
    };
    const a = asarray([[1], [2], [3], [4]]);
    const want: Record<string, number[]> = {
      constant: [6, 10, 10, 9],
      nearest: [8, 11, 14, 17],
      wrap: [13, 14, 11, 12],
      skip: [0, 0, 0, 0],
    };
    for (const [mode, w] of Object.entries(want)) {
      const f = stencil(sum5, {
        boundary: mode as 'constant',
        neighborhood: [
          [-2, 2],
          [0, 0],
        ],
      });
      expect(toArray(f(a)), mode).toEqual(w);
    }
  });

  it('the last read stays inside a declared neighborhood in every mode', () => {
    const f = stencil((u: Rel, k: number) => u(k, 0), {
      boundary: ['constant', 'reflect'],
      neighborhood: [
        [0, 1],
        [0, 0],
      ],
    });
    expectError(() => f(zeros([3, 3]), -1), RangeError, /offset -1 on axis 0/);
  });
});

describe('out', () => {
  it('may be the input itself, or overlap it: the input is copied first', () => {
    const blur = stencil((u: Rel) => u(-1) + u(0) + u(1), { boundary: 'reflect' });
    const a = asarray([1, 2, 3, 4, 5, 6]);
    const want = toArray(blur(a));
    expect(blur(a, { out: a })).toBe(a);
    expect(toArray(a)).toEqual(want);
    // out is the input shifted by one element in the same buffer.
    const buf = new Float64Array([0, 1, 2, 3, 4, 5, 6]);
    const input = ndarray(buf, [6], [1], 1) as NdArray;
    const expected = toArray(blur(asarray(toArray(input))));
    blur(input, { out: ndarray(buf, [6], [1], 0) as NdArray });
    expect(Array.from(buf.subarray(0, 6))).toEqual(expected);
  });

  it('any strides: a transposed, reversed out', () => {
    const lap = stencil(lapKernel, { boundary: 'wrap' });
    const g = grid();
    const want = toNested(lap(g));
    const out = zeros([4, 3]).transpose(1, 0).step(-1, 1) as NdArray;
    lap(g, { out });
    expect(toNested(out)).toEqual(want);
  });
});

describe('shapes', () => {
  it('0-d and empty arrays', () => {
    const twice = stencil((u: Rel) => 2 * u());
    const z = twice(ndarray(new Float64Array([21]), [], [], 0) as NdArray);
    expect(z.shape).toEqual([]);
    expect(toArray(z)).toEqual([42]);
    const lap = stencil(lapKernel, { boundary: 'wrap' });
    expect(lap(zeros([0, 3])).shape).toEqual([0, 3]);
  });

  it('3-D and 4-D', () => {
    const vol = zeros([3, 4, 5]);
    vol.set(1, 2, 3, 1);
    const n6 = stencil(
      (u: Rel) => u(-1, 0, 0) + u(1, 0, 0) + u(0, -1, 0) + u(0, 1, 0) + u(0, 0, -1) + u(0, 0, 1),
      { boundary: 'constant' },
    );
    const r = n6(vol);
    const ones: number[][] = [];
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 4; j++)
        for (let k = 0; k < 5; k++) if (r.get(i, j, k)) ones.push([i, j, k]);
    expect(ones).toEqual([
      [0, 2, 3],
      [1, 1, 3],
      [1, 2, 2],
      [1, 2, 4],
      [1, 3, 3],
      [2, 2, 3],
    ]);
    const h = zeros([2, 2, 2, 3]);
    h.set(0, 0, 0, 0, 5);
    const back = stencil((u: Rel) => u(1, 1, 1, 1), { boundary: 'wrap' })(h);
    expect(back.get(1, 1, 1, 2)).toBe(5);
  });
});

describe('inspect', () => {
  it('shows the generated source; the interior loop has no bounds logic', () => {
    const lap = stencil(lapKernel, { boundary: 'reflect', name: 'lap' });
    const before = lap.inspect();
    expect(before).toContain('lap(float64) -> float64; 2-d, boundary [reflect, reflect]');
    const hot = before.split('\n').find((l) => l.includes('const p='));
    expect(hot).toBeDefined();
    expect(hot).toMatch(/d0\[p\+k0_\d\]/);
    expect(hot).not.toMatch(/B\.|\?|%/);
    expect(before).toContain('B.reflect(');
    lap(zeros([3, 4], 'int16').transpose(1, 0) as NdArray);
    const after = lap.inspect();
    expect(after).toContain('lap(float64) -> float64; 2-d');
    expect(after).toContain(
      'lap(int16) -> int16; 2-d, boundary [reflect, reflect] per axis, loop levels over axes [1, 0]',
    );
  });
});
