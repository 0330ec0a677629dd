/**
 * A `prange` loop of a compiled `jit` function as the `parallel` target runs it: the loop's
 * worker-side source, its iteration range, and what its chunks read and write. The `jit`
 * kind builds it (`jit/parallel.ts`); `targets/parallel/range.ts` cuts and posts it.
 */
import type { TypedArray } from '../core/dtypes.js';

/** One parallel loop site of a compiled version. */
export interface RangeSite {
  /** The compiled version (owner of the worker-side loop source). */
  readonly owner: object;
  /** The loop's index among the version's parallel loops. */
  readonly loop: number;
  /** The body holds a loop: an iteration counts as much more than one element. */
  readonly heavy: boolean;
  /** Reduction variables (each chunk writes one partial per variable). */
  readonly nred: number;
  /** How many of the arrays (the last ones) the loop writes. */
  readonly written: number;
  /** The factory body the workers compile: `(H, B, F) => chunk`. */
  readonly src: string;
}

/** One run of a parallel loop. */
export interface RangeCall {
  readonly site: RangeSite;
  readonly start: number;
  readonly stop: number;
  readonly step: number;
  /** The arrays the body reads, then those it writes. */
  readonly data: readonly TypedArray[];
  /** Scalar values the body reads. */
  readonly sc: readonly number[];
  /** The reductions' starting values. */
  readonly red: readonly number[];
  /** Records which path the run took and why (the kind's diagnostics). */
  note(path: 'workers' | 'inline', reason: string): void;
}
