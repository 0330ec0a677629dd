/**
 * The stencil kind's door to the wasm engine: under the `cpu` target, a call whose inputs
 * and output all live on the numbats heap runs its interior band as a WebAssembly loop
 * (targets/wasm/stencil.ts); the caller then runs the JS loop generated without its
 * interior for the border bands.
 */
import { dtypeOf, sizeOf } from '../core/array.js';
import type { TypedArray } from '../core/dtypes.js';
import { existingHeap } from '../core/heap.js';
import { engineOffReason } from '../targets/wasm/compile.js';
import { wasmConfig } from '../targets/wasm/map.js';
import { noteJsStencil, runWasmStencil } from '../targets/wasm/stencil.js';
import type { StencilRun } from './run.js';

/**
 * Runs the interior of the call on wasm when it can (see the module comment); true when it
 * did. `perm`, `D`, `P`, `N`, `S`, `R`, `A` are the JS loop's arguments for the same call.
 */
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
  // Small calls take the JS loop without a word (recording it would cost them time).
  if (sizeOf(r.result.shape) < wasmConfig.minElements) return false;
  if (!wasmConfig.enabled || existingHeap() === undefined) {
    noteJsStencil(r.typing.wrapped, engineOffReason());
    return false;
  }
  const typed = r.typing.wrapped;
  const scalarOf = new Map<number, number>();
  r.ops.forEach((op, p) => {
    if (op.kind === 'scalar') scalarOf.set(p, scalarOf.size);
  });
  return runWasmStencil({
    typed,
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
  });
}
