/**
 * The stencil kind's door to the wasm engine: under the `cpu` target, a call whose inputs
 * and output all live on the numbats heap runs its interior band as a WebAssembly loop
 * (targets/wasm/stencil.ts); the caller then runs the JS loop generated without its
 * interior for the border bands. Under `parallel` the same plan goes to the target, whose
 * workers run the module over their row bands.
 */
import { dtypeOf, sizeOf } from '../core/array.js';
import type { TypedArray } from '../core/dtypes.js';
import { existingHeap } from '../core/heap.js';
import type { WasmStencilPlan } from '../plan/stencil.js';
import { engineOffReason } from '../targets/wasm/compile.js';
import { wasmConfig } from '../targets/wasm/map.js';
import { noteJsStencil, recordStencilPath, runWasmStencil } from '../targets/wasm/stencil.js';
import type { StencilRun } from './run.js';

/**
 * The wasm engine's plan of the call's interior, or undefined when the call stays on the JS
 * loop before any operand is looked at (a small call, the engine or the heap off; the
 * latter recorded for `inspect()`). `perm`, `D`, `P`, `N`, `S`, `R`, `A` are the JS loop's
 * arguments for the same call; `onWorkers`: the plan is for the `parallel` workers.
 */
export function wasmStencilPlan(
  r: StencilRun,
  perm: readonly number[],
  D: readonly TypedArray[],
  P: readonly number[],
  N: readonly number[],
  S: readonly number[],
  R: readonly number[],
  A: readonly number[],
  onWorkers = false,
): WasmStencilPlan | undefined {
  // Small calls take the JS loop without a word (recording it would cost them time).
  if (sizeOf(r.result.shape) < wasmConfig.minElements) return undefined;
  if (!wasmConfig.enabled || existingHeap() === undefined) {
    if (onWorkers) recordStencilPath(r.typing.wrapped, `js on the workers: ${engineOffReason()}`);
    else noteJsStencil(r.typing.wrapped, engineOffReason());
    return undefined;
  }
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

/** Runs the interior of a `cpu` call on wasm when it can (see the module comment); true when it did. */
export function interiorOnWasm(
  r: StencilRun,
  perm: readonly number[],
  D: readonly TypedArray[],
  P: readonly number[],
  N: readonly number[],
  S: readonly number[],
  R: readonly number[],
  A: readonly number[],
): boolean {
  const plan = wasmStencilPlan(r, perm, D, P, N, S, R, A);
  return plan !== undefined && runWasmStencil(plan);
}
