/**
 * What the stencil kind hands a target: the neighborhood of a kernel, its `rel` reads, and
 * the compiled loop's source. Targets import these types; the kind produces them.
 */
import type { TypedKernel } from '../compiler/ir.js';
import type { NdArray } from '../core/array.js';
import type { Boundary } from './boundary.js';

/** `[lo, hi]`: the smallest and largest offset a kernel reads along one axis. */
export type Extent = readonly [number, number];

/** What a `rel` node carries: the parameter read and one offset per axis (null: computed). */
export interface RelData {
  readonly param: number;
  readonly offsets: readonly (number | null)[];
}

declare module '../compiler/ir.js' {
  interface ExtPayloads {
    /** `u(-1, 0)`: a neighbor read of a stencil's accessor parameter. */
    rel: RelData;
  }
}

/** A compiled stencil as a target runs it: the body of its `cpu` loop for a layout key. */
export interface StencilLoopSource {
  loopSource(key: string): string;
}

/** A whole stencil call, for a target that runs calls itself instead of the `cpu` loops (`gpu`). */
export interface StencilCallPlan {
  readonly typed: TypedKernel;
  readonly arrays: readonly NdArray[];
  readonly arrayParams: readonly number[];
  /** Every parameter's value when it is a number (undefined for arrays). */
  readonly scalars: readonly (number | undefined)[];
  readonly result: NdArray;
  readonly modes: readonly Boundary[];
  readonly extents: readonly Extent[];
  readonly cval: number;
  /** The output is new (skipped cells get cval) rather than a given `out` (they keep their value). */
  readonly fill: boolean;
}
