/**
 * fast-check arbitraries for property tests of array code: dtypes, shapes (size-0 and
 * size-1 dims included), element values per dtype, ndarrays whose memory layout is a
 * random *view* (transposed, step-sliced, reversed, broadcast with stride 0, at an offset),
 * tuples of broadcast-compatible shapes, and axis arguments.
 *
 * Generated ndarrays carry fast-check's `toStringMethod` (counterexamples print as readable
 * views) and, with `clone: true`, its `cloneMethod`.
 */
import fc from 'fast-check';
import ndarray from 'ndarray';
import type { NdArray } from '../core/array.js';
import { DTYPES, type DType, INFO, STORAGE, type TypedArray } from '../core/dtypes.js';
import { castTo, dtypeOfArray, elementOffset, forEachIndex, toNestedValues } from './nd.js';

/** Options of {@link dtypeArb}. */
export interface DTypeOptions {
  /** Only these dtypes (default: all of `DTYPES`). */
  only?: readonly DType[];
  /** Leave these out. */
  exclude?: readonly DType[];
}

/** Any of numbats' 10 dtypes (`DTYPES`), optionally restricted. */
export function dtypeArb(options: DTypeOptions = {}): fc.Arbitrary<DType> {
  const list = (options.only ?? DTYPES).filter((d) => !options.exclude?.includes(d));
  if (list.length === 0) throw new RangeError('dtypeArb: no dtype left to choose from');
  return fc.constantFrom(...list);
}

/** Options of {@link shapeArb} (and of the shapes other arbitraries make). */
export interface ShapeOptions {
  /** Fewest dims (default 0: 0-d shapes included). */
  minDims?: number;
  /** Most dims (default 3). */
  maxDims?: number;
  /** Smallest extent of a dim (default 0: size-0 arrays included). */
  minSide?: number;
  /** Largest extent of a dim (default 4). */
  maxSide?: number;
}

/** An extent: 0 and 1 often enough to matter, otherwise anything up to `maxSide`. */
function sideArb(minSide: number, maxSide: number): fc.Arbitrary<number> {
  const parts: fc.WeightedArbitrary<number>[] = [];
  if (minSide <= 0 && maxSide >= 0) parts.push({ arbitrary: fc.constant(0), weight: 1 });
  if (minSide <= 1 && maxSide >= 1) parts.push({ arbitrary: fc.constant(1), weight: 2 });
  const lo = Math.max(minSide, 2);
  if (lo <= maxSide) parts.push({ arbitrary: fc.integer({ min: lo, max: maxSide }), weight: 6 });
  if (parts.length === 0) throw new RangeError('shapeArb: minSide > maxSide');
  return fc.oneof(...parts);
}

/**
 * Array shapes: `minDims..maxDims` dims (default 0..3), each `minSide..maxSide` long
 * (default 0..4), with 0 and 1 extents weighted up so size-0 and broadcastable dims appear.
 */
export function shapeArb(options: ShapeOptions = {}): fc.Arbitrary<number[]> {
  const { minDims = 0, maxDims = 3, minSide = 0, maxSide = 4 } = options;
  if (minDims > maxDims) throw new RangeError('shapeArb: minDims > maxDims');
  // Choose the rank first (fc.array alone leans heavily towards short arrays); 0-d shapes
  // are a corner case, so they get a third of the weight of the other ranks.
  const side = sideArb(minSide, maxSide);
  const ranks: fc.WeightedArbitrary<number>[] = [];
  for (let n = minDims; n <= maxDims; n++) {
    ranks.push({ arbitrary: fc.constant(n), weight: n === 0 ? 1 : 3 });
  }
  return fc.oneof(...ranks).chain((n) => fc.array(side, { minLength: n, maxLength: n }));
}

/** Options of {@link valueArb}: which element values to generate. */
export interface ValueOptions {
  /** Include NaN (floats only). */
  nan?: boolean;
  /** Include ±Infinity (floats only). */
  infinity?: boolean;
  /** Include -0 (floats only; otherwise -0 is replaced by 0). */
  negativeZero?: boolean;
  /** Shorthand for `nan`, `infinity` and `negativeZero` together. */
  special?: boolean;
  /**
   * Only small integers (-8..8, clipped to the dtype's range), so that sums and products of
   * a few elements are exact in every dtype and independent of evaluation order.
   */
  small?: boolean;
  /** Use this arbitrary for the values instead (they are still cast to the dtype). */
  values?: fc.Arbitrary<number>;
}

/**
 * Element values appropriate to `dtype`: integers within its range (small values, the
 * extremes, and the full range), 0/1 for bool, and for floats small integers, quarters
 * (ties for rounding), moderate and huge magnitudes of both signs, optionally NaN,
 * ±Infinity and -0. float32 values are exactly representable in float32.
 */
export function valueArb(dtype: DType, options: ValueOptions = {}): fc.Arbitrary<number> {
  if (options.values) return options.values.map((v) => castTo(dtype, v));
  const info = INFO[dtype];
  if (dtype === 'bool') return fc.constantFrom(0, 1);
  const smallLo = Math.max(info.min, -8);
  const smallHi = Math.min(info.max, 8);
  const small = fc.integer({ min: smallLo, max: smallHi });
  if (options.small) return small;
  if (info.kind !== 'f') {
    return fc.oneof(
      { arbitrary: small, weight: 4 },
      { arbitrary: fc.constantFrom(info.min, info.max, info.min + 1, info.max - 1), weight: 1 },
      { arbitrary: fc.integer({ min: info.min, max: info.max }), weight: 3 },
    );
  }
  const f32 = dtype === 'float32';
  const nan = options.nan ?? options.special ?? false;
  const inf = options.infinity ?? options.special ?? false;
  const negZero = options.negativeZero ?? options.special ?? false;
  const moderate = f32
    ? fc.float({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true })
    : fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true });
  const any = f32
    ? fc.float({ noNaN: true, noDefaultInfinity: true })
    : fc.double({ noNaN: true, noDefaultInfinity: true });
  const parts: fc.WeightedArbitrary<number>[] = [
    { arbitrary: small, weight: 3 },
    { arbitrary: fc.integer({ min: -40, max: 40 }).map((k) => k / 4), weight: 2 },
    { arbitrary: moderate, weight: 3 },
    { arbitrary: any, weight: 1 },
  ];
  const specials: number[] = [];
  if (nan) specials.push(Number.NaN);
  if (inf) specials.push(Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY);
  if (negZero) specials.push(-0);
  if (specials.length) parts.push({ arbitrary: fc.constantFrom(...specials), weight: 1 });
  const arb = fc.oneof(...parts);
  return negZero ? arb : arb.map((v) => (Object.is(v, -0) ? 0 : v));
}

/** Which kinds of views {@link ndarrayArb} may make. Every kind is on by default. */
export interface ViewOptions {
  /** Permute the dims of the underlying buffer (transposes, Fortran order). */
  transpose?: boolean;
  /** Step slices (`.step(2)`, `.lo(k)`, `.hi(k)`) that skip elements. */
  step?: boolean;
  /** Negative steps (reversed dims). */
  negative?: boolean;
  /** Broadcast dims with stride 0 (every element of the dim shares memory). */
  broadcast?: boolean;
  /** A nonzero start offset into the buffer. */
  offset?: boolean;
}

/** Options of {@link ndarrayArb}. */
export interface NdarrayOptions extends ValueOptions, ShapeOptions {
  /** A dtype, a list to choose from, or an arbitrary of dtypes (default: any dtype). */
  dtype?: DType | readonly DType[] | fc.Arbitrary<DType>;
  /** A fixed shape, or an arbitrary of shapes (default: {@link shapeArb} with the shape options). */
  shape?: readonly number[] | fc.Arbitrary<readonly number[]>;
  /** `false` gives plain C-contiguous arrays; an object picks view kinds (default: all). */
  views?: boolean | ViewOptions;
  /**
   * The array will be written to (an `out` argument): no stride-0 broadcast dims, so every
   * element has its own memory, as NumPy requires of outputs.
   */
  writable?: boolean;
  /**
   * Give the arrays fast-check's `cloneMethod`, so that every run (and every replay while
   * shrinking) gets a fresh copy of the data even when a test writes into it. Off by
   * default: fast-check 4.10 loses the non-cloneable values that follow a cloneable one in a
   * tuple when it clones the tuple, so only use it where the array is the last (or only)
   * generated value. Without it, a test that writes into a generated array should compute
   * its expectations from a copy taken first.
   */
  clone?: boolean;
}

/** How one dim of a generated view is laid out in its buffer. */
interface DimPlan {
  /** Slice step (negative: reversed). */
  readonly step: number;
  /** Elements skipped before the slice (`.lo`). */
  readonly lo: number;
  /** Elements after the slice (`.hi` trims them). */
  readonly pad: number;
  /** Stride 0: one buffer element seen `n` times. */
  readonly broadcast: boolean;
}

/** The recipe of a generated view. */
interface ViewPlan {
  /** `perm[j]` is the view dim that buffer dim `j` holds. */
  readonly perm: readonly number[];
  readonly dims: readonly DimPlan[];
  /** Unused buffer elements before and after the array. */
  readonly pre: number;
  readonly post: number;
}

function viewPlanArb(
  shape: readonly number[],
  views: ViewOptions | false,
  writable: boolean,
): fc.Arbitrary<ViewPlan> {
  const nd = shape.length;
  const v = views === false ? {} : views;
  const on = (k: keyof ViewOptions) => views !== false && v[k] !== false;
  const steps: fc.WeightedArbitrary<number>[] = [{ arbitrary: fc.constant(1), weight: 4 }];
  if (on('step')) steps.push({ arbitrary: fc.constantFrom(2, 3), weight: 2 });
  if (on('negative')) steps.push({ arbitrary: fc.constant(-1), weight: 2 });
  if (on('step') && on('negative')) steps.push({ arbitrary: fc.constantFrom(-2, -3), weight: 1 });
  const slack = on('step') ? fc.integer({ min: 0, max: 2 }) : fc.constant(0);
  const canBroadcast = on('broadcast') && !writable;
  const dim: fc.Arbitrary<DimPlan> = fc.record({
    step: fc.oneof(...steps),
    lo: slack,
    pad: slack,
    broadcast: canBroadcast
      ? fc.oneof(
          { arbitrary: fc.constant(false), weight: 5 },
          { arbitrary: fc.constant(true), weight: 1 },
        )
      : fc.constant(false),
  });
  const identity = Array.from({ length: nd }, (_, i) => i);
  const perm = on('transpose')
    ? fc.shuffledSubarray(identity, { minLength: nd, maxLength: nd })
    : fc.constant(identity);
  const edge = on('offset') ? fc.integer({ min: 0, max: 3 }) : fc.constant(0);
  return fc.record({
    perm,
    dims: fc.tuple(...shape.map(() => dim)),
    pre: edge,
    post: edge,
  });
}

/** Builds the view a plan describes over a fresh buffer, with `values` in its elements (C order). */
function buildView(
  dtype: DType,
  shape: readonly number[],
  plan: ViewPlan,
  values: readonly number[],
  filler: number,
  clone: boolean,
): NdArray {
  const nd = shape.length;
  const { perm, dims, pre, post } = plan;
  // Extent of each view dim in the buffer: the slice plus what `.lo`/`.hi` trim.
  const span = (d: number) =>
    dims[d].broadcast || shape[d] === 0 ? 0 : (shape[d] - 1) * Math.abs(dims[d].step) + 1;
  const ext = shape.map((_, d) => (dims[d].broadcast ? 1 : dims[d].lo + span(d) + dims[d].pad));
  const baseShape = perm.map((d) => ext[d]);
  let size = 1;
  for (const e of baseShape) size *= e;
  const data = new STORAGE[dtype](pre + size + post);
  data.fill(castTo(dtype, filler));
  const cstride = new Array<number>(nd);
  let s = 1;
  for (let j = nd - 1; j >= 0; j--) {
    cstride[j] = s;
    s *= baseShape[j];
  }
  let view = ndarray(data, baseShape, cstride, pre) as NdArray;
  if (nd > 0) {
    const inv = new Array<number>(nd);
    perm.forEach((d, j) => {
      inv[d] = j;
    });
    view = view.transpose(...inv) as NdArray;
    view = view.hi(
      ...shape.map((_, d) => (dims[d].broadcast ? 1 : dims[d].lo + span(d))),
    ) as NdArray;
    view = view.lo(...dims.map((p) => (p.broadcast ? 0 : p.lo))) as NdArray;
    view = view.step(...dims.map((p) => (p.broadcast ? 1 : p.step))) as NdArray;
  }
  // Write the values through the core view (broadcast dims still extent 1).
  let k = 0;
  forEachIndex(view.shape, (idx) => {
    (data as TypedArray)[elementOffset(view, idx)] = castTo(dtype, values[k++]);
  });
  if (dims.some((p) => p.broadcast)) {
    view = ndarray(
      data,
      shape.slice(),
      view.stride.map((st, d) => (dims[d].broadcast ? 0 : st)),
      view.offset,
    ) as NdArray;
  }
  return decorate(view, clone);
}

/** Gives an ndarray fast-check's toString (and optionally clone) hooks. Returns the same object. */
function decorate(a: NdArray, clone: boolean): NdArray {
  if (clone) {
    Object.defineProperty(a, fc.cloneMethod, {
      value: () => {
        const data = (a.data as TypedArray).slice();
        return decorate(
          ndarray(data, a.shape.slice(), a.stride.slice(), a.offset) as NdArray,
          true,
        );
      },
    });
  }
  Object.defineProperty(a, fc.toStringMethod, { value: () => describeArray(a) });
  return a;
}

/**
 * A one-line description of an array view and its values, as counterexamples print them:
 * `int8[2,3] stride=[-1,4] offset=5 [[1,2,3],[4,5,6]]`.
 */
export function describeArray(a: NdArray): string {
  const show = (x: unknown): string =>
    Array.isArray(x) ? `[${x.map(show).join(',')}]` : Object.is(x, -0) ? '-0' : String(x);
  return `${dtypeOfArray(a)}[${a.shape.join(',')}] stride=[${a.stride.join(',')}] offset=${a.offset} ${show(toNestedValues(a))}`;
}

function dtypeChoice(d: NdarrayOptions['dtype']): fc.Arbitrary<DType> {
  if (d === undefined) return dtypeArb();
  if (typeof d === 'string') return fc.constant(d);
  if (Array.isArray(d)) return fc.constantFrom(...(d as DType[]));
  return d as fc.Arbitrary<DType>;
}

/**
 * ndarrays of a dtype and shape (both fixed or generated) whose layout is a random view of
 * a larger buffer: dims permuted (transposes), step slices with `.lo`/`.hi`/`.step`, negative
 * steps, stride-0 broadcast dims (unless `writable`), and a nonzero offset. Elements are
 * {@link valueArb} values of the dtype; buffer elements outside the view hold a filler value.
 * `bool` arrays store 0/1 in a `BoolArray`.
 *
 * @example
 * fc.assert(fc.property(ndarrayArb({ dtype: 'int16', maxDims: 2 }), (a) => { … }));
 */
export function ndarrayArb(options: NdarrayOptions = {}): fc.Arbitrary<NdArray> {
  const shapes: fc.Arbitrary<readonly number[]> =
    options.shape === undefined
      ? shapeArb(options)
      : Array.isArray(options.shape)
        ? fc.constant(options.shape as readonly number[])
        : (options.shape as fc.Arbitrary<readonly number[]>);
  const views =
    options.views === false ? false : options.views === true ? {} : (options.views ?? {});
  const writable = options.writable ?? false;
  return fc.tuple(dtypeChoice(options.dtype), shapes).chain(([dtype, shape]) =>
    viewPlanArb(shape, views, writable).chain((plan) => {
      let n = 1;
      shape.forEach((d, i) => {
        n *= plan.dims[i].broadcast ? Math.min(d, 1) : d;
      });
      const vals = valueArb(dtype, options);
      return fc
        .tuple(fc.array(vals, { minLength: n, maxLength: n }), vals)
        .map(([values, filler]) =>
          buildView(dtype, shape, plan, values, filler, options.clone ?? false),
        );
    }),
  );
}

/**
 * Tuples of `n` shapes that broadcast together (NumPy's rules): a result shape is drawn
 * with the shape options, then each member keeps all (or a random number of) its trailing
 * dims and replaces random ones by 1.
 */
export function broadcastShapesArb(
  n: number,
  options: ShapeOptions = {},
): fc.Arbitrary<number[][]> {
  return shapeArb(options).chain((full) => {
    const member = fc
      .tuple(
        fc.oneof(
          { arbitrary: fc.constant(full.length), weight: 2 },
          { arbitrary: fc.integer({ min: 0, max: full.length }), weight: 1 },
        ),
        fc.array(fc.boolean(), { minLength: full.length, maxLength: full.length }),
      )
      .map(([rank, ones]) =>
        full.slice(full.length - rank).map((d, i) => (ones[full.length - rank + i] ? 1 : d)),
      );
    return fc.tuple(...Array.from({ length: n }, () => member));
  });
}

/** Options of {@link broadcastArraysArb}: ndarray options, with one dtype choice per array. */
export interface BroadcastArraysOptions extends Omit<NdarrayOptions, 'shape' | 'dtype'> {
  /** The dtype choice for every array (as in {@link NdarrayOptions}). */
  dtype?: NdarrayOptions['dtype'];
  /** One dtype choice per array; an `undefined` entry falls back to `dtype`. */
  dtypes?: readonly NdarrayOptions['dtype'][];
}

/** `n` random-view ndarrays whose shapes broadcast together (see {@link broadcastShapesArb}). */
export function broadcastArraysArb(
  n: number,
  options: BroadcastArraysOptions = {},
): fc.Arbitrary<NdArray[]> {
  return broadcastShapesArb(n, options).chain((shapes) =>
    fc.tuple(
      ...shapes.map((shape, i) =>
        ndarrayArb({ ...options, dtype: options.dtypes?.[i] ?? options.dtype, shape }),
      ),
    ),
  );
}

/** Options of {@link axisArb}. */
export interface AxisOptions {
  /** Also generate negative axes (counting from the end). Default true. */
  negative?: boolean;
}

/** A valid axis of an `ndim`-dimensional array (`ndim` must be at least 1). */
export function axisArb(ndim: number, options: AxisOptions = {}): fc.Arbitrary<number> {
  if (ndim < 1) throw new RangeError('axisArb: an axis needs at least one dimension');
  const lo = options.negative === false ? 0 : -ndim;
  return fc.integer({ min: lo, max: ndim - 1 });
}

/**
 * The `axis` argument of a reduction: a single axis, a list of distinct axes (possibly
 * empty, possibly negative), or `null` for all. For a 0-d array: 0, -1, `[]` or `null`.
 */
export function axesArb(
  ndim: number,
  options: AxisOptions = {},
): fc.Arbitrary<number | number[] | null> {
  if (ndim === 0) return fc.constantFrom<number | number[] | null>(0, -1, [], null);
  const all = Array.from({ length: ndim }, (_, i) => i);
  const neg = options.negative !== false;
  const list = fc
    .tuple(fc.shuffledSubarray(all), fc.array(fc.boolean(), { minLength: ndim, maxLength: ndim }))
    .map(([axes, flip]) => axes.map((a, i) => (neg && flip[i] ? a - ndim : a)));
  return fc.oneof(axisArb(ndim, options), list, fc.constant(null));
}

/** `reduceat` indices for an axis of length `n` (at least 1): any order, repeats allowed. */
export function reduceatIndicesArb(n: number, maxLength = 6): fc.Arbitrary<number[]> {
  if (n < 1) throw new RangeError('reduceatIndicesArb: the axis must not be empty');
  return fc.array(fc.integer({ min: 0, max: n - 1 }), { minLength: 1, maxLength });
}
