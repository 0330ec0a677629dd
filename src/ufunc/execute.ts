/**
 * Runs a compiled kernel elementwise over broadcast operands: plans the layout, picks
 * (or generates) the loop for it, and calls it. Every ufunc method ends up here.
 */
import { dtypeOf, type NdArray } from '../core/array.js';
import { broadcastStrides } from '../core/broadcast.js';
import type { DType, TypedArray } from '../core/dtypes.js';
import { planLayout } from '../core/layout.js';
import type { CompiledKernel } from './kernel.js';

export interface MapOperands {
  /** Input arrays, each broadcastable to `shape`. */
  readonly inputs: readonly NdArray[];
  /** Output arrays of exactly `shape` (or, for reductions, with stride 0 on reduced dims). */
  readonly outputs: readonly NdArray[];
  /** Explicit strides for outputs (reductions pass stride-0 views); defaults to their own. */
  readonly outStrides?: readonly (readonly number[])[];
  readonly mask?: NdArray;
  /** The iteration shape. */
  readonly shape: readonly number[];
  /** Input 0 is output 0's accumulator (reductions). */
  readonly accumulate?: boolean;
}

/** Runs `k` over the operands. Callers have validated shapes, dtypes and overlap. */
export function runMap(k: CompiledKernel, ops: MapOperands): void {
  const { inputs, outputs, mask, shape } = ops;
  const arrays: NdArray[] = [...inputs, ...outputs];
  if (mask) arrays.push(mask);
  const strides = arrays.map((a, i) => {
    const o = i - inputs.length;
    if (o >= 0 && o < outputs.length && ops.outStrides) return ops.outStrides[o] as number[];
    return broadcastStrides(a.shape, a.stride, shape);
  });
  const layout = planLayout(shape, strides);
  if (layout.size === 0) return;
  const nd = layout.shape.length;
  const D: TypedArray[] = arrays.map((a) => a.data as TypedArray);
  const P: number[] = arrays.map((a) => a.offset);
  if (nd === 0) {
    // A single element: a one-iteration flat loop.
    const loop = k.loop(
      spec(
        k,
        inputs,
        outputs,
        1,
        true,
        P.every((p) => p === 0),
        !!mask,
        !!ops.accumulate,
        [],
      ),
    );
    loop(D, P, [1], []);
    return;
  }
  const innerZero = layout.strides.map((s) => s[nd - 1] === 0);
  const zero = layout.contiguous && P.every((p) => p === 0);
  const loop = k.loop(
    spec(k, inputs, outputs, nd, layout.contiguous, zero, !!mask, !!ops.accumulate, innerZero),
  );
  const S: number[] = [];
  for (const s of layout.strides) for (const v of s) S.push(v);
  loop(D, P, layout.shape, S);
}

function spec(
  k: CompiledKernel,
  inputs: readonly NdArray[],
  outputs: readonly NdArray[],
  ndim: number,
  contiguous: boolean,
  zeroOffsets: boolean,
  hasMask: boolean,
  accumulate: boolean,
  innerZero: boolean[],
) {
  return {
    inArrays: inputs.map(dtypeOf) as DType[],
    inKernel: k.inTypes,
    outArrays: outputs.map(dtypeOf) as DType[],
    outKernel: k.outTypes,
    ndim,
    contiguous,
    zeroOffsets,
    hasMask,
    accumulate: accumulate && !contiguous,
    innerZero: contiguous ? [] : innerZero,
  };
}
