/** Option objects of the ufunc methods, and their validation (before anything is written). */
import { type ArrayLike, dtypeOf, type NdArray, toNdarray } from '../core/array.js';
import { checkOutArray, checkOuts, readCallOptions } from '../core/call-args.js';
import { checkDType, type DType } from '../core/dtypes.js';
import { type Casting, checkCasting } from './casting.js';

/** Options of a ufunc call. */
export interface CallOptions {
  /** Output array (or one per output): written in place, even when it overlaps an input. */
  out?: NdArray | readonly NdArray[];
  /** Mask broadcast with the inputs: where false, `out` keeps its value (zeros in a new array). */
  where?: ArrayLike;
  /**
   * The loop's dtype (NumPy: `dtype` selects the loop): every input is converted to it and
   * the result is computed in it, under the `casting` rule.
   */
  dtype?: DType;
  /**
   * Which conversions of inputs into the loop and of results into `out` are allowed:
   * `'no'`, `'equiv'`, `'safe'`, `'same_kind'` (default) or `'unsafe'`, as in NumPy.
   */
  casting?: Casting;
  /**
   * `parallel` target: milliseconds this call may run on the workers before it throws a
   * TimeoutError (its workers are then stopped and replaced). Overrides the pool's `timeout`.
   */
  timeout?: number;
}

/** Options of `reduce`. */
export interface ReduceOptions {
  /** Axis or axes to reduce (negative counts from the end); null reduces all. Default 0. */
  axis?: number | readonly number[] | null;
  keepdims?: boolean;
  /** Starting value (defaults to the identity when it is a number). */
  initial?: number;
  /** Elements to include (broadcast against the input); needs an initial value or identity. */
  where?: ArrayLike;
  /** Accumulator and result dtype. */
  dtype?: DType;
  out?: NdArray;
  /**
   * `parallel` target: milliseconds this call may run on the workers before it throws a
   * TimeoutError (its workers are then stopped and replaced). Overrides the pool's `timeout`.
   */
  timeout?: number;
}

/** Options of `accumulate` and `reduceat`. */
export interface AxisOptions {
  axis?: number;
  dtype?: DType;
  out?: NdArray;
  /**
   * `parallel` target: milliseconds this call may run on the workers before it throws a
   * TimeoutError (its workers are then stopped and replaced). Overrides the pool's `timeout`.
   */
  timeout?: number;
}

/** Options of `outer`. */
export type OuterOptions = CallOptions;

const CALL_KEYS = new Set(['out', 'where', 'dtype', 'casting']);
const REDUCE_KEYS = new Set(['axis', 'keepdims', 'initial', 'where', 'dtype', 'out']);
const AXIS_KEYS = new Set(['axis', 'dtype', 'out']);

export function checkCallOptions(
  o: unknown,
  method: string,
  nout: number,
): {
  out: NdArray[] | null;
  /** The caller's own `out` objects (what the call returns); `out` holds their checked headers. */
  userOut: NdArray[] | null;
  where?: ArrayLike;
  dtype?: DType;
  casting?: Casting;
} {
  const opts = readCallOptions<CallOptions>(o, method, CALL_KEYS);
  if (!opts) return { out: null, userOut: null };
  const outs = checkOuts(opts.out, method, nout);
  const out = outs?.out ?? null;
  const userOut = outs?.userOut ?? null;
  return {
    out,
    userOut,
    where: opts.where,
    dtype: opts.dtype === undefined ? undefined : checkDType(opts.dtype),
    casting: opts.casting === undefined ? undefined : checkCasting(opts.casting),
  };
}

/** Checked options of a method with one `out`: `out` is the checked header, `userOut` the caller's. */
type WithOut<T> = T & { userOut?: NdArray };

function checkSingleOut<T extends { out?: NdArray }>(opts: T): WithOut<T> {
  if (opts.out === undefined || opts.out === null) return opts;
  const userOut = opts.out;
  return { ...opts, out: checkOutArray(userOut, 'out'), userOut };
}

export function checkReduceOptions(o: unknown, method: string): WithOut<ReduceOptions> {
  const snap = readCallOptions<ReduceOptions>(o, method, REDUCE_KEYS);
  if (!snap) return {};
  // An axis list is copied too: its elements are then read once, from the copy.
  if (Array.isArray(snap.axis)) (snap as { axis: unknown }).axis = snap.axis.slice();
  const opts = checkSingleOut(snap);
  if (opts.dtype !== undefined) checkDType(opts.dtype);
  if (opts.initial !== undefined && typeof opts.initial !== 'number') {
    throw new TypeError(`${method}: initial must be a number`);
  }
  if (opts.keepdims !== undefined && typeof opts.keepdims !== 'boolean') {
    throw new TypeError(`${method}: keepdims must be a boolean`);
  }
  return opts;
}

export function checkAxisOptions(o: unknown, method: string): WithOut<AxisOptions> {
  const snap = readCallOptions<AxisOptions>(o, method, AXIS_KEYS);
  if (!snap) return {};
  const opts = checkSingleOut(snap);
  if (opts.dtype !== undefined) checkDType(opts.dtype);
  return opts;
}

/**
 * A `where` mask as an array. Like NumPy, only a bool mask is accepted (NumPy casts `where`
 * to bool with the 'safe' rule, which refuses every numeric dtype): a numeric or NaN mask
 * is a TypeError rather than a guess at its truthiness.
 */
export function checkWhere(w: unknown, method: string): NdArray {
  const m = toNdarray(w as ArrayLike);
  const t = dtypeOf(m);
  if (t !== 'bool') {
    throw new TypeError(
      `${method}: where must be a bool array (NumPy casts it with casting='safe'); got ${t}. Compare to get a mask, e.g. where: asarray([true, false]) or a comparison ufunc's result`,
    );
  }
  return m;
}
