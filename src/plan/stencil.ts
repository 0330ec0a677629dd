/**
 * What the stencil kind hands a target: the neighborhood of a kernel, its `rel` reads, and
 * the compiled loop's source. Targets import these types; the kind produces them.
 */
import type { TypedKernel } from '../compiler/ir.js';
import type { NdArray } from '../core/array.js';
import type { DType, TypedArray } from '../core/dtypes.js';
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

/** A compiled stencil loop, called with the call's arrays (see {@link StencilLoopCall}). */
export type StencilLoopFn = (
  D: readonly ArrayLike<number>[],
  P: readonly number[],
  N: readonly number[],
  S: readonly number[],
  R: readonly number[],
  A: readonly number[],
  C: readonly number[],
) => void;

/**
 * A planned stencil call, as a target that runs loops takes it (`Target.runStencil`): the
 * kind's compiled JS loops and their arguments, and what the wasm engine needs to run the
 * interior band. The target chooses the engine and, with workers, the row bands.
 */
export interface StencilLoopCall {
  /** The compiled stencil: owner of the loops, and their sources by key. */
  readonly core: StencilLoopSource;
  readonly name: string;
  /** Cells of the output. */
  readonly elements: number;
  /** Layout key of the whole JS loop, and of the one generated without its interior. */
  readonly key: string;
  readonly borderKey: string;
  /** The JS loop (compiled on first use): the whole one, or with `border` only the border bands. */
  jsLoop(border: boolean): StencilLoopFn;
  /** The kernel typed for the wasm engine (with a wrap after every integer operation). */
  readonly wasmTyped: TypedKernel;
  /** The interior as the wasm engine takes it. */
  wasmPlan(): WasmStencilPlan;
  /** Inputs, then the output. */
  readonly D: TypedArray[];
  readonly P: number[];
  readonly N: number[];
  readonly S: number[];
  /** Interior `[b, e)` per level. */
  readonly R: number[];
  /** Number parameters. */
  readonly A: number[];
  /** cval per input, the fill value and whether to write it. */
  readonly C: number[];
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

/**
 * The interior of a stencil call as the wasm engine runs it: the band of cells where no
 * read leaves the array (so every read is a load at a constant delta from the cell), over
 * operands that live on the numbats heap. Everything is in elements; levels are the loop's
 * axes, outermost first (the `cpu` loop's order).
 */
export interface WasmStencilPlan {
  /** The kernel typed with integer wraps after every operation (not the deferred-wrap form). */
  readonly typed: TypedKernel;
  /** The distinct reads of the kernel (`rel` data), in a fixed order per kernel. */
  readonly sites: readonly RelData[];
  /** Array operand of each accessor parameter. */
  readonly operandOf: ReadonlyMap<number, number>;
  /** Index into `A` of each number parameter. */
  readonly scalarOf: ReadonlyMap<number, number>;
  /** Dtypes of the array inputs, then the output. */
  readonly dtypes: readonly DType[];
  readonly nin: number;
  /** Axis of each loop level. */
  readonly perm: readonly number[];
  /** Data of the inputs, then the output. */
  readonly D: readonly TypedArray[];
  /** Start offsets. */
  readonly P: readonly number[];
  /** Extent per level. */
  readonly N: readonly number[];
  /** Strides per operand and level, flattened `[operand][level]`. */
  readonly S: readonly number[];
  /** Interior `[b, e)` per level, flattened. */
  readonly R: readonly number[];
  /** Values of the number parameters. */
  readonly A: readonly number[];
}

/**
 * A `parallel` stencil call over heap operands: each worker's row band runs the interior
 * with the wasm module of `plan` (cut to the band) and its border rows with the JS loop
 * compiled under `borderKey` (generated without its interior).
 */
export interface StencilOnWasm {
  readonly plan: WasmStencilPlan;
  readonly borderKey: string;
}
