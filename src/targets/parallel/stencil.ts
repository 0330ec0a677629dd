/**
 * Stencils on the `parallel` target: the outermost loop level is cut into row bands, one
 * per worker. Each band runs the `cpu` loop with the band appended to its bounds array `R`
 * (the loop then visits only those rows, still reading neighbours and applying the
 * boundary mode against the whole array), so every worker handles the border rows that
 * fall in its own band and the result is identical to `cpu`. With every operand on the
 * numbats heap, each band's interior runs the `cpu` target's wasm module instead and its
 * border rows the JS loop generated without the interior (./stencil-wasm.ts).
 */

import type { TypedArray } from '../../core/dtypes.js';
import type { StencilLoopCall, StencilLoopSource, StencilOnWasm } from '../../plan/stencil.js';
import { runStencilInline, wasmInterior } from '../cpu/stencil.js';
import { decideWorkers, declined } from './last-call.js';
import { type Chunk, dispatch, loopRef } from './map.js';
import { poolSize } from './pool.js';
import { chunkRanges, touchedRange } from './split.js';
import { stencilWasmJob } from './stencil-wasm.js';

/**
 * The `parallel` target's `runStencil`: a call large enough for the workers runs over row
 * bands (wasm interiors when every operand is on the heap); one the pool does not take, or
 * that cannot be cut, runs on the calling thread as on `cpu`.
 */
export function runStencilOnPool(call: StencilLoopCall): void {
  if (decideWorkers(call.core, call.name, call.elements)) {
    // The workers compile the body of the loop compiled here under `key`; on the heap, each
    // row band's interior runs on wasm and its border rows with the loop under `borderKey`.
    call.jsLoop(false);
    const wasm = wasmInterior(call, true);
    if (wasm) call.jsLoop(true);
    const onWasm = wasm && { plan: wasm, borderKey: call.borderKey };
    const { D, P, N, S, R, A, C } = call;
    if (runStencilParallel(call.core, call.key, D, P, N, S, R, A, C, onWasm)) return;
  }
  runStencilInline(call);
}

/** Runs a compiled stencil loop over row bands; false when there is nothing to split. */
function runStencilParallel(
  core: StencilLoopSource,
  key: string,
  D: TypedArray[],
  P: number[],
  N: number[],
  S: number[],
  R: number[],
  A: number[],
  C: number[],
  wasm?: StencilOnWasm,
): boolean {
  const nd = N.length;
  if (nd === 0 || N[0] < 2) return declined('the outermost axis has fewer than 2 rows');
  const bands = chunkRanges(N[0]);
  // Every operand may be touched anywhere in its extent (neighbours, boundary remaps).
  const { lo, hi } = touchedRange(P, N, S);
  const jsLoop = (k: string) =>
    loopRef(
      core,
      k,
      () => `'use strict';return function numbatsStencil(D,P,N,S,R,A,C){\n${core.loopSource(k)}\n}`,
    );
  if (wasm) {
    const job = stencilWasmJob(jsLoop, wasm, bands, poolSize(), { P, N, S, R, A, C });
    if (typeof job !== 'string') {
      dispatch(D, lo, hi, D.length - 1, 1, job.chunks, job);
      return true;
    }
  }
  const ref = jsLoop(key);
  const chunks: Chunk[] = bands.map(([lo, hi]) => ({
    ref,
    P,
    args: [N, S, [...R.slice(0, 2 * nd), lo, hi], A, C],
  }));
  dispatch(D, lo, hi, D.length - 1, 1, chunks);
  return true;
}
