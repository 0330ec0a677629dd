/**
 * Golden values from scipy.ndimage (scipy 1.17), computed with python3 and pasted here:
 * `correlate(x, w, mode=…, cval=-1)`, `correlate1d` with offsets beyond the axis, length-1
 * axes, and `uniform_filter` with one mode per axis.
 */
import { describe, expect, it } from 'vitest';
import { asarray, type Boundary, type Rel, stencil, toNested } from '../../src/index.js';

const x = [
  [1, 2, 3, 4],
  [5, 6, 7, 8],
  [9, 10, 11, 12],
];

describe('stencil matches scipy.ndimage', () => {
  // w = [[0, 1, 0], [2, 0, 3], [0, 4, 100]] as correlation weights.
  const golden: Record<Exclude<Boundary, 'skip'>, number[][]> = {
    constant: [
      [623, 734, 843, -66],
      [1053, 1173, 1283, -37],
      [-71, -47, -41, -77],
    ],
    nearest: [
      [629, 737, 847, 854],
      [1065, 1173, 1283, 1290],
      [1089, 1197, 1307, 1314],
    ],
    reflect: [
      [629, 737, 847, 854],
      [1065, 1173, 1283, 1290],
      [1089, 1197, 1307, 1314],
    ],
    mirror: [
      [635, 741, 851, 755],
      [1067, 1173, 1283, 1187],
      [675, 781, 891, 795],
    ],
    wrap: [
      [643, 745, 855, 553],
      [1071, 1173, 1283, 981],
      [263, 365, 475, 173],
    ],
  };
  for (const [mode, expected] of Object.entries(golden)) {
    it(`correlate, mode '${mode}'`, () => {
      const f = stencil(
        (u: Rel) => u(-1, 0) + 2 * u(0, -1) + 3 * u(0, 1) + 4 * u(1, 0) + 100 * u(1, 1),
        { boundary: mode as Boundary, cval: -1 },
      );
      expect(toNested(f(asarray(x)))).toEqual(expected);
    });
  }

  it('offsets larger than the axis repeat the pattern (correlate1d, length 3)', () => {
    const expected: Record<string, number[]> = {
      constant: [77, 77, 77],
      nearest: [31, 31, 31],
      reflect: [22, 13, 13],
      mirror: [12, 21, 32],
      wrap: [22, 33, 11],
    };
    for (const [mode, want] of Object.entries(expected)) {
      const f = stencil((u: Rel) => u(-5) + 10 * u(4), { boundary: mode as Boundary, cval: 7 });
      expect(toNested(f(asarray([1, 2, 3]))), mode).toEqual(want);
    }
  });

  it('a length-1 axis', () => {
    const z = asarray([[3], [5]]);
    for (const mode of ['nearest', 'reflect', 'mirror', 'wrap'] as const) {
      const f = stencil((u: Rel) => u(0, -1) + 10 * u(0, 1), { boundary: mode });
      expect(toNested(f(z)), mode).toEqual([[33], [55]]);
    }
    const c = stencil((u: Rel) => u(0, -1) + 10 * u(0, 1), { boundary: 'constant', cval: -2 });
    expect(toNested(c(z))).toEqual([[-22], [-22]]);
  });

  it('one mode per axis (uniform_filter, size 3, times 9)', () => {
    const box = (u: Rel) =>
      u(-1, -1) + u(-1, 0) + u(-1, 1) + u(0, -1) + u(0, 0) + u(0, 1) + u(1, -1) + u(1, 0) + u(1, 1);
    const a = stencil(box, { boundary: ['wrap', 'reflect'] });
    expect(toNested(a(asarray(x)))).toEqual([
      [48, 54, 63, 69],
      [48, 54, 63, 69],
      [48, 54, 63, 69],
    ]);
    const b = stencil(box, { boundary: ['mirror', 'constant'], cval: -1 });
    expect(toNested(b(asarray(x)))).toEqual([
      [22, 42, 51, 34],
      [30, 54, 63, 42],
      [38, 66, 75, 50],
    ]);
  });
});
