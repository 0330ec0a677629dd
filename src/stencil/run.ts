/**
 * Plans a validated stencil call: orders the loop axes, classifies the memory layout, and
 * hands the target the call (`StencilLoopCall`): flat arrays of extents, strides and
 * interior bounds, the loops for that specialisation (compiled on first use) and the
 * interior as the wasm engine takes it. The target chooses the engine and the split.
 */
import { castScalar, dtypeOf, type NdArray, sizeOf } from '../core/array.js';
import type { DType, TypedArray } from '../core/dtypes.js';
import type { StencilLoopCall, WasmStencilPlan } from '../plan/stencil.js';
import { CPU, targetFor } from '../targets/registry.js';
import type { Layout, LoopSpec } from './codegen.js';
import type { StencilCore, Typing } from './dispatcher.js';
import type { Boundary } from './types.js';

/** A call's operands after validation. */
export interface StencilRun {
  readonly typing: Typing;
  /** Every argument: arrays (accessor parameters) and numbers. */
  readonly ops: readonly ({ kind: 'array' } | { kind: 'scalar'; v: number })[];
  /** The array inputs (overlap with the output already copied away). */
  readonly arrays: readonly NdArray[];
  /** Kernel parameter of each array input. */
  readonly arrayParams: readonly number[];
  readonly result: NdArray;
  readonly outDtype: DType;
  readonly modes: readonly Boundary[];
  readonly cval: number;
  /** The output is new: 'skip' cells get `cval` (nothing to do when it is 0). */
  readonly fill: boolean;
}

/** Loop order: length-1 axes outermost, then the largest strides outermost (stable). */
function axisOrder(shape: readonly number[], arrays: readonly NdArray[]): number[] {
  const weight = (a: number) => {
    let w = 0;
    for (const x of arrays) w += Math.abs(x.stride[a]);
    return w;
  };
  return shape
    .map((n, a) => ({ a, one: n === 1, w: weight(a) }))
    .sort((x, y) => Number(y.one) - Number(x.one) || y.w - x.w || x.a - y.a)
    .map((x) => x.a);
}

/** The layout class of the operands (strides compared on axes longer than 1). */
function layoutOf(all: readonly NdArray[], perm: readonly number[]): Layout {
  const first = all[0];
  const n = first.shape;
  const shared =
    perm.length > 0 &&
    all.every((x) => x.stride.every((s, a) => n[a] === 1 || s === first.stride[a]));
  const inner = perm[perm.length - 1];
  return {
    shared,
    sameOffsets: all.every((x) => x.offset === first.offset),
    unit: shared && (n[inner] === 1 || first.stride[inner] === 1),
  };
}

export function runStencil(core: StencilCore, r: StencilRun): void {
  const { arrays, result, outDtype, typing } = r;
  const shape = result.shape;
  const nd = shape.length;
  const all = [...arrays, result];
  const perm = axisOrder(shape, all);
  const extents = core.extentsFor(nd);
  const layout = layoutOf(all, perm);
  const A: number[] = [];
  for (const op of r.ops) if (op.kind === 'scalar') A.push(op.v);
  const key = `${typing.typed.paramTypes.join(',')}>${outDtype}|${perm.join(',')}|${+layout.shared}${+layout.sameOffsets}${+layout.unit}`;
  const spec = (borderOnly: boolean) => (): LoopSpec => {
    const scalarOf = new Map<number, number>();
    r.ops.forEach((op, p) => {
      if (op.kind === 'scalar') scalarOf.set(p, scalarOf.size);
    });
    return {
      name: core.name,
      typed: typing.typed,
      sites: typing.sites,
      operandOf: new Map(r.arrayParams.map((p, o) => [p, o])),
      nin: arrays.length,
      scalarOf,
      outDtype,
      nd,
      perm,
      modes: r.modes,
      neighborhood: extents,
      layout,
      ...(borderOnly ? { borderOnly } : {}),
    };
  };

  const N: number[] = [];
  const R: number[] = [];
  const S: number[] = [];
  for (const a of perm) {
    const n = shape[a];
    const [lo, hi] = extents[a];
    const b = Math.min(n, Math.max(0, -lo));
    N.push(n);
    R.push(b, Math.max(b, n - Math.max(0, hi)));
  }
  for (const x of all) for (const a of perm) S.push(x.stride[a]);
  const fill = castScalar(r.cval, outDtype);
  // cval as each input holds it ('constant'), then the fill value and whether to write it ('skip').
  const C = arrays.map((a) => castScalar(r.cval, dtypeOf(a)));
  C.push(fill, r.fill && !Object.is(fill, 0) ? 1 : 0);
  const D = all.map((x) => x.data as TypedArray);
  const P = all.map((x) => x.offset);
  const borderKey = `${key}|border`;
  const call: StencilLoopCall = {
    core,
    name: core.name,
    elements: sizeOf(shape),
    key,
    borderKey,
    jsLoop: (border) => core.loop(border ? borderKey : key, spec(border)),
    wasmTyped: typing.wrapped,
    wasmPlan: () => wasmStencilPlan(r, perm, D, P, N, S, R, A),
    D,
    P,
    N,
    S,
    R,
    A,
    C,
  };
  const target = targetFor(core.target);
  (target.runStencil ?? CPU.runStencil!)(call);
}

/**
 * The call's interior as the wasm engine takes it (`perm`, `D`, …, `A`: the JS loop's
 * arguments for the same call).
 */
function wasmStencilPlan(
  r: StencilRun,
  perm: readonly number[],
  D: readonly TypedArray[],
  P: readonly number[],
  N: readonly number[],
  S: readonly number[],
  R: readonly number[],
  A: readonly number[],
): WasmStencilPlan {
  const scalarOf = new Map<number, number>();
  r.ops.forEach((op, p) => {
    if (op.kind === 'scalar') scalarOf.set(p, scalarOf.size);
  });
  return {
    typed: r.typing.wrapped,
    sites: r.typing.sites.map((s) => s.data),
    operandOf: new Map(r.arrayParams.map((p, o) => [p, o])),
    scalarOf,
    dtypes: [...r.arrays.map((a) => dtypeOf(a)), r.outDtype],
    nin: r.arrays.length,
    perm,
    D,
    P,
    N,
    S,
    R,
    A,
  };
}
