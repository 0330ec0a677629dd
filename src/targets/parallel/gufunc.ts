/**
 * guvectorize on the `parallel` target: the loop dims of the gufunc's `cpu` loop are split
 * like a ufunc's (chunks along a loop dim where no output repeats), each worker running
 * whole kernel calls (core dims are never split), so results equal `cpu`'s. With every
 * operand on the numbats heap the chunks run the `cpu` target's wasm gufunc module instead
 * (./gufunc-wasm.ts), where it needs no run-time index check.
 */

import { extent } from '../../core/array.js';
import type { GufuncLoopCall } from '../../plan/gufunc.js';
import { runGufuncInline } from '../cpu/gufunc.js';
import { gufuncWasmJob } from './gufunc-wasm.js';
import { declined } from './last-call.js';
import { type Chunk, dispatch, loopRef } from './map.js';
import { poolSize } from './pool.js';
import { chunkRanges, cutLoop, operandRange, splitDim } from './split.js';

/**
 * The `parallel` target's `runGufunc`: a call planned for the workers is cut along a loop
 * dim; one that was not, or that cannot be cut, runs on the calling thread as on `cpu`.
 */
export function runGufuncOnPool(call: GufuncLoopCall): void {
  if (call.split && runGufuncParallel(call)) return;
  runGufuncInline(call);
}

/**
 * Runs a planned gufunc call on the workers; false when no loop dim can be split. With
 * every operand on the heap the chunks run the wasm loop module (./gufunc-wasm.ts), else
 * the call's JS loop, whose source (the `cpu` loop's, built by the kind) is made once.
 */
function runGufuncParallel(call: GufuncLoopCall): boolean {
  const { owner, key, all, D, P, N, S, C } = call;
  const nin = call.layout.nin;
  const d = splitDim(N, S, operandRange(nin, all.length));
  if (d < 0 || N[d] < 2) return declined('no loop dim of 2 or more writes distinct outputs');
  const cuts = chunkRanges(N[d]).map(([lo, hi]) => cutLoop(P, N, S, d, lo, hi));
  const job = gufuncWasmJob(call, cuts, poolSize());
  if (job !== undefined && typeof job !== 'string') {
    // The workers need no views of the data, only the heap's memory.
    dispatch([], [], [], nin, all.length - nin, job.chunks, job);
    return true;
  }
  const ref = loopRef(owner, key, () => `'use strict';\n${call.source()}`);
  const chunks: Chunk[] = cuts.map((cut) => ({ ref, P: cut.P, args: [cut.N, S, C] }));
  const ext = all.map(extent);
  dispatch(
    D,
    ext.map((e) => e[0]),
    ext.map((e) => e[1]),
    nin,
    all.length - nin,
    chunks,
  );
  return true;
}
