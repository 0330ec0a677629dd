/**
 * guvectorize on the `parallel` target: the loop dims of the gufunc's `cpu` loop are split
 * like a ufunc's (chunks along a loop dim where no output repeats), each worker running
 * whole kernel calls (core dims are never split), so results equal `cpu`'s.
 */
import { extent, type NdArray } from '../../core/array.js';
import type { TypedArray } from '../../core/dtypes.js';
import { type Chunk, dispatch, loopRef } from './map.js';
import { chunkCount } from './pool.js';

/**
 * Runs a planned gufunc loop on the workers; false when no loop dim can be split. The loop
 * is `owner`'s loop `key`, whose source (the `cpu` loop's, built by the kind) is made once.
 */
export function runGufuncParallel(
  owner: object,
  key: string,
  loopSource: () => string,
  all: readonly NdArray[],
  nin: number,
  D: TypedArray[],
  P: number[],
  N: number[],
  S: number[],
  C: number[],
): boolean {
  const nd = N.length;
  let d = -1;
  for (let l = 0; l < nd; l++) {
    let ok = true;
    for (let o = nin; o < all.length; o++) if (S[o * nd + l] === 0) ok = false;
    if (ok && (d < 0 || N[l] > N[d])) d = l;
  }
  if (d < 0 || N[d] < 2) return false;
  const ref = loopRef(owner, key, () => `'use strict';\n${loopSource()}`);
  const n = N[d];
  const parts = chunkCount(n);
  const chunks: Chunk[] = [];
  for (let c = 0; c < parts; c++) {
    const lo = Math.floor((c * n) / parts);
    const hi = Math.floor(((c + 1) * n) / parts);
    const Nc = N.slice();
    Nc[d] = hi - lo;
    chunks.push({ ref, P: P.map((p, o) => p + lo * S[o * nd + d]), args: [Nc, S, C] });
  }
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
