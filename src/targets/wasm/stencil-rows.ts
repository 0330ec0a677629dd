/**
 * Row reads of the SIMD stencil loops (targets/wasm/stencil.ts). The reads of one operand
 * along one row of the neighborhood (`u(0,-1)`, `u(0,0)`, `u(0,1)`) overlap: with the row's
 * pointer 16-byte aligned, the bytes they cover in one unrolled iteration are a few aligned
 * 16-byte chunks, each loaded once, and every read is one chunk or an `i8x16.shuffle` of two
 * neighbouring ones. Three unaligned loads per step become about one aligned load and two
 * shuffles. Every chunk loaded holds a byte some read needs, and an aligned chunk never
 * crosses a 16-byte boundary, so no load reaches past the array's block (heap blocks are
 * 64-byte aligned) or the memory's end.
 */

import type { FuncBuilder } from './encode.js';

/** Tuning of the SIMD stencil loops (the A/B benchmark switches them; defaults are fastest). */
export const stencilTuning = {
  /** SIMD steps per iteration of the main loop. */
  unroll: 4,
  /** Chunked row reads (see the module comment) when the rows' pointers are aligned. */
  rowChunks: true,
  /**
   * Scalar cells first, until the output's pointer (`'output'`: aligned stores, and the
   * chunked rows of inputs laid out like the output on the same grid) or the first chunked
   * row's (`'row'`) is 16-byte aligned; `false`: none.
   */
  peel: 'output' as 'output' | 'row' | false,
  /** Bytes of the output's rows per strip of the rows loop (0: whole rows). */
  strip: 0,
};

const DEFAULTS = { ...stencilTuning };

/** A suffix for loop-module cache keys: empty with the default tuning. */
export function tuningKey(): string {
  const t = stencilTuning;
  if (
    t.unroll === DEFAULTS.unroll &&
    t.rowChunks === DEFAULTS.rowChunks &&
    t.peel === DEFAULTS.peel
  )
    return '';
  return `|u${t.unroll}${t.rowChunks ? 'c' : ''}${t.peel ? `p${t.peel}` : ''}`;
}

/** The reads of one operand along one row of the neighborhood, sharing a pointer. */
export interface RowGroup {
  /** Index of the group's first read (its address gives the row's). */
  readonly site: number;
  /** The operand read. */
  readonly o: number;
  /** Smallest offset along the row (the pointer's cell). */
  min: number;
  /** Number of distinct reads in the row. */
  reads: number;
  /** Bytes from the group's pointer to its smallest offset (0 unless aligned to the output). */
  bias: number;
  /** Local: address of the group's smallest offset in the current step, less `bias`. */
  readonly ptr: number;
  /** Locals of the chunks (by index from the pointer) and whether this iteration loaded them. */
  readonly chunks: Map<number, { readonly local: number; loaded: boolean }>;
}

/** A row of two or more reads: its reads overlap, so chunks pay off. */
export function isChunked(g: RowGroup): boolean {
  return g.reads > 1;
}

/** Pushes aligned chunk j of the row (loaded at its first use in the iteration). */
function chunk(f: FuncBuilder, g: RowGroup, j: number): void {
  let c = g.chunks.get(j);
  if (!c) {
    c = { local: f.local('v128'), loaded: false };
    g.chunks.set(j, c);
  }
  if (c.loaded) {
    f.get(c.local);
    return;
  }
  f.get(g.ptr)
    .mem('v128.load', 16 * j, 4)
    .tee(c.local);
  c.loaded = true;
}

/** Pushes the 16 bytes at `offset` bytes from the row's (aligned) pointer. */
export function rowRead(f: FuncBuilder, g: RowGroup, offset: number): void {
  const j = offset >> 4;
  const s = offset & 15;
  chunk(f, g, j);
  if (s === 0) return;
  chunk(f, g, j + 1);
  f.shuffle(Array.from({ length: 16 }, (_, b) => s + b));
}
