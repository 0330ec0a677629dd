/**
 * Stencils on the `parallel` target: the outermost loop level is cut into row bands, one
 * per worker. Each band runs the `cpu` loop with the band appended to its bounds array `R`
 * (the loop then visits only those rows, still reading neighbours and applying the
 * boundary mode against the whole array), so every worker handles the border rows that
 * fall in its own band and the result is identical to `cpu`.
 */
import type { TypedArray } from '../../core/dtypes.js';
import type { StencilLoopSource } from '../../plan/stencil.js';
import { type Chunk, dispatch, loopRef } from './map.js';
import { chunkRanges, touchedRange } from './split.js';

/** Runs a compiled stencil loop over row bands; false when there is nothing to split. */
export function runStencilParallel(
  core: StencilLoopSource,
  key: string,
  D: TypedArray[],
  P: number[],
  N: number[],
  S: number[],
  R: number[],
  A: number[],
  C: number[],
): boolean {
  const nd = N.length;
  if (nd === 0 || N[0] < 2) return false;
  const ref = loopRef(
    core,
    key,
    () => `'use strict';return function numbatsStencil(D,P,N,S,R,A,C){\n${core.loopSource(key)}\n}`,
  );
  const chunks: Chunk[] = chunkRanges(N[0]).map(([lo, hi]) => ({
    ref,
    P,
    args: [N, S, [...R.slice(0, 2 * nd), lo, hi], A, C],
  }));
  // Every operand may be touched anywhere in its extent (neighbours, boundary remaps).
  const { lo, hi } = touchedRange(P, N, S);
  dispatch(D, lo, hi, D.length - 1, 1, chunks);
  return true;
}
