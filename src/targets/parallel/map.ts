/**
 * Runs a planned elementwise loop (a ufunc call, a reduction, a scan) on the pool. The
 * loop code is the `cpu` target's, unchanged: a plan is split into contiguous chunks along
 * one loop dim by moving the offsets `P` and shortening that dim's extent in `N`.
 *
 * - Elementwise calls and reductions split along a dim where no output has stride 0, so no
 *   two workers write one element and every element is computed by the same sequence of
 *   operations as on `cpu` (bit-identical results). A reduction over every axis has no such
 *   dim and runs on the calling thread.
 * - Scans (`accumulate`) split the arrays along an axis other than the scan axis.
 * - Data on a SharedArrayBuffer is used in place. Other data is copied into shared scratch
 *   first (only the byte range the call touches) and outputs are copied back afterwards.
 */

import { allocData, castScalar, dtypeOfData, type NdArray, view } from '../../core/array.js';
import type { TypedArray } from '../../core/dtypes.js';
import { existingHeap } from '../../core/heap.js';
import { OwnedCaches } from '../../core/spec-cache.js';
import type { MapKernel, MapPlan, MapSplit, ScanSplit } from '../../plan/map.js';
import { checkWasmEngine, runMapInline, wasmMapPlan } from '../cpu/map.js';
import { declined } from './last-call.js';
import {
  callHasTimeout,
  chunkCount,
  currentAsyncSink,
  type Job,
  type JobData,
  lastRescuedJob,
  newLoopId,
  poolSize,
  post,
  type Task,
  type WasmLoopCode,
  waitAsync,
  waitSync,
} from './pool.js';
import { chunkRanges, cutLoop, operandRange, splitDim, touchedRange } from './split.js';
import { type PlannedChunk, type WasmJob, type WasmRoute, wasmChunks } from './wasm.js';

/** Each owner's loops as the workers know them, by loop key. */
const sources = new OwnedCaches<object, string, LoopRef>();

/**
 * A loop as the workers know it: an id and the body of its factory `(H, B, F) => loop`, or
 * a wasm loop module.
 */
export interface LoopRef {
  id: number;
  src: string | WasmLoopCode;
}

/** The worker-side id and source of `owner`'s loop `key` (made once). */
export function loopRef(owner: object, key: string, factoryBody: () => string): LoopRef {
  return sources.of(owner).get(key, () => ({ id: newLoopId(), src: factoryBody() }));
}

/**
 * The `parallel` target's `runMap`: a call planned for chunks goes to the workers (their
 * wasm modules when every operand is on the heap); one that was not, or that cannot be cut,
 * runs on the calling thread as on `cpu`.
 */
export function runMapParallel(k: MapKernel, plan: MapPlan, how: MapSplit): void {
  const on = checkWasmEngine(k, plan);
  if (how.split) {
    const route = on && !k.callsFunction ? (p: MapPlan) => wasmMapPlan(k, p) : undefined;
    if (runParallel(k, plan, how.scan, how.identity, route)) return;
  }
  runMapInline(k, plan, on);
}

function ufuncLoopRef(k: MapKernel, plan: MapPlan): LoopRef {
  return loopRef(
    k,
    plan.key,
    () => `'use strict';${k.source(plan.spec(k, plan))}\nreturn numbatsLoop;`,
  );
}

/** A plan's strides, `S[o * nd + d]`; a flat plan (no `S`) steps every operand by 1. */
const stridesOf = (p: MapPlan): readonly number[] =>
  p.S.length === 0 ? new Array<number>(p.D.length * p.N.length).fill(1) : p.S;

/**
 * Runs a plan on the workers. Returns false (nothing done) when it cannot be split; the
 * caller then runs it inline. With `wasm` (the wasm engine's view of a plan) and every
 * operand on the heap, the workers run the wasm loop modules (./wasm.ts).
 */
export function runParallel(
  k: MapKernel,
  plan: MapPlan,
  scan?: ScanSplit,
  identity?: number,
  wasm?: WasmRoute,
): boolean {
  const chunks: PlannedChunk[] = [];
  if (scan) {
    let d = -1;
    for (let i = 0; i < scan.shape.length; i++)
      if (i !== scan.axis && (d < 0 || scan.shape[i] > scan.shape[d])) d = i;
    if (d < 0 || scan.shape[d] < 2)
      return declined('the scan has no other axis of 2 or more to cut');
    for (const [lo, hi] of chunkRanges(scan.shape[d])) {
      const sub = scan.arrays.map((a) => sliceView(a, d, lo, hi));
      const shape = scan.shape.slice();
      shape[d] = hi - lo;
      const p = scan.plan(sub, shape);
      if (p) chunks.push({ plan: p, P: p.P, N: p.N });
    }
  } else {
    const S = stridesOf(plan);
    const d = splitDim(plan.N, S, operandRange(plan.nin, plan.nin + plan.nout));
    if (d < 0 && identity !== undefined && plan.nout === 1 && !currentAsyncSink())
      return reduceByPartials(k, plan, identity, wasm);
    if (d < 0 || plan.N[d] < 2) {
      // Unsplittable. A call with its own timeout still goes to a worker, as one chunk, so
      // that it can be stopped; any other runs inline.
      if (!callHasTimeout()) return declined('every dim of 2 or more repeats an output element');
      chunks.push({ plan, P: plan.P, N: plan.N });
    } else {
      for (const [lo, hi] of chunkRanges(plan.N[d])) {
        chunks.push({ plan, ...cutLoop(plan.P, plan.N, S, d, lo, hi) });
      }
    }
  }
  if (chunks.length === 0) return true;
  if (wasm) {
    const w = wasmChunks(wasm, plan.D, chunks, plan.nin, plan.nout, poolSize());
    if (typeof w !== 'string') {
      dispatchWasm(plan.nin, plan.nout, w);
      return true;
    }
  }
  // Element range each operand touches, over every chunk.
  let touched: { lo: number[]; hi: number[] } | undefined;
  for (const c of chunks) touched = touchedRange(c.P, c.N, stridesOf(c.plan), touched);
  const { lo, hi } = touched!;
  dispatch(
    plan.D,
    lo,
    hi,
    plan.nin,
    plan.nout,
    chunks.map((c) => ({ ref: ufuncLoopRef(k, c.plan), P: c.P, args: [c.N, c.plan.S] })),
  );
  return true;
}

/** One chunk of work: a loop, its operand offsets and its other arguments. */
export interface Chunk {
  ref: LoopRef;
  P: number[];
  args: unknown[];
}

/**
 * Runs chunks (taken by the workers in order as they go) over data `D`, whose operands touch elements
 * `lo[o]..hi[o]`; operands `nin..nin+nout-1` are written. Blocks until done, or in an
 * async call (`runDeferred` in `./deferred.ts`) leaves the job pending.
 */
export function dispatch(
  D: readonly TypedArray[],
  lo: readonly number[],
  hi: readonly number[],
  nin: number,
  nout: number,
  chunks: readonly Chunk[],
  wasm?: WasmJob,
): void {
  const asyncSink = currentAsyncSink();
  // An `.async` call may run alongside other calls and the caller's own writes into the same
  // plain buffer, so it merges back only the elements it changed (see `shareData`).
  const shared = shareData(D, lo, hi, nin, nout, asyncSink !== null);
  const tasks: Task[] = chunks.map((c) => ({
    loop: c.ref.id,
    src: c.ref.src,
    P: c.P,
    args: c.args,
  }));
  let job: Job | undefined;
  const release = (ok: boolean) => {
    shared.release(ok);
    // Rescued: the workers could not start, and the calling thread ran the chunks.
    wasm?.after(ok, job !== undefined && lastRescuedJob() === job.id);
  };
  try {
    job = post({ D: shared.D, tasks, memory: wasm?.memory });
  } catch (e) {
    release(false);
    throw e;
  }
  if (asyncSink) {
    asyncSink.push(
      waitAsync(job as Job).then(
        () => release(true),
        (e) => {
          release(false);
          throw e;
        },
      ),
    );
    return;
  }
  // On any failure (a kernel exception, a dead worker, a timeout) nothing is copied back:
  // a plain output keeps its old content. Shared outputs were written in place.
  let ok = false;
  try {
    waitSync(job as Job);
    ok = true;
  } finally {
    release(ok);
  }
}

/** Runs wasm chunks: the workers need no views of the data, only the heap's memory. */
function dispatchWasm(nin: number, nout: number, w: WasmJob): void {
  dispatch([], [], [], nin, nout, w.chunks, w);
}

/**
 * A reduction into a single element (every axis reduced) with a numeric identity: each
 * chunk folds its part into its own partial (starting from the identity) in shared
 * memory, and the calling thread folds the partials into the accumulator in chunk order.
 * The grouping differs from `cpu`'s single pass, so float results may differ in the last
 * bits (as with Numba's parallel reductions).
 */
function reduceByPartials(
  k: MapKernel,
  plan: MapPlan,
  identity: number,
  wasm?: WasmRoute,
): boolean {
  const nd = plan.N.length;
  const S = stridesOf(plan);
  const d = splitDim(plan.N, S, []);
  if (d < 0 || plan.N[d] < 2) return declined('the reduction has no dim of 2 or more to cut');
  const t = dtypeOfData(plan.D[plan.nin])!;
  const n = plan.N[d];
  // A one-dim pairwise reduction is cut at the nodes of the pairwise tree itself, and the
  // partials are combined up that tree: the result is bit for bit the `cpu` one, for any
  // number of workers.
  const tree = plan.pairwise && nd === 1 ? pairwiseTree(n, chunkCount(n)) : null;
  const leaves: [number, number][] = [];
  if (tree) collectLeaves(tree, leaves);
  const parts = tree ? leaves.length : chunkCount(n);
  // On the wasm path the partials must live on the heap too (they are tiny).
  const heap = wasm ? existingHeap() : undefined;
  let partials: TypedArray;
  try {
    partials = heap ? heap.alloc(t, parts) : allocData(t, parts, true);
  } catch {
    partials = allocData(t, parts, true);
  }
  try {
    reduceChunks(k, plan, identity, partials, tree, leaves, d, wasm);
  } finally {
    if (heap) heap.free(partials);
  }
  return true;
}

/** reduceByPartials, its partials allocated: the chunks into the partials, then the fold. */
function reduceChunks(
  k: MapKernel,
  plan: MapPlan,
  identity: number,
  partials: TypedArray,
  tree: PairwiseNode | null,
  leaves: [number, number][],
  d: number,
  wasm?: WasmRoute,
): void {
  const S = stridesOf(plan);
  const nin = plan.nin;
  const accData = plan.D[nin];
  const accAt = plan.P[nin];
  const t = dtypeOfData(accData)!;
  const n = plan.N[d];
  const parts = partials.length;
  partials.fill(castScalar(identity, t));
  // The accumulator (input 0 and output 0) becomes one partial per chunk.
  const D = plan.D.slice();
  D[0] = partials;
  D[nin] = partials;
  const chunks: Chunk[] = [];
  const { lo, hi } = touchedRange(plan.P, plan.N, S);
  lo[0] = lo[nin] = 0;
  hi[0] = hi[nin] = parts - 1;
  const planned: PlannedChunk[] = [];
  const ranges = tree ? leaves : chunkRanges(n, parts);
  ranges.forEach(([a, b], c) => {
    const { P, N } = cutLoop(plan.P, plan.N, S, d, a, b);
    P[0] = c;
    P[nin] = c;
    planned.push({ plan, P, N });
  });
  const w = wasm ? wasmChunks(wasm, D, planned, nin, 1, poolSize()) : 'no wasm';
  if (typeof w !== 'string') dispatchWasm(nin, 1, w);
  else {
    const ref = ufuncLoopRef(k, plan);
    for (const c of planned) chunks.push({ ref, P: c.P, args: [c.N, plan.S] });
    dispatch(D, lo, hi, nin, 1, chunks);
  }
  const f = k.scalarFn();
  let acc = accData[accAt];
  if (tree) {
    // Each leaf partial is f(identity, leaf) = leaf; combine them as pw$ combines halves.
    let next = 0;
    const combine = (node: PairwiseNode): number => {
      if (!node.halves) return partials[next++];
      const l = combine(node.halves[0]);
      const r = combine(node.halves[1]);
      return castScalar(f(l, r), t);
    };
    acc = castScalar(f(acc, combine(tree)), t);
  } else {
    for (let c = 0; c < parts; c++) acc = castScalar(f(acc, partials[c]), t);
  }
  accData[accAt] = acc;
}

/** A node of the pairwise-summation tree over elements [lo, hi). */
interface PairwiseNode {
  lo: number;
  hi: number;
  halves?: [PairwiseNode, PairwiseNode];
}

/**
 * The top of the tree `pw$` (src/targets/cpu/loops.ts) recurses through for a run of `n`:
 * a run longer than 128 splits at h = n/2 rounded down to a multiple of 8. Split breadth
 * first until there are about `want` leaves (only where `pw$` itself would split).
 */
function pairwiseTree(n: number, want: number): PairwiseNode {
  const root: PairwiseNode = { lo: 0, hi: n };
  let frontier = [root];
  let leaves = 1;
  while (leaves < want) {
    const next: PairwiseNode[] = [];
    let split = false;
    for (const node of frontier) {
      const len = node.hi - node.lo;
      if (len <= 128 || leaves >= want) {
        next.push(node);
        continue;
      }
      let h = len >> 1;
      h -= h % 8;
      node.halves = [
        { lo: node.lo, hi: node.lo + h },
        { lo: node.lo + h, hi: node.hi },
      ];
      next.push(...node.halves);
      leaves++;
      split = true;
    }
    if (!split) break;
    frontier = next;
  }
  return root;
}

function collectLeaves(node: PairwiseNode, out: [number, number][]): void {
  if (!node.halves) out.push([node.lo, node.hi]);
  else for (const h of node.halves) collectLeaves(h, out);
}

function sliceView(a: NdArray, axis: number, lo: number, hi: number): NdArray {
  if (a.shape.length === 0) return a;
  const shape = a.shape.slice();
  // Broadcast operands (stride 0 or extent 1 along the axis) keep their view.
  if (shape[axis] === 1 && hi - lo !== 1) return a;
  shape[axis] = hi - lo;
  return view(a.data as TypedArray, shape, a.stride, a.offset + a.stride[axis] * lo);
}

const CTORS: [Function, string][] = [
  [Float64Array, 'Float64Array'],
  [Float32Array, 'Float32Array'],
  [Int32Array, 'Int32Array'],
  [Uint8Array, 'Uint8Array'],
  [Int8Array, 'Int8Array'],
  [Int16Array, 'Int16Array'],
  [Uint16Array, 'Uint16Array'],
  [Uint32Array, 'Uint32Array'],
  [Uint8ClampedArray, 'Uint8ClampedArray'],
];

function ctorName(d: TypedArray): string {
  for (const [c, n] of CTORS) if (d instanceof c) return n;
  throw new TypeError('unsupported TypedArray');
}

/** Free scratch buffers, reused across calls. */
const scratchPool: SharedArrayBuffer[] = [];

function takeScratch(bytes: number): SharedArrayBuffer {
  let best = -1;
  for (let i = 0; i < scratchPool.length; i++) {
    const b = scratchPool[i];
    if (b.byteLength >= bytes && (best < 0 || b.byteLength < scratchPool[best].byteLength))
      best = i;
  }
  if (best >= 0) return scratchPool.splice(best, 1)[0];
  return new SharedArrayBuffer(bytes);
}

/** Drops cached scratch memory (called by `closePool`). */
export function dropScratch(): void {
  scratchPool.length = 0;
}

interface Shared {
  D: JobData['D'];
  release: (copyBack: boolean) => void;
}

/**
 * Copies back the elements of one output whose bits changed in the scratch since `old` (the
 * scratch's content when the call started): an element the kernel did not write (masked
 * out by `where`, skipped, or simply not part of this view) is left as it is now in `buf`,
 * which may hold another call's or the caller's write made meanwhile. Compared and copied
 * as integers, so NaN payloads and -0 are seen as changes and carried exactly.
 */
function mergeBack(
  buf: ArrayBufferLike,
  scratch: SharedArrayBuffer,
  base: number,
  old: ArrayBuffer,
  oldAt: number,
  start: number,
  bytes: number,
  bpe: number,
): void {
  const W = bpe === 1 ? Uint8Array : bpe === 2 ? Uint16Array : Int32Array;
  const wb = W.BYTES_PER_ELEMENT;
  const per = bpe / wb;
  const n = bytes / wb;
  const dst = new W(buf as ArrayBuffer, start, n);
  const src = new W(scratch as unknown as ArrayBuffer, start - base, n);
  const was = new W(old, start - oldAt, n);
  if (per === 1) {
    for (let i = 0; i < n; i++) if (src[i] !== was[i]) dst[i] = src[i];
    return;
  }
  for (let i = 0; i < n; i += 2) {
    if (src[i] !== was[i] || src[i + 1] !== was[i + 1]) {
      dst[i] = src[i];
      dst[i + 1] = src[i + 1];
    }
  }
}

function shareData(
  D: readonly TypedArray[],
  lo: readonly number[],
  hi: readonly number[],
  nin: number,
  nout: number,
  merge: boolean,
): Shared {
  const out: JobData['D'] = new Array(D.length);
  const groups = new Map<ArrayBufferLike, number[]>();
  for (let o = 0; o < D.length; o++) {
    const d = D[o];
    if (hi[o] < lo[o]) {
      // Never read or written (an empty core dim): any array will do.
      out[o] = [new SharedArrayBuffer(8), ctorName(d), 0, 0];
    } else if (d.buffer instanceof SharedArrayBuffer) {
      out[o] = [d.buffer, ctorName(d), d.byteOffset, d.length];
    } else {
      const g = groups.get(d.buffer);
      if (g) g.push(o);
      else groups.set(d.buffer, [o]);
    }
  }
  const copies: {
    buf: ArrayBufferLike;
    scratch: SharedArrayBuffer;
    base: number;
    ops: number[];
    /** With `merge`: the touched bytes as they were when the call started, from `oldAt`. */
    old: ArrayBuffer | null;
    oldAt: number;
  }[] = [];
  for (const [buf, ops] of groups) {
    // The scratch mirrors the buffer from `base` on, so every operand keeps its element
    // offsets (loops may rely on operands' offsets being equal) and only the touched
    // bytes a..b are copied.
    let base = Number.POSITIVE_INFINITY;
    let a = Number.POSITIVE_INFINITY;
    let b = 0;
    for (const o of ops) {
      const bpe = D[o].BYTES_PER_ELEMENT;
      base = Math.min(base, D[o].byteOffset);
      a = Math.min(a, D[o].byteOffset + lo[o] * bpe);
      b = Math.max(b, D[o].byteOffset + (hi[o] + 1) * bpe);
    }
    base -= base % 8;
    const scratch = takeScratch(Math.ceil((b - base) / 8) * 8);
    new Uint8Array(scratch, a - base, b - a).set(new Uint8Array(buf, a, b - a));
    for (const o of ops) out[o] = [scratch, ctorName(D[o]), D[o].byteOffset - base, hi[o] + 1];
    const writes = ops.some((o) => o >= nin && o < nin + nout);
    // Starts 8-aligned (as `base` is), so element views of every width fit it.
    const oldAt = a - ((a - base) % 8);
    const old = merge && writes ? (buf as ArrayBuffer).slice(oldAt, b) : null;
    copies.push({ buf, scratch, base, ops, old, oldAt });
  }
  return {
    D: out,
    release(copyBack) {
      for (const c of copies) {
        if (copyBack) {
          for (const o of c.ops) {
            if (o < nin || o >= nin + nout) continue;
            const bpe = D[o].BYTES_PER_ELEMENT;
            const a = D[o].byteOffset + lo[o] * bpe;
            const len = (hi[o] + 1 - lo[o]) * bpe;
            if (c.old) mergeBack(c.buf, c.scratch, c.base, c.old, c.oldAt, a, len, bpe);
            else new Uint8Array(c.buf, a, len).set(new Uint8Array(c.scratch, a - c.base, len));
          }
        }
        if (scratchPool.length < 8) scratchPool.push(c.scratch);
      }
    },
  };
}
