/**
 * The spec of an elementwise loop (a ufunc call, a reduction, a scan): operand dtypes, the
 * layout class and the kernel. The ufunc kind builds its loop nest from it
 * (`ufunc/loop-nest.ts`), the `cpu` target compiles the nest (`targets/cpu/loops.ts`) and the
 * `parallel` target runs that loop in chunks.
 */
import type { TypedKernel } from '../compiler/ir.js';
import type { DType } from '../core/dtypes.js';

/** The kernel a loop inlines. */
export interface LoopKernel {
  readonly typed: TypedKernel;
  /** The kernel reads free variables: the loop calls the user's function per element. */
  readonly callsFunction: boolean;
}

export interface LoopSpec {
  /** dtypes of the input arrays. */
  readonly inArrays: readonly DType[];
  /** Types the kernel's parameters expect. */
  readonly inKernel: readonly DType[];
  /** dtypes of the output arrays. */
  readonly outArrays: readonly DType[];
  /** Types the kernel produces. */
  readonly outKernel: readonly DType[];
  readonly kernel: LoopKernel;
  /** Number of loop dims (after layout planning). */
  readonly ndim: number;
  /** Flat loop with stride 1 for every operand. */
  readonly contiguous: boolean;
  /** Contiguous and every offset is 0 (plain `a[i]` indexing). */
  readonly zeroOffsets: boolean;
  readonly hasMask: boolean;
  /**
   * Reduction: input 0 is output 0 (the accumulator). When output 0's innermost stride is 0
   * the accumulator stays in a register through the inner loop.
   */
  readonly accumulate: boolean;
  /** Per operand: innermost stride is 0 (value hoisted out of the inner loop). */
  readonly innerZero: readonly boolean[];
  /** Per operand: innermost stride is 1 (indexed as base + i). */
  readonly innerOne: readonly boolean[];
  /** Per operand: stride 1 inside, 0 outside, offset 0 — indexed by the inner counter alone. */
  readonly innerBase0?: readonly boolean[];
  /**
   * Scan along the innermost dim (accumulate): input 0 is output 0 one step back, so the
   * previous result is carried in a register instead of being read back from memory.
   */
  readonly scan: boolean;
  /**
   * Reduction of a reorderable kernel (T, T) -> T whose accumulator stays in a register
   * through the inner loop: the inner run is reduced by pairwise summation, NumPy's
   * algorithm (8 interleaved accumulators over blocks of up to 128 elements, halves
   * combined recursively), so float rounding error grows like log n instead of n.
   */
  readonly pairwise?: boolean;
}
