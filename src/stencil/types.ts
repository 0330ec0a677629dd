/** Public types of `stencil`: options, call options, the accessor and the compiled callable. */
import type { ArrayLike, NdArray } from '../core/array.js';
import type { DType } from '../core/dtypes.js';
import type { Boundary } from '../plan/boundary.js';
import type { Extent } from '../plan/stencil.js';
import type { TargetOf } from '../targets/registry.js';

export { BOUNDARIES, type Boundary } from '../plan/boundary.js';

/**
 * A relative accessor, the type of a stencil kernel's array parameters: `u(-1, 0)` is the
 * input's element one row up from the cell being computed (one offset per axis).
 */
export type Rel = (...offsets: number[]) => number;

export type { Extent } from '../plan/stencil.js';

/** Options of {@link stencil}. */
export interface StencilOptions {
  /** One mode for every axis, or one per axis (default `'skip'`). */
  boundary?: Boundary | readonly Boundary[];
  /** Fill value of `'constant'` (cast to each input's dtype) and `'skip'` (cast to the output's). Default 0. */
  cval?: number;
  /**
   * The offsets the kernel may read, `[lo, hi]` per axis. Required when an offset is
   * computed (`u(i, 0)` with `i` a variable); reading outside it is an error. Without it the
   * neighborhood is inferred from the constant offsets the kernel uses.
   */
  neighborhood?: readonly Extent[];
  /**
   * Output dtype (default: the kernel's return type; the first array input's dtype when the
   * kernel returns literals only). The kernel still computes in the input dtypes.
   */
  dtype?: DType;
  /** Name used in error messages and `inspect` (default: the function's name or 'stencil'). */
  name?: string;
  /** Where the stencil runs (default 'cpu'). */
  target?: TargetOf<'stencil'>;
  /** Values of free variables the kernel reads (numbers or booleans), compiled in as constants. */
  constants?: Readonly<Record<string, number | boolean>>;
  /**
   * jit functions and vectorize ufuncs the kernel calls by name (on numbers), compiled into
   * its loop (no temporary arrays). `cpu` target only.
   */
  functions?: Readonly<Record<string, Function>>;
}

/** Options of a stencil call (the last argument). */
export interface StencilCallOptions {
  /**
   * Output array of the inputs' shape, written in place (any dtype: values are stored as a
   * TypedArray store converts them). It may overlap the inputs. With `'skip'`, the cells
   * that are not computed keep their value.
   */
  out?: NdArray;
  /** Overrides the stencil's `cval` for this call. */
  cval?: number;
  /**
   * `parallel` target: milliseconds this call may run on the workers before it throws a
   * TimeoutError (its workers are then stopped and replaced). Overrides the pool's `timeout`.
   */
  timeout?: number;
}

type StencilArg<P> = P extends Rel ? ArrayLike : number | boolean;
type MapArgs<P extends readonly unknown[]> = { [K in keyof P]: StencilArg<P[K]> };
/** The arguments of a stencil call: an array for each accessor parameter, a number for the others. */
export type StencilInputs<F extends (...args: any[]) => unknown> = MapArgs<Parameters<F>>;

/** A compiled stencil (Numba's `@stencil` function). */
export interface Stencil<F extends (...args: any[]) => unknown = (...args: any[]) => unknown> {
  /** Applies the kernel at every cell; the result has the first array input's shape. */
  (...args: [...StencilInputs<F>]): NdArray;
  (...args: [...StencilInputs<F>, StencilCallOptions]): NdArray;
  /** The name used in messages. */
  readonly stencilName: string;
  /** Number of axes the kernel indexes (null when it uses no accessor). */
  readonly ndim: number | null;
  /** `[lo, hi]` per axis: declared, or inferred from the constant offsets (null when no accessor is used). */
  readonly neighborhood: readonly Extent[] | null;
  /** The boundary mode of each axis (one entry repeated for every axis when given as one mode). */
  readonly boundary: Boundary | readonly Boundary[];
  /**
   * The generated JS of every specialisation compiled so far (one per dtypes, dims, layout);
   * before the first call, the float64 C-order specialisation.
   */
  inspect(): string;
}
