/**
 * The naive stencil the property tests compare against: pad every input by the mode's
 * index rule (written here as repeated unfolding, independently of numbats' closed-form
 * formulas), then call the kernel as a plain JS function at every cell, its accessors
 * reading the padded copy. 'skip' cells whose neighborhood leaves the array keep the
 * output's previous value (`cval` in a fresh output).
 */
import type { Boundary, DType, Extent, NdArray } from '../../src/index.js';
import {
  castTo,
  dtypeOfArray,
  forEachIndex,
  fromValues,
  getAt,
  setAt,
  shapeSize,
  valuesOf,
} from '../../src/testing/index.js';

/** Where coordinate `j` of an axis of length `n` reads from; -1 for the fill value. */
export function unfold(mode: Boundary, j: number, n: number): number {
  if (j >= 0 && j < n) return j;
  switch (mode) {
    case 'nearest':
      return j < 0 ? 0 : n - 1;
    case 'wrap':
      while (j < 0) j += n;
      while (j >= n) j -= n;
      return j;
    case 'reflect': // d c b a | a b c d | d c b a: the edge element repeats
      while (j < 0 || j >= n) j = j < 0 ? -j - 1 : 2 * n - 1 - j;
      return j;
    case 'mirror': // d c b | a b c d | c b a: the edge element does not repeat
      if (n === 1) return 0;
      while (j < 0 || j >= n) j = j < 0 ? -j : 2 * (n - 1) - j;
      return j;
    default:
      return -1;
  }
}

/** A padded copy of `a`: `lo[d]` extra cells before and `hi[d]` after each axis, as a getter. */
function pad(
  a: NdArray,
  modes: readonly Boundary[],
  lo: readonly number[],
  hi: readonly number[],
  cval: number,
): (idx: readonly number[]) => number {
  // An empty input has no cell to compute (and nothing to pad from).
  if (shapeSize(a.shape) === 0) return () => Number.NaN;
  const shape = a.shape.map((n, d) => n + lo[d] + hi[d]);
  const fill = castTo(dtypeOfArray(a), cval);
  const vals: number[] = [];
  forEachIndex(shape, (idx) => {
    const src = idx.map((p, d) => unfold(modes[d], p - lo[d], a.shape[d]));
    vals.push(src.some((s) => s < 0) ? fill : getAt(a, src));
  });
  const padded = fromValues(vals, shape, 'float64');
  return (idx) => getAt(padded, idx);
}

export interface RefOptions {
  modes: readonly Boundary[];
  cval: number;
  /** `[lo, hi]` per axis: the padding, and the 'skip' border. */
  neighborhood: readonly Extent[];
  outDtype: DType;
  /** Previous output (its values stay in skipped cells). */
  out?: NdArray;
}

/**
 * The expected result of `kernel` over `args` (arrays for accessor parameters, numbers for
 * the others). Computed in float64 and stored like a TypedArray store: tests keep values
 * small enough that every dtype computes the same exact integers.
 */
export function refStencil(
  kernel: (...args: any[]) => number | boolean,
  args: readonly (NdArray | number)[],
  o: RefOptions,
): NdArray {
  const arrays = args.filter((x): x is NdArray => typeof x !== 'number');
  const shape = arrays[0].shape;
  const nd = shape.length;
  const lo = o.neighborhood.map(([l]) => Math.max(0, -l));
  const hi = o.neighborhood.map(([, h]) => Math.max(0, h));
  const padded = new Map(arrays.map((a) => [a, pad(a, o.modes, lo, hi, o.cval)]));
  const result = o.out
    ? fromValues(valuesOf(o.out), shape, o.outDtype)
    : fromValues(new Array(shapeSize(shape)).fill(castTo(o.outDtype, o.cval)), shape, o.outDtype);
  forEachIndex(shape, (idx) => {
    const skipped = idx.some(
      (i, d) =>
        o.modes[d] === 'skip' &&
        (i + o.neighborhood[d][0] < 0 || i + o.neighborhood[d][1] >= shape[d]),
    );
    if (skipped) return;
    const callArgs = args.map((x) => {
      if (typeof x === 'number') return x;
      const get = padded.get(x)!;
      return (...offs: number[]) => {
        if (offs.length !== nd) throw new Error(`accessor called with ${offs.length} offsets`);
        return get(idx.map((i, d) => i + offs[d] + lo[d]));
      };
    });
    setAt(result, idx, +kernel(...callArgs));
  });
  return result;
}
