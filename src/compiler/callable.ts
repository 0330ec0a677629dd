/**
 * How one kind's kernels are called by another's: a ufunc marks itself with
 * `SCALAR_KERNEL`, so a kernel given `functions: { hypot }` compiles `hypot(x, y)` on
 * numbers into its own code instead of going through temporary arrays.
 */
import type { DType } from '../core/dtypes.js';

/** The property under which a ufunc exposes its scalar kernel. */
export const SCALAR_KERNEL = Symbol.for('numbats.scalarKernel');

/** A ufunc's kernel as a function of typed numbers. */
export interface ScalarKernelSource {
  readonly nin: number;
  readonly nout: number;
  /** The kernel's version for these input dtypes: a function of numbers returning output 0. */
  scalar(inTypes: readonly DType[]): {
    readonly fn: (...args: number[]) => number;
    readonly inTypes: readonly DType[];
    readonly outType: DType;
  };
}
