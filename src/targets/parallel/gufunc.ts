/**
 * guvectorize on the `parallel` target: the loop dims of the gufunc's `cpu` loop are split
 * like a ufunc's (chunks along a loop dim where no output repeats), each worker running
 * whole kernel calls (core dims are never split), so results equal `cpu`'s.
 */

import { extent, type NdArray } from '../../core/array.js';
import type { TypedArray } from '../../core/dtypes.js';
import type { GufuncLoopCall } from '../../plan/gufunc.js';
import { runGufuncInline } from '../cpu/gufunc.js';
import { declined } from './last-call.js';
import { type Chunk, dispatch, loopRef } from './map.js';
import { chunkRanges, cutLoop, operandRange, splitDim } from './split.js';

/**
 * Runs a planned gufunc loop on the workers; false when no loop dim can be split. The loop
 * is `owner`'s loop `key`, whose source (the `cpu` loop's, built by the kind) is made once.
 */
/**
 * The `parallel` target's `runGufunc`: a call planned for the workers is cut along a loop
 * dim; one that was not, or that cannot be cut, runs on the calling thread as on `cpu`.
 */
export function runGufuncOnPool(call: GufuncLoopCall): void {
  const { owner, key, all, D, P, N, S, C } = call;
  if (call.split && runGufuncParallel(owner, key, call.source, all, call.layout.nin, D, P, N, S, C))
    return;
  runGufuncInline(call);
}

function runGufuncParallel(
  owner: object,
  key: string,
  loopSource: () => string,
  all: readonly NdArray[],
  nin: number,
  D: readonly TypedArray[],
  P: readonly number[],
  N: readonly number[],
  S: readonly number[],
  C: readonly number[],
): boolean {
  const d = splitDim(N, S, operandRange(nin, all.length));
  if (d < 0 || N[d] < 2) return declined('no loop dim of 2 or more writes distinct outputs');
  const ref = loopRef(owner, key, () => `'use strict';\n${loopSource()}`);
  const chunks: Chunk[] = chunkRanges(N[d]).map(([lo, hi]) => {
    const cut = cutLoop(P, N, S, d, lo, hi);
    return { ref, P: cut.P, args: [cut.N, S, C] };
  });
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
