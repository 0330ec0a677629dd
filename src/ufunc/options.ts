/** Option objects of the ufunc methods, and their validation (before anything is written). */
import {
  type ArrayLike,
  checkedView,
  dtypeOf,
  isNdarray,
  type NdArray,
  toNdarray,
} from '../core/array.js';
import { checkDType, type DType, describe } from '../core/dtypes.js';
import { ValueError } from '../core/errors.js';
import { snapshotOptions } from '../core/guard.js';
import { checkOptionKeys } from '../core/option-keys.js';
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

/** True for a plain options object (not an array-like input). */
export function isOptionsObject(x: unknown): boolean {
  return (
    x !== null &&
    typeof x === 'object' &&
    !Array.isArray(x) &&
    !ArrayBuffer.isView(x) &&
    !isNdarray(x)
  );
}

function checkKeys(o: object, allowed: Set<string>, method: string): void {
  checkOptionKeys(o, allowed, method);
}

/**
 * Validates an output array; returns a checked copy of its header (same data) for the
 * loops to use. A stride-0 axis of extent > 1 would have several results land on one
 * element: NumPy refuses such a broadcast view as not writeable, and so does numbats.
 */
export function checkOutArray(x: unknown, what: string): NdArray {
  if (!isNdarray(x)) throw new TypeError(`${what} must be an ndarray; got ${describe(x)}`);
  const v = checkedView(x, what);
  const empty = v.shape.includes(0);
  for (let i = 0; i < v.shape.length && !empty; i++) {
    if (v.shape[i] > 1 && v.stride[i] === 0) {
      throw new ValueError(
        `${what} has stride 0 along axis ${i} (a broadcast view): it is not writeable`,
      );
    }
  }
  return v;
}

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
  if (o === undefined) return { out: null, userOut: null };
  if (!isOptionsObject(o)) throw new TypeError(`${method}: options must be an object`);
  const opts = snapshotOptions(o as object, method) as CallOptions;
  checkKeys(opts, CALL_KEYS, method);
  let out: NdArray[] | null = null;
  let userOut: NdArray[] | null = null;
  if (opts.out !== undefined && opts.out !== null) {
    const list = Array.isArray(opts.out) ? opts.out.slice() : [opts.out];
    if (Array.isArray(opts.out) && list.some((x) => !isNdarray(x))) {
      // `out: [0, 0]` is a JS array of numbers, not a tuple of outputs: say what out must be.
      throw new TypeError(
        `${method}: out must be an ndarray${nout > 1 ? ` (or a list of ${nout} ndarrays, one per output)` : ''}, ` +
          'not a plain JS array; allocate one with zeros(shape, dtype) or wrap existing values with asarray([...])',
      );
    }
    if (list.length !== nout) {
      throw new TypeError(`${method}: out must give ${nout} array(s), got ${list.length}`);
    }
    out = list.map((a, i) => checkOutArray(a, nout > 1 ? `out[${i}]` : 'out'));
    userOut = list;
  }
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
  if (o === undefined) return {};
  if (!isOptionsObject(o)) throw new TypeError(`${method}: options must be an object`);
  const snap = snapshotOptions(o as object, method) as ReduceOptions;
  checkKeys(snap, REDUCE_KEYS, method);
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
  if (o === undefined) return {};
  if (!isOptionsObject(o)) throw new TypeError(`${method}: options must be an object`);
  const snap = snapshotOptions(o as object, method) as AxisOptions;
  checkKeys(snap, AXIS_KEYS, method);
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
