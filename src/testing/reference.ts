/**
 * Naive reference implementations of the ufunc methods with NumPy's semantics: plain JS
 * loops over multi-indices, one element at a time, written for obvious correctness rather
 * than speed. Property tests compare a compiled ufunc against them.
 *
 * The references know nothing about a kernel's types. They call `fn` on plain JS numbers
 * and store its result with the output dtype's TypedArray semantics (see {@link castTo}),
 * which emulates fixed-width integer wrap-around whenever the exact result fits in a double
 * (sums and differences do; for a 32-bit integer product pass a function that wraps, such
 * as `Math.imul`). A kernel whose intermediate values must be rounded (several float32
 * operations, saturating `uint8_clamped` steps) needs a `fn` that rounds them itself.
 */
import { dtypeOf, type NdArray } from '../core/array.js';
import type { DType } from '../core/dtypes.js';
import {
  broadcastIndex,
  broadcastShapeOf,
  castTo,
  copyOf,
  forEachIndex,
  fromValues,
  getAt,
  setAt,
  zerosOf,
} from './nd.js';

/** An input of a reference: an ndarray, or a plain number/boolean (a 0-d operand). */
export type RefInput = NdArray | number | boolean;

/** A kernel as the references call it: numbers in, a number (or one per output) out. */
export type RefFn = (...args: number[]) => number | boolean | readonly (number | boolean)[];

function asRefArray(x: RefInput): NdArray {
  if (typeof x === 'number') return fromValues([x], [], 'float64');
  if (typeof x === 'boolean') return fromValues([x ? 1 : 0], [], 'bool');
  return x;
}

function castIn(v: number, dtype: DType | undefined): number {
  return dtype === undefined ? v : castTo(dtype, v);
}

function normalizeAxisRef(axis: number, ndim: number): number {
  if (!Number.isInteger(axis) || axis < -ndim || axis >= ndim) {
    throw new RangeError(`axis ${axis} is out of bounds for array of dimension ${ndim}`);
  }
  return axis < 0 ? axis + ndim : axis;
}

/** Options of {@link refCall}. */
export interface RefCallOptions {
  /**
   * dtype of the result (one per output for a kernel with several). Results of `fn` are cast
   * to it; with `out`, they are then cast again into `out`'s dtype, like a ufunc loop whose
   * output type differs from its `out` array. Default `float64`.
   */
  outDtype?: DType | readonly DType[];
  /** Each input value is cast to this dtype before `fn` sees it (a loop's input types). */
  inDtypes?: readonly (DType | undefined)[];
  /** Mask broadcast with the inputs: where it is 0 the result keeps the `out` value (or 0). */
  where?: RefInput;
  /**
   * Initial contents, shape and dtype of the result (one array per output). It is not
   * modified: the reference returns new arrays holding what a ufunc would leave in `out`.
   */
  out?: NdArray | readonly NdArray[];
}

/**
 * NumPy's elementwise call: broadcasts the inputs (and `where`), applies `fn` at every
 * index and stores each result. Returns a new C-contiguous array, or an array of them when
 * `outDtype` (or `out`) lists several outputs.
 *
 * @example
 * refCall((a, b) => a + b, [x, y], { outDtype: 'int8' }); // int8 addition, wrapping
 */
export function refCall(
  fn: RefFn,
  inputs: readonly RefInput[],
  options?: RefCallOptions & { outDtype?: DType; out?: NdArray },
): NdArray;
export function refCall(
  fn: RefFn,
  inputs: readonly RefInput[],
  options: RefCallOptions & ({ outDtype: readonly DType[] } | { out: readonly NdArray[] }),
): NdArray[];
export function refCall(
  fn: RefFn,
  inputs: readonly RefInput[],
  options?: RefCallOptions,
): NdArray | NdArray[];
export function refCall(
  fn: RefFn,
  inputs: readonly RefInput[],
  options: RefCallOptions = {},
): NdArray | NdArray[] {
  const arrays = inputs.map(asRefArray);
  const where = options.where === undefined ? undefined : asRefArray(options.where);
  const outList =
    options.out === undefined
      ? undefined
      : Array.isArray(options.out)
        ? options.out
        : [options.out];
  const outDtypes: readonly DType[] =
    options.outDtype === undefined
      ? (outList?.map(() => 'float64' as DType) ?? ['float64'])
      : typeof options.outDtype === 'string'
        ? [options.outDtype]
        : options.outDtype;
  const nout = outDtypes.length;
  const shapes = arrays.map((a) => a.shape);
  if (where) shapes.push(where.shape);
  const bshape = broadcastShapeOf(shapes);
  if (bshape === null) throw new RangeError('refCall: operands could not be broadcast together');
  let shape: number[] = bshape;
  if (outList) {
    if (outList.length !== nout) throw new RangeError('refCall: out and outDtype disagree');
    const target = outList[0].shape;
    const full = broadcastShapeOf([shape, target]);
    if (full === null || full.length !== target.length || full.some((d, i) => d !== target[i])) {
      throw new RangeError('refCall: out does not have the broadcast shape');
    }
    shape = target.slice();
  }
  const results = outList ? outList.map((o) => copyOf(o)) : outDtypes.map((t) => zerosOf(shape, t));
  const outShape = shape;
  const each = (idx: number[]) => {
    if (where && getAt(where, broadcastIndex(idx, where.shape)) === 0) return;
    const args = arrays.map((a, i) =>
      castIn(getAt(a, broadcastIndex(idx, a.shape)), options.inDtypes?.[i]),
    );
    const r = fn(...args);
    const vals = Array.isArray(r) ? r : [r];
    if (vals.length !== nout) {
      throw new RangeError(`refCall: fn returned ${vals.length} value(s), expected ${nout}`);
    }
    for (let j = 0; j < nout; j++) setAt(results[j], idx, castTo(outDtypes[j], +vals[j]));
  };
  forEachIndex(outShape, each);
  return Array.isArray(options.outDtype) || Array.isArray(options.out) ? results : results[0];
}

/** Options of {@link refReduce}. */
export interface RefReduceOptions {
  /** Axis, list of axes (negative counts from the end) or null for all. Default 0. */
  axis?: number | readonly number[] | null;
  keepdims?: boolean;
  /** Starting value of every fold. */
  initial?: number;
  /** The ufunc's identity: the starting value when `initial` is not given (NumPy's rule). */
  identity?: number | null;
  /** Elements to include, broadcast against the input. Needs `initial` or `identity`. */
  where?: RefInput;
  /** Accumulator (and result) dtype; every element is cast to it first. Default: the input's. */
  dtype?: DType;
}

/**
 * NumPy's `ufunc.reduce`: folds `fn` over the given axes, visiting the reduced elements
 * of each output position in C order. Without a starting value (`initial`, else a numeric
 * `identity`) the first element seeds the fold, and an empty fold throws NumPy's error.
 * Always returns an array (0-d when every axis is reduced without `keepdims`).
 */
export function refReduce(fn: RefFn, input: RefInput, options: RefReduceOptions = {}): NdArray {
  const a = asRefArray(input);
  const nd = a.shape.length;
  const t = options.dtype ?? dtypeOf(a);
  const axisOpt = options.axis === undefined ? 0 : options.axis;
  let axes: number[];
  if (nd === 0) {
    // NumPy accepts axis 0 / -1 / None for a 0-d input and returns its element.
    for (const ax of axisOpt === null ? [] : typeof axisOpt === 'number' ? [axisOpt] : axisOpt) {
      if (ax !== 0 && ax !== -1) normalizeAxisRef(ax, 0);
    }
    axes = [];
  } else if (axisOpt === null) {
    axes = a.shape.map((_, i) => i);
  } else {
    const list = typeof axisOpt === 'number' ? [axisOpt] : axisOpt;
    axes = list.map((ax) => normalizeAxisRef(ax, nd));
    if (new Set(axes).size !== axes.length) throw new RangeError("duplicate value in 'axis'");
    // Reduced dims are visited in C order whatever order the axes were listed in.
    axes.sort((x, y) => x - y);
  }
  const start =
    options.initial !== undefined
      ? options.initial
      : typeof options.identity === 'number'
        ? options.identity
        : undefined;
  const where = options.where === undefined ? undefined : asRefArray(options.where);
  if (where && start === undefined) {
    throw new RangeError('reduction with a where mask needs an initial value or an identity');
  }
  const wshape = where && broadcastShapeOf([where.shape, a.shape]);
  if (where && (!wshape || wshape.length !== nd || wshape.some((d, i) => d !== a.shape[i]))) {
    throw new RangeError('where mask cannot be broadcast to the input shape');
  }
  const keptShape = a.shape.filter((_, i) => !axes.includes(i));
  const redShape = axes.map((ax) => a.shape[ax]);
  const outShape = options.keepdims ? a.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : keptShape;
  const res = zerosOf(outShape, t);
  forEachIndex(keptShape, (kidx) => {
    let acc: number | undefined = start === undefined ? undefined : castTo(t, start);
    forEachIndex(redShape, (ridx) => {
      const full: number[] = [];
      let k = 0;
      let r = 0;
      for (let i = 0; i < nd; i++) full.push(axes.includes(i) ? ridx[r++] : kidx[k++]);
      if (where && getAt(where, broadcastIndex(full, where.shape)) === 0) return;
      const v = castTo(t, getAt(a, full));
      acc = acc === undefined ? v : castTo(t, +(fn(acc, v) as number));
    });
    if (acc === undefined) {
      throw new RangeError('zero-size array to reduction operation which has no identity');
    }
    let oi = 0;
    const oidx = options.keepdims
      ? a.shape.map((_, i) => (axes.includes(i) ? 0 : kidx[oi++]))
      : kidx;
    setAt(res, oidx, acc);
  });
  return res;
}

/** Options of {@link refAccumulate} and {@link refReduceat}. */
export interface RefAxisOptions {
  /** The axis (negative counts from the end). Default 0. */
  axis?: number;
  /** Accumulator and result dtype. Default: the input's. */
  dtype?: DType;
}

/**
 * NumPy's `ufunc.accumulate`: `r[…, 0, …] = a[…, 0, …]` and
 * `r[…, i, …] = fn(r[…, i-1, …], a[…, i, …])` along `axis`. Throws for a 0-d input.
 */
export function refAccumulate(fn: RefFn, input: RefInput, options: RefAxisOptions = {}): NdArray {
  const a = asRefArray(input);
  if (a.shape.length === 0) throw new TypeError('cannot accumulate on a scalar');
  const axis = normalizeAxisRef(options.axis ?? 0, a.shape.length);
  const t = options.dtype ?? dtypeOf(a);
  const res = zerosOf(a.shape, t);
  forEachIndex(a.shape, (idx) => {
    const v = castTo(t, getAt(a, idx));
    if (idx[axis] === 0) setAt(res, idx, v);
    else {
      const prev = idx.slice();
      prev[axis]--;
      setAt(res, idx, castTo(t, +(fn(getAt(res, prev), v) as number)));
    }
  });
  return res;
}

/**
 * NumPy's `ufunc.reduceat`: for each `i`, reduces `a[indices[i]:indices[i+1]]` along
 * `axis` when `indices[i] < indices[i+1]`, else takes `a[indices[i]]`; the last slice runs
 * to the end. Every index must lie in `[0, n)`.
 */
export function refReduceat(
  fn: RefFn,
  input: RefInput,
  indices: readonly number[],
  options: RefAxisOptions = {},
): NdArray {
  const a = asRefArray(input);
  if (a.shape.length === 0) throw new TypeError('cannot reduceat on a scalar');
  const axis = normalizeAxisRef(options.axis ?? 0, a.shape.length);
  const t = options.dtype ?? dtypeOf(a);
  const n = a.shape[axis];
  for (const i of indices) {
    if (!Number.isInteger(i) || i < 0 || i >= n) {
      throw new RangeError(`index ${i} out-of-bounds in reduceat [0, ${n})`);
    }
  }
  const outShape = a.shape.slice();
  outShape[axis] = indices.length;
  const res = zerosOf(outShape, t);
  forEachIndex(outShape, (oidx) => {
    const i = oidx[axis];
    const lo = indices[i];
    const hi = i + 1 < indices.length ? indices[i + 1] : n;
    const end = hi > lo ? hi : lo + 1;
    const src = oidx.slice();
    let acc: number | undefined;
    for (let k = lo; k < end; k++) {
      src[axis] = k;
      const v = castTo(t, getAt(a, src));
      acc = acc === undefined ? v : castTo(t, +(fn(acc, v) as number));
    }
    setAt(res, oidx, acc!);
  });
  return res;
}

/** Options of {@link refOuter}. */
export interface RefOuterOptions {
  /** Result dtype. Default `float64`. */
  outDtype?: DType;
  /** dtypes the values of `a` and `b` are cast to before `fn` sees them. */
  inDtypes?: readonly (DType | undefined)[];
}

/** NumPy's `ufunc.outer`: `r[i…, j…] = fn(a[i…], b[j…])`, shape `a.shape ++ b.shape`. */
export function refOuter(
  fn: RefFn,
  x: RefInput,
  y: RefInput,
  options: RefOuterOptions = {},
): NdArray {
  const a = asRefArray(x);
  const b = asRefArray(y);
  const na = a.shape.length;
  const t = options.outDtype ?? 'float64';
  const res = zerosOf([...a.shape, ...b.shape], t);
  forEachIndex(res.shape, (idx) => {
    const va = castIn(getAt(a, idx.slice(0, na)), options.inDtypes?.[0]);
    const vb = castIn(getAt(b, idx.slice(na)), options.inDtypes?.[1]);
    setAt(res, idx, castTo(t, +(fn(va, vb) as number)));
  });
  return res;
}

/** Indices of {@link refAt}: one index array for axis 0, or a list with one per axis. */
export type RefAtIndices =
  | number
  | readonly number[]
  | NdArray
  | readonly (number | readonly number[] | NdArray)[];

/** Options of {@link refAt}. */
export interface RefAtOptions {
  /** dtypes the values of `a` and `b` are cast to before `fn` sees them. */
  inDtypes?: readonly (DType | undefined)[];
  /** dtype `fn`'s result is cast to before it is stored back into `a`'s dtype. */
  outDtype?: DType;
}

function indexList(x: number | readonly number[] | NdArray): NdArray {
  if (typeof x === 'number') return fromValues([x], [], 'float64');
  if (Array.isArray(x)) return fromValues(x as number[], [x.length], 'float64');
  return x as NdArray;
}

/**
 * NumPy's `ufunc.at`, unbuffered: for each position of the (broadcast) index arrays in C
 * order, `a[idx, …] = fn(a[idx, …], b[…])`, so repeated indices accumulate. Negative indices
 * count from the end. Returns a modified C-contiguous copy of `a` (`a` itself is unchanged).
 */
export function refAt(
  fn: RefFn,
  target: NdArray,
  indices: RefAtIndices,
  b?: RefInput,
  options: RefAtOptions = {},
): NdArray {
  const res = copyOf(target);
  const dt = dtypeOf(res);
  const idxArrays =
    Array.isArray(indices) && indices.every((i) => typeof i === 'number')
      ? [indexList(indices as number[])]
      : Array.isArray(indices)
        ? (indices as readonly (number | readonly number[] | NdArray)[]).map(indexList)
        : [indexList(indices as number | NdArray)];
  if (idxArrays.length > res.shape.length) throw new RangeError('too many indices for array');
  const ishape = broadcastShapeOf(idxArrays.map((i) => i.shape));
  if (ishape === null) throw new RangeError('index arrays could not be broadcast together');
  const sub = res.shape.slice(idxArrays.length);
  const bArr = b === undefined ? undefined : asRefArray(b);
  const fullShape = [...ishape, ...sub];
  if (bArr) {
    const bs = broadcastShapeOf([bArr.shape, fullShape]);
    if (bs === null || bs.length !== fullShape.length || bs.some((d, i) => d !== fullShape[i])) {
      throw new RangeError('refAt: b cannot be broadcast to the indexing result');
    }
  }
  // Resolve (and check) every index before anything is written.
  const positions: number[][] = [];
  forEachIndex(ishape, (p) => {
    positions.push(
      idxArrays.map((ia, axis) => {
        const v = getAt(ia, broadcastIndex(p, ia.shape));
        const n = res.shape[axis];
        if (!Number.isInteger(v) || v < -n || v >= n) {
          throw new RangeError(`index ${v} is out of bounds for axis ${axis} with size ${n}`);
        }
        return v < 0 ? v + n : v;
      }),
    );
  });
  let p = 0;
  forEachIndex(ishape, (pidx) => {
    const head = positions[p++];
    forEachIndex(sub, (sidx) => {
      const idx = [...head, ...sidx];
      const x = castIn(getAt(res, idx), options.inDtypes?.[0]);
      const args = [x];
      if (bArr) {
        const full = [...pidx, ...sidx];
        args.push(castIn(getAt(bArr, broadcastIndex(full, bArr.shape)), options.inDtypes?.[1]));
      }
      const r = +(fn(...args) as number);
      setAt(res, idx, castTo(dt, options.outDtype ? castTo(options.outDtype, r) : r));
    });
  });
  return res;
}

/** `a` converted to `dtype` element by element with store semantics (a C-contiguous copy). */
export function refAstype(a: RefInput, dtype: DType): NdArray {
  return copyOf(asRefArray(a), dtype);
}
