/** Option objects of the ufunc methods, and their validation (before anything is written). */
import { type ArrayLike, asarray, isNdarray, type NdArray } from '../core/array.js';
import { checkDType, type DType, describe } from '../core/dtypes.js';
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
}

/** Options of `accumulate` and `reduceat`. */
export interface AxisOptions {
  axis?: number;
  dtype?: DType;
  out?: NdArray;
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

export function checkOutArray(x: unknown, what: string): NdArray {
  if (!isNdarray(x)) throw new TypeError(`${what} must be an ndarray; got ${describe(x)}`);
  asarray(x);
  return x;
}

export function checkCallOptions(
  o: unknown,
  method: string,
  nout: number,
): {
  out: NdArray[] | null;
  where?: ArrayLike;
  dtype?: DType;
  casting?: Casting;
} {
  if (o === undefined) return { out: null };
  if (!isOptionsObject(o)) throw new TypeError(`${method}: options must be an object`);
  const opts = o as CallOptions;
  checkKeys(opts, CALL_KEYS, method);
  let out: NdArray[] | null = null;
  if (opts.out !== undefined && opts.out !== null) {
    const list = Array.isArray(opts.out) ? opts.out : [opts.out];
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
  }
  return {
    out,
    where: opts.where,
    dtype: opts.dtype === undefined ? undefined : checkDType(opts.dtype),
    casting: opts.casting === undefined ? undefined : checkCasting(opts.casting),
  };
}

export function checkReduceOptions(o: unknown, method: string): ReduceOptions {
  if (o === undefined) return {};
  if (!isOptionsObject(o)) throw new TypeError(`${method}: options must be an object`);
  const opts = o as ReduceOptions;
  checkKeys(opts, REDUCE_KEYS, method);
  if (opts.dtype !== undefined) checkDType(opts.dtype);
  if (opts.out !== undefined && opts.out !== null) checkOutArray(opts.out, 'out');
  if (opts.initial !== undefined && typeof opts.initial !== 'number') {
    throw new TypeError(`${method}: initial must be a number`);
  }
  if (opts.keepdims !== undefined && typeof opts.keepdims !== 'boolean') {
    throw new TypeError(`${method}: keepdims must be a boolean`);
  }
  return opts;
}

export function checkAxisOptions(o: unknown, method: string): AxisOptions {
  if (o === undefined) return {};
  if (!isOptionsObject(o)) throw new TypeError(`${method}: options must be an object`);
  const opts = o as AxisOptions;
  checkKeys(opts, AXIS_KEYS, method);
  if (opts.dtype !== undefined) checkDType(opts.dtype);
  if (opts.out !== undefined && opts.out !== null) checkOutArray(opts.out, 'out');
  return opts;
}
