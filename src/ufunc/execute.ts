/**
 * Runs a compiled kernel elementwise over broadcast operands: plans the layout, picks
 * (or generates) the loop for it, and calls it. Every ufunc method ends up here, so the
 * per-call work is kept small: C-contiguous operands of the full shape skip layout
 * planning, and loops are looked up by a short string key.
 */
import { dtypeOf, type NdArray, sizeOf } from '../core/array.js';
import { broadcastStrides } from '../core/broadcast.js';
import { DTYPES, type DType, type TypedArray } from '../core/dtypes.js';
import { planLayout } from '../core/layout.js';
import type { LoopSpec } from '../plan/loop-spec.js';
import type { MapCallFlags, MapKernel, MapPlan, MapSplit, ScanSplit } from '../plan/map.js';
import { CPU, type Target } from '../targets/registry.js';
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
  /** The scan's axis in `shape` (lets the `parallel` target split along the others). */
  readonly scanAxis?: number;
  /** The target running the call (its `runMap` chooses engine and split); default `cpu`. */
  readonly target?: Target;
  /**
   * A reduction's numeric identity (the ufunc is reorderable): lets the parallel target
   * reduce into one element through per-worker partials.
   */
  readonly identity?: number;
  /** Reduce inner runs pairwise (a reorderable kernel over floats; see LoopSpec.pairwise). */
  readonly pairwise?: boolean;
  /**
   * The ufunc is reorderable (its identity is not null): a reduction may combine elements in
   * another order than left to right (the wasm target's SIMD accumulators).
   */
  readonly reorderable?: boolean;
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

/**
 * Runs `k` over the operands: plans the call and hands the plan to the target, which
 * chooses the engine (wasm or the JS loop) and whether to split it. Callers have validated
 * shapes, dtypes and overlap.
 */
export function runMap(k: CompiledKernel, ops: MapOperands): void {
  const target = ops.target ?? CPU;
  const split = target.splitsMap?.(sizeOf(ops.shape)) === true;
  const plan = planMap(ops, split);
  if (!plan) return;
  // Calls that are not split share one answer object: a small call allocates nothing here.
  const how = split
    ? {
        split,
        scan: ops.scan && ops.scanAxis !== undefined ? scanSplit(ops) : undefined,
        identity: ops.identity,
      }
    : INLINE;
  (target.runMap ?? CPU.runMap!)(k, plan, how);
}

function scanSplit(ops: MapOperands): ScanSplit {
  const nin = ops.inputs.length;
  const nout = ops.outputs.length;
  const arrays = [...ops.inputs, ...ops.outputs];
  if (ops.mask) arrays.push(ops.mask);
  return {
    arrays,
    shape: ops.shape,
    axis: ops.scanAxis!,
    plan: (a, shape) =>
      planMap(
        {
          ...ops,
          inputs: a.slice(0, nin),
          outputs: a.slice(nin, nin + nout),
          mask: ops.mask ? a[nin + nout] : undefined,
          shape,
        },
        true,
      ),
  };
}

/**
 * Plans the loop call for `ops`: data, offsets, extents, strides and the loop's cache key
 * (null when there is nothing to do). `split` plans for the `parallel` target, whose
 * chunks move the offsets (so the zero-offset loop form is not used).
 */
export function planMap(ops: MapOperands, split = false): MapPlan | null {
  const { inputs, outputs, mask, shape } = ops;
  const call = callFlags(ops);
  const nin = inputs.length;
  const nout = outputs.length;
  const arrays: NdArray[] = mask ? [...inputs, ...outputs, mask] : [...inputs, ...outputs];
  const nops = arrays.length;
  const D: TypedArray[] = new Array(nops);
  const P: number[] = new Array(nops);
  let key = '';
  let flat = !ops.outStrides && !ops.scan;
  let zero = !split;
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
    if (n === 0) return null;
    key += zero ? '|cz' : '|c';
    return flatPlan(key, D, P, [n], ops, zero, false, call);
  }
  const strides = arrays.map((a, i) => {
    const o = i - nin;
    if (o >= 0 && o < outputs.length && ops.outStrides) return ops.outStrides[o] as number[];
    return broadcastStrides(a.shape, a.stride, shape);
  });
  const layout = planLayout(shape, strides);
  if (layout.size === 0) return null;
  const nd = layout.shape.length;
  if (nd === 0) {
    // A single element: a one-iteration flat loop.
    key += '|1';
    return flatPlan(key, D, P, ONE, ops, false, !!ops.accumulate, call);
  }
  const innerZero = layout.strides.map((s) => s[nd - 1] === 0);
  const innerOne = layout.strides.map((s) => s[nd - 1] === 1);
  // An operand that starts at 0 and only moves in the inner loop (a reduction's output row,
  // a broadcast row vector) is indexed by the inner counter alone, as a hand-written
  // `out[j] += a[base + j]` is. Needs an outer dim: splitting the only dim would move it.
  // Not for the parallel target (`split`), whose chunks may move any operand's start.
  const innerBase0 = layout.strides.map(
    (s, o) =>
      !split && nd >= 2 && innerOne[o] && P[o] === 0 && s.every((v, l) => l === nd - 1 || v === 0),
  );
  // A scan keeps its running value in a register when the innermost loop walks the scan
  // axis: output 0 is then exactly one inner step ahead of input 0.
  const step = layout.strides[nin][nd - 1];
  const scan =
    !!ops.scan && step !== 0 && layout.strides[0][nd - 1] === step && P[nin] - P[0] === step;
  const contiguous = layout.contiguous && !scan;
  const z = contiguous && zero;
  const pairwise = !!ops.pairwise && !!ops.accumulate && !mask;
  key += `|${nd}${contiguous ? (z ? 'cz' : 'c') : 's'}${ops.accumulate ? 'a' : ''}${scan ? 'S' : ''}${pairwise ? 'p' : ''}`;
  if (!contiguous)
    for (let i = 0; i < nops; i++) {
      key += innerZero[i] ? '0' : innerBase0[i] ? 'z' : innerOne[i] ? '1' : 'n';
    }
  const S: number[] = [];
  for (const s of layout.strides) for (const v of s) S.push(v);
  return {
    key,
    spec: specOfPlan,
    D,
    P,
    N: layout.shape,
    S,
    nin,
    nout,
    inputs,
    outputs,
    ndim: nd,
    contiguous,
    zeroOffsets: z,
    hasMask: !!mask,
    accumulate: !!ops.accumulate,
    innerZero,
    innerOne,
    innerBase0,
    scan,
    pairwise,
    call,
  };
}

const INLINE: MapSplit = { split: false };

/** Every combination of call flags, made once (plans share them). */
const FLAGS: MapCallFlags[] = Array.from({ length: 16 }, (_, b) => ({
  accumulate: (b & 1) !== 0,
  reorderable: (b & 2) !== 0,
  pairwise: (b & 4) !== 0,
  scan: (b & 8) !== 0,
}));

/** What the call is, for every plan of it. */
function callFlags(ops: MapOperands): MapCallFlags {
  const accumulate = !!ops.accumulate;
  const pairwise = !!ops.pairwise && accumulate && !ops.mask;
  return FLAGS[
    +accumulate | (+(ops.reorderable === true) << 1) | (+pairwise << 2) | (+!!ops.scan << 3)
  ];
}

/** A one-dim contiguous plan (the flat loop, or a single element). */
function flatPlan(
  key: string,
  D: TypedArray[],
  P: number[],
  N: number[],
  ops: MapOperands,
  zeroOffsets: boolean,
  accumulate: boolean,
  call: MapCallFlags,
): MapPlan {
  return {
    key,
    spec: specOfPlan,
    D,
    P,
    N,
    S: EMPTY,
    nin: ops.inputs.length,
    nout: ops.outputs.length,
    inputs: ops.inputs,
    outputs: ops.outputs,
    ndim: 1,
    contiguous: true,
    zeroOffsets,
    hasMask: !!ops.mask,
    accumulate,
    innerZero: EMPTY_FLAGS,
    innerOne: EMPTY_FLAGS,
    innerBase0: EMPTY_FLAGS,
    scan: false,
    pairwise: false,
    call,
  };
}

const EMPTY_FLAGS: boolean[] = [];

/** The loop spec of a plan (built only when its loop is not compiled yet). */
function specOfPlan(k: MapKernel, p: MapPlan): Omit<LoopSpec, 'kernel'> {
  return specOf(
    k,
    p.inputs,
    p.outputs,
    p.ndim,
    p.contiguous,
    p.zeroOffsets,
    p.hasMask,
    p.accumulate,
    p.innerZero,
    p.innerOne,
    p.scan,
    p.innerBase0,
    p.pairwise,
  );
}

const EMPTY: number[] = [];
const ONE: number[] = [1];

function specOf(
  k: MapKernel,
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
  innerBase0: boolean[] = [],
  pairwise = false,
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
    innerBase0: contiguous ? [] : innerBase0,
    scan,
    pairwise,
  };
}
