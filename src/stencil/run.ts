/**
 * Runs a validated stencil call: orders the loop axes, classifies the memory layout, picks
 * (or compiles) the loop for that specialisation and hands it flat arrays of extents,
 * strides and interior bounds.
 */
import { castScalar, dtypeOf, type NdArray, sizeOf } from '../core/array.js';
import type { DType, TypedArray } from '../core/dtypes.js';
import { targetFor } from '../targets/registry.js';
import type { Layout, LoopSpec } from './codegen.js';
import type { StencilCore, Typing } from './dispatcher.js';
import type { Boundary } from './types.js';
import { interiorOnWasm, wasmStencilPlan } from './wasm.js';

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
  const D = all.map((x) => x.data);
  const P = all.map((x) => x.offset);
  const target = targetFor(core.target);
  if (target.workersFor?.(core, core.name, sizeOf(shape))) {
    // The workers run the body of the loop compiled under `key`; on the heap, the interior
    // of each row band on wasm and its border rows with the loop compiled under `border`.
    core.loop(key, spec(false));
    const wasm = wasmStencilPlan(r, perm, D as TypedArray[], P, N, S, R, A, true);
    const border = `${key}|border`;
    if (wasm) core.loop(border, spec(true));
    const onWasm = wasm && { plan: wasm, borderKey: border };
    if (target.runStencilLoop?.(core, key, D as TypedArray[], P, N, S, R, A, C, onWasm)) return;
  }
  // On the calling thread (a call the workers do not take runs like a `cpu` call).
  if (interiorOnWasm(r, perm, D as TypedArray[], P, N, S, R, A)) {
    // The interior ran on wasm; the border bands stay on the JS loop.
    core.loop(`${key}|border`, spec(true))(D, P, N, S, R, A, C);
    return;
  }
  core.loop(key, spec(false))(D, P, N, S, R, A, C);
}
