/**
 * Runs a compiled kernel elementwise over broadcast operands: plans the layout, picks
 * (or generates) the loop for it, and calls it. Every ufunc method ends up here, so the
 * per-call work is kept small: C-contiguous operands of the full shape skip layout
 * planning, and loops are looked up by a short string key.
 */
import { dtypeOf, type NdArray } from '../core/array.js';
import { broadcastStrides } from '../core/broadcast.js';
import { DTYPES, type DType, type TypedArray } from '../core/dtypes.js';
import { planLayout } from '../core/layout.js';
import type { LoopSpec } from '../targets/cpu/loops.js';
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
  /** Input 0 is output 0 one step back along some axis (accumulate). */
  readonly scan?: boolean;
}

const CODE: Record<DType, string> = Object.fromEntries(
  DTYPES.map((d, i) => [d, String.fromCharCode(65 + i)]),
) as Record<DType, string>;

/** True when `a` has exactly `shape` and C-order strides (size-1 dims may have any stride). */
function isFullC(a: NdArray, shape: readonly number[]): boolean {
  const s = a.shape;
  if (s.length !== shape.length) return false;
  let expect = 1;
  for (let i = s.length - 1; i >= 0; i--) {
    const d = s[i];
    if (d !== shape[i]) return false;
    if (d !== 1 && a.stride[i] !== expect) return false;
    expect *= d;
  }
  return true;
}

/** Runs `k` over the operands. Callers have validated shapes, dtypes and overlap. */
export function runMap(k: CompiledKernel, ops: MapOperands): void {
  const { inputs, outputs, mask, shape } = ops;
  const nin = inputs.length;
  const arrays: NdArray[] = mask ? [...inputs, ...outputs, mask] : [...inputs, ...outputs];
  const nops = arrays.length;
  const D: TypedArray[] = new Array(nops);
  const P: number[] = new Array(nops);
  let key = '';
  let flat = !ops.outStrides && !ops.scan;
  let zero = true;
  for (let i = 0; i < nops; i++) {
    const a = arrays[i];
    D[i] = a.data as TypedArray;
    P[i] = a.offset;
    if (a.offset !== 0) zero = false;
    key += CODE[dtypeOf(a)];
    if (flat && !isFullC(a, shape)) flat = false;
  }
  if (mask) key += 'm';
  if (flat) {
    let n = 1;
    for (let i = 0; i < shape.length; i++) n *= shape[i];
    if (n === 0) return;
    key += zero ? '|cz' : '|c';
    const loop = k.loopByKey(key, () =>
      specOf(k, inputs, outputs, 1, true, zero, !!mask, false, [], [], false),
    );
    loop(D, P, [n], EMPTY);
    return;
  }
  const strides = arrays.map((a, i) => {
    const o = i - nin;
    if (o >= 0 && o < outputs.length && ops.outStrides) return ops.outStrides[o] as number[];
    return broadcastStrides(a.shape, a.stride, shape);
  });
  const layout = planLayout(shape, strides);
  if (layout.size === 0) return;
  const nd = layout.shape.length;
  if (nd === 0) {
    // A single element: a one-iteration flat loop.
    key += '|1';
    const loop = k.loopByKey(key, () =>
      specOf(k, inputs, outputs, 1, true, false, !!mask, !!ops.accumulate, [], [], false),
    );
    loop(D, P, ONE, EMPTY);
    return;
  }
  const innerZero = layout.strides.map((s) => s[nd - 1] === 0);
  const innerOne = layout.strides.map((s) => s[nd - 1] === 1);
  // A scan keeps its running value in a register when the innermost loop walks the scan
  // axis: output 0 is then exactly one inner step ahead of input 0.
  const step = layout.strides[nin][nd - 1];
  const scan =
    !!ops.scan && step !== 0 && layout.strides[0][nd - 1] === step && P[nin] - P[0] === step;
  const contiguous = layout.contiguous && !scan;
  const z = contiguous && zero;
  key += `|${nd}${contiguous ? (z ? 'cz' : 'c') : 's'}${ops.accumulate ? 'a' : ''}${scan ? 'S' : ''}`;
  if (!contiguous)
    for (let i = 0; i < nops; i++) key += innerZero[i] ? '0' : innerOne[i] ? '1' : 'n';
  const loop = k.loopByKey(key, () =>
    specOf(
      k,
      inputs,
      outputs,
      nd,
      contiguous,
      z,
      !!mask,
      !!ops.accumulate,
      innerZero,
      innerOne,
      scan,
    ),
  );
  const S: number[] = [];
  for (const s of layout.strides) for (const v of s) S.push(v);
  loop(D, P, layout.shape, S);
}

const EMPTY: number[] = [];
const ONE: number[] = [1];

function specOf(
  k: CompiledKernel,
  inputs: readonly NdArray[],
  outputs: readonly NdArray[],
  ndim: number,
  contiguous: boolean,
  zeroOffsets: boolean,
  hasMask: boolean,
  accumulate: boolean,
  innerZero: boolean[],
  innerOne: boolean[],
  scan: boolean,
): Omit<LoopSpec, 'kernel'> {
  return {
    inArrays: inputs.map(dtypeOf),
    inKernel: k.inTypes,
    outArrays: outputs.map(dtypeOf),
    outKernel: k.outTypes,
    ndim,
    contiguous,
    zeroOffsets,
    hasMask,
    accumulate: accumulate && !contiguous,
    innerZero: contiguous ? [] : innerZero,
    innerOne: contiguous ? [] : innerOne,
    scan,
  };
}
