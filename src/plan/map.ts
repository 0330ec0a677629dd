/**
 * An elementwise loop call as a kind plans it (src/ufunc/execute.ts `planMap`) and a target
 * runs it: the operands' data, offsets, extents and strides, plus what is needed to build
 * its loop spec. Targets import these types; the kind produces them.
 */
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
  /** Source of the kernel's loop for a spec. */
  source(spec: Omit<LoopSpec, 'kernel'>): string;
  /** The kernel as a plain function of typed scalars returning output 0. */
  scalarFn(): (...args: number[]) => number;
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
