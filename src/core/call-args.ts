/**
 * How a call of a compiled function reads its arguments, written once for every kind
 * (ufuncs and their methods, gufuncs, stencils): the operands, a trailing options object,
 * and the output arrays given in it. Each kind keeps only its own option keys and checks.
 */
import { checkedView, isNdarray, type NdArray } from './array.js';
import { describe } from './dtypes.js';
import { ValueError } from './errors.js';
import { snapshotOptions } from './guard.js';
import { checkOptionKeys } from './option-keys.js';

/** An input after coercion: an array (strong dtype) or a weak JS scalar. */
export type Operand = { kind: 'array'; a: NdArray } | { kind: 'scalar'; v: number; bool: boolean };

/** A number or boolean as a scalar operand; undefined for anything else. */
export function scalarOperand(x: unknown): Operand | undefined {
  if (typeof x === 'number') return { kind: 'scalar', v: x, bool: false };
  if (typeof x === 'boolean') return { kind: 'scalar', v: x ? 1 : 0, bool: true };
  return undefined;
}

/** A number or boolean as a scalar, anything else as the array `asarrayFn` makes of it. */
export function toOperand(x: unknown, asarrayFn: (x: unknown) => NdArray): Operand {
  return scalarOperand(x) ?? { kind: 'array', a: asarrayFn(x) };
}

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

/**
 * Splits `args` into the `n` operands and an optional trailing options object (or
 * `undefined` in its place). `noun` names the operands in the message for a wrong count.
 */
export function splitArgs(
  args: readonly unknown[],
  n: number,
  name: string,
  noun: 'input' | 'argument' = 'input',
): [unknown[], unknown] {
  if (args.length === n + 1 && (isOptionsObject(args[n]) || args[n] === undefined)) {
    return [args.slice(0, n), args[n]];
  }
  if (args.length !== n) {
    // "takes 2 input(s) …, got 3 argument(s)": the count covers the options object too.
    const got = noun === 'input' ? `${args.length} argument(s)` : `${args.length}`;
    throw new TypeError(
      `${name}() takes ${n} ${noun}(s) (and an optional options object), got ${got}`,
    );
  }
  return [args.slice(), undefined];
}

/**
 * A call's options object, read once: a snapshot holding only `keys` (undefined when the
 * call has none), so a getter cannot pass a check and then change.
 */
export function readCallOptions<T extends object>(
  o: unknown,
  name: string,
  keys: ReadonlySet<string>,
): T | undefined {
  if (o === undefined) return undefined;
  if (!isOptionsObject(o)) throw new TypeError(`${name}: options must be an object`);
  const opts = snapshotOptions(o as object, name) as T;
  checkOptionKeys(opts, keys, name);
  return opts;
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

/** The `out` of a call with `nout` outputs: the checked headers the loops write through, and the caller's own objects (what the call returns). */
export interface CheckedOuts {
  readonly out: NdArray[];
  readonly userOut: NdArray[];
}

/**
 * Checks the `out` option of a call with `nout` outputs: one array, or a list of `nout`
 * (null or undefined: none given).
 */
export function checkOuts(value: unknown, name: string, nout: number): CheckedOuts | null {
  if (value === undefined || value === null) return null;
  const list: unknown[] = Array.isArray(value) ? value.slice() : [value];
  if (Array.isArray(value) && list.some((x) => !isNdarray(x))) {
    // `out: [0, 0]` is a JS array of numbers, not a tuple of outputs: say what out must be.
    throw new TypeError(
      `${name}: out must be an ndarray${nout > 1 ? ` (or a list of ${nout} ndarrays, one per output)` : ''}, ` +
        'not a plain JS array; allocate one with zeros(shape, dtype) or wrap existing values with asarray([...])',
    );
  }
  if (list.length !== nout) {
    throw new TypeError(`${name}: out must give ${nout} array(s), got ${list.length}`);
  }
  const out = list.map((a, i) => checkOutArray(a, nout > 1 ? `out[${i}]` : 'out'));
  return { out, userOut: list as NdArray[] };
}
