/**
 * An elementwise loop call as a kind plans it (src/ufunc/execute.ts `planMap`) and a target
 * runs it: the operands' data, offsets, extents and strides, plus what is needed to build
 * its loop spec. Targets import these types; the kind produces them.
 */
import type { TypedKernel } from '../compiler/ir.js';
import type { NdArray } from '../core/array.js';
import type { DType, TypedArray } from '../core/dtypes.js';
import type { LoopSpec } from './loop-spec.js';

/** A whole elementwise call, for a target that runs it itself (`gpu`). */
export interface MapCallOperands {
  readonly inputs: readonly NdArray[];
  readonly outputs: readonly NdArray[];
  readonly mask?: NdArray;
  readonly shape: readonly number[];
}

/** What a target needs of a compiled ufunc kernel (ufunc/kernel.ts `CompiledKernel`). */
export interface MapKernel {
  readonly inTypes: readonly DType[];
  readonly outTypes: readonly DType[];
  /** The kernel's typed IR (what the wasm engine lowers). */
  readonly typed: TypedKernel;
  /** The kernel reads free variables: its loops call the user's function per element. */
  readonly callsFunction: boolean;
  /** The JS loop of a plan, compiled once per plan key. */
  loop(plan: MapPlan): MapLoop;
  /** Source of the kernel's loop for a spec. */
  source(spec: Omit<LoopSpec, 'kernel'>): string;
  /** The kernel as a plain function of typed scalars returning output 0. */
  scalarFn(): (...args: number[]) => number;
}

/** A compiled elementwise loop, called with the plan's (D, P, N, S). */
export type MapLoop = (
  D: readonly ArrayLike<number>[],
  P: readonly number[],
  N: readonly number[],
  S: readonly number[],
) => void;

/** What the whole call is, whatever loop form its plan took (what the wasm engine needs). */
export interface MapCallFlags {
  /** A reduction: input 0 is output 0, the accumulator. */
  readonly accumulate: boolean;
  /** The ufunc has an identity: a reduction may combine elements in another order. */
  readonly reorderable: boolean;
  /** Float runs of the reduction are summed pairwise, in NumPy's order. */
  readonly pairwise: boolean;
  /** An accumulate (scan). */
  readonly scan: boolean;
}

/** How a target may split a planned call (see `Target.runMap`). */
export interface MapSplit {
  /** The call was planned for chunks (the target's `splitsMap` said so). */
  readonly split: boolean;
  /** A scan, split along another axis than its own. */
  readonly scan?: ScanSplit;
  /** A reduction's numeric identity (reduces into one element through partials). */
  readonly identity?: number;
}

/** A loop call planned by `planMap` (src/ufunc/execute.ts). */
export interface MapPlan {
  key: string;
  /** Builds the loop spec (a plain function of the plan: plans hold no closures). */
  spec: (k: MapKernel, plan: MapPlan) => Omit<LoopSpec, 'kernel'>;
  /** What `spec` needs: the operands and the layout class. */
  inputs: readonly NdArray[];
  outputs: readonly NdArray[];
  ndim: number;
  contiguous: boolean;
  zeroOffsets: boolean;
  hasMask: boolean;
  accumulate: boolean;
  innerZero: boolean[];
  innerOne: boolean[];
  innerBase0: boolean[];
  scan: boolean;
  /** Inner runs reduced pairwise (LoopSpec.pairwise). */
  pairwise: boolean;
  D: TypedArray[];
  P: number[];
  N: number[];
  /** Flattened [op][dim] strides; empty for the flat contiguous loop (all strides 1). */
  S: number[];
  /** Operand count split: inputs, outputs (then an optional mask). */
  nin: number;
  nout: number;
  /** What the call is (the same for every plan of one call). */
  call: MapCallFlags;
}

/** How a scan (`accumulate`) is split: along an axis other than the scan axis. */
export interface ScanSplit {
  /** Arrays of the call (inputs, outputs, mask) in operand order, and the iteration shape. */
  arrays: readonly NdArray[];
  shape: readonly number[];
  axis: number;
  /** Re-plans the call over sub-views of the arrays. */
  plan: (arrays: NdArray[], shape: number[]) => MapPlan | null;
}
