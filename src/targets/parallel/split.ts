/**
 * How the `parallel` target cuts a loop into chunks, written once for every loop it runs
 * (elementwise calls, scans, reductions, gufuncs, stencils, records, `prange`). A loop is
 * described the way the `cpu` loops take it: per operand `o` an offset `P[o]`, and per loop
 * dim `l` an extent `N[l]` and a stride `S[o * nd + l]` (in elements).
 */
import { chunkCount } from './pool.js';

/**
 * `[lo, hi)` ranges cutting `n` iterations into `parts` contiguous chunks in order, whose
 * sizes differ by at most one.
 */
export function chunkRanges(n: number, parts = chunkCount(n)): [number, number][] {
  const out: [number, number][] = [];
  for (let c = 0; c < parts; c++) {
    out.push([Math.floor((c * n) / parts), Math.floor(((c + 1) * n) / parts)]);
  }
  return out;
}

/**
 * The loop dim to cut: the longest one along which no operand of `outputs` has stride 0
 * (an output element repeated along it would be written by two workers); -1 when there is
 * none.
 */
export function splitDim(
  N: readonly number[],
  S: readonly number[],
  outputs: readonly number[],
): number {
  const nd = N.length;
  let d = -1;
  for (let l = 0; l < nd; l++) {
    if (outputs.some((o) => S[o * nd + l] === 0)) continue;
    if (d < 0 || N[l] > N[d]) d = l;
  }
  return d;
}

/** The operands `from..to-1` (the outputs of a loop whose operands list inputs first). */
export function operandRange(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, k) => from + k);
}

/** Offsets and extents of the chunk `[lo, hi)` of a loop cut along dim `d`. */
export function cutLoop(
  P: readonly number[],
  N: readonly number[],
  S: readonly number[],
  d: number,
  lo: number,
  hi: number,
): { P: number[]; N: number[] } {
  const nd = N.length;
  const Nc = N.slice();
  Nc[d] = hi - lo;
  return { P: P.map((p, o) => p + lo * S[o * nd + d]), N: Nc };
}

/**
 * The elements each operand touches, `[lo[o], hi[o]]` (inclusive), when a loop with offsets
 * `P`, extents `N` and strides `S` runs; folded into `into` when given (for several chunks).
 */
export function touchedRange(
  P: readonly number[],
  N: readonly number[],
  S: readonly number[],
  into?: { lo: number[]; hi: number[] },
): { lo: number[]; hi: number[] } {
  const nd = N.length;
  const r = into ?? {
    lo: P.map(() => Number.POSITIVE_INFINITY),
    hi: P.map(() => Number.NEGATIVE_INFINITY),
  };
  for (let o = 0; o < P.length; o++) {
    let a = P[o];
    let b = P[o];
    for (let l = 0; l < nd; l++) {
      const span = S[o * nd + l] * (N[l] - 1);
      if (span < 0) a += span;
      else b += span;
    }
    if (a < r.lo[o]) r.lo[o] = a;
    if (b > r.hi[o]) r.hi[o] = b;
  }
  return r;
}
