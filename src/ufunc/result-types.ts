/**
 * The static result type of a ufunc / gufunc call from its argument types, mirroring what a
 * call returns at run time: a plain number when every input is a JS number or boolean and
 * neither `out` nor `where` is given, an ndarray when some input is an array, and one of
 * those per output (a tuple when the kernel returns a tuple) for several outputs.
 */
import type { ArrayLike, NdArray } from '../core/array.js';

/** True when no value of `T` can be a JS number or boolean (so the input is an array). */
type DefinitelyArray<T> = [Extract<T, number | boolean>] extends [never] ? true : false;

/** Every input is a JS number or boolean. */
export type AllScalar<A extends readonly unknown[]> = A[number] extends number | boolean
  ? true
  : false;

/** Some input is certainly an array. */
export type SomeArray<A extends readonly unknown[]> = true extends {
  [K in keyof A]: DefinitelyArray<A[K]>;
}[number]
  ? true
  : false;

/** `X` per output: the kernel's return `R` is one value, or an array/tuple of outputs. */
export type PerOutput<R, X> = R extends readonly unknown[] ? { -readonly [K in keyof R]: X } : X;

/** Options that make every result an array. */
type ArrayForcing = { out: NdArray | readonly NdArray[] } | { where: ArrayLike };

/**
 * A call's result: `R` is what the kernel returns (a value, or a tuple of outputs), `A` the
 * input types, `O` the options object's type.
 */
export type CallResult<R, A extends readonly unknown[], O = object> = O extends ArrayForcing
  ? PerOutput<R, NdArray>
  : AllScalar<A> extends true
    ? PerOutput<R, number>
    : SomeArray<A> extends true
      ? PerOutput<R, NdArray>
      : PerOutput<R, NdArray | number>;
