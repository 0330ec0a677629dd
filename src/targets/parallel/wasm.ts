/**
 * The `parallel` target on WebAssembly: when a call's operands live on the numbats heap
 * (one shared `WebAssembly.Memory`), each chunk runs the very loop module the `cpu` target
 * runs for that layout (`targets/wasm/map.ts`), instantiated in every worker on the same
 * memory: SIMD on every core, with no copying. A chunk is the same sub-plan the JS worker
 * loops would run (offsets moved, one extent shortened), so every element (and every
 * reduction's run, pairwise float sums included) is computed by the same operations as on
 * `cpu`, and the results are the same bits for any number of workers.
 *
 * Anything the wasm engine does not take (a kernel it does not lower, a large operand off
 * the heap, a view reaching outside its buffer) runs the JS worker loops, and the reason is
 * recorded for `inspect()`.
 */
import { HELPERS } from '../../compiler/emit-js.js';
import type { TypedKernel } from '../../compiler/ir.js';
import { STORAGE, type TypedArray } from '../../core/dtypes.js';
import { existingHeap, type Heap } from '../../core/heap.js';
import type { MapPlan } from '../../plan/map.js';
import { engineOffReason } from '../wasm/compile.js';
import { jsFasterReason } from '../wasm/cost.js';
import {
  notePath,
  SMALL_COPY,
  type WasmLoop,
  type WasmMapPlan,
  wasmConfig,
  wasmLoop,
} from '../wasm/map.js';
import { noteEngine } from './last-call.js';
import type { Chunk, LoopRef } from './map.js';
import { currentAsyncSink, newLoopId } from './pool.js';
import { wasmImport } from './wasm-imports.js';

/** Makes the wasm engine's plan of a (chunk's) map plan; given by the kind that planned it. */
export type WasmRoute = (plan: MapPlan) => WasmMapPlan;

/** A planned chunk: the plan it belongs to (a scan's chunks have their own), offsets, extents. */
export interface PlannedChunk {
  plan: MapPlan;
  P: number[];
  N: number[];
}

/** Chunks ready to post, the memory their modules import, and the cleanup after the job. */
export interface WasmJob {
  chunks: Chunk[];
  memory: object;
  /**
   * Copies small outputs back from their heap copies (when the job succeeded) and frees
   * them; `rescued`: the pool's workers could not start and the calling thread ran the
   * chunks (the recorded path then says so).
   */
  after(ok: boolean, rescued: boolean): void;
}

/** A compiled wasm loop module as the workers take it: the module and its `js` import names. */
export interface WorkerModule {
  readonly module?: WebAssembly.Module;
  readonly importNames?: readonly string[];
}

/** Worker-side ids of wasm loop modules, one per compiled loop. */
const refs = new WeakMap<WorkerModule, LoopRef>();

/** The worker-side id and code of a compiled loop module (made once per loop). */
export function refOf(loop: WorkerModule): LoopRef {
  let r = refs.get(loop);
  if (!r) {
    r = { id: newLoopId(), src: { module: loop.module!, imports: loop.importNames ?? [] } };
    refs.set(loop, r);
  }
  return r;
}

const strideOf = (S: readonly number[], nd: number, o: number, l: number) =>
  S.length === 0 ? 1 : S[o * nd + l];

/**
 * The chunks as wasm tasks over operands `D` (operand order of the plans: inputs, outputs,
 * mask), or why they cannot run on wasm (the reason is also recorded for `inspect()`).
 * Small operands off the heap (0-d scalars, short broadcast rows, a reduction's small
 * result) are copied onto it, as the `cpu` wasm path does; `after` copies outputs back.
 */
export function wasmChunks(
  route: WasmRoute,
  D: readonly TypedArray[],
  chunks: readonly PlannedChunk[],
  nin: number,
  nout: number,
  workers: number,
): WasmJob | string {
  const heap = existingHeap();
  const first = route(chunks[0].plan);
  const typed = first.typed;
  if (!heap || !wasmConfig.enabled) return note(typed, engineOffReason());
  if (!(heap.memory.buffer instanceof SharedArrayBuffer))
    return note(typed, 'the heap memory is not shared');
  const slower = wasmConfig.costRule ? jsFasterReason(typed) : undefined;
  if (slower !== undefined) return note(typed, slower);
  const nops = D.length;
  // A view reaching outside its TypedArray reads undefined (NaN) in JS and drops its
  // writes; on wasm it would touch a neighbouring heap block: such calls stay on JS.
  for (const c of chunks) {
    const nd = c.N.length;
    for (let o = 0; o < nops; o++) {
      let lo = c.P[o];
      let hi = lo;
      for (let l = 0; l < nd; l++) {
        const span = (c.N[l] - 1) * strideOf(c.plan.S, nd, o, l);
        if (span < 0) lo += span;
        else hi += span;
      }
      if (lo < 0 || hi >= D[o].length)
        return note(typed, `operand ${o}'s view reaches outside its buffer`);
    }
  }
  const loops: WasmLoop[] = [];
  const plans: WasmMapPlan[] = [];
  for (const c of chunks) {
    const wp = c === chunks[0] ? first : route(c.plan);
    const loop = wasmLoop(wp);
    if (!loop.run || !loop.module) return note(typed, loop.reason ?? 'no wasm module');
    if (!importsResolvable(loop)) return note(typed, 'a wasm import no worker provides');
    loops.push(loop);
    plans.push(wp);
  }
  const placed = placeOnHeap(heap, D, plans[0], nin, nout);
  if (typeof placed === 'string') return note(typed, placed);
  const { data, temps } = placed;
  const out: Chunk[] = chunks.map((c, i) => ({
    ref: refOf(loops[i]),
    P: [],
    args: runArgs(data, plans[i], c),
  }));
  const l0 = loops[0];
  const path = `wasm on ${Math.min(workers, chunks.length)} worker(s), ${chunks.length} chunk(s): ${l0.simd ? `SIMD ${l0.simd}` : 'scalar'}${l0.pairwise ? ' pairwise' : ''} loop ${l0.key}`;
  return wasmJob(
    out,
    heap.memory,
    path,
    (p) => record(typed, p),
    (ok) => {
      if (!temps) return;
      if (ok) {
        for (let o = nin; o < nin + nout; o++) {
          const copy = temps.get(D[o]);
          if (copy) D[o].set(copy as never);
        }
      }
      for (const t of temps.values()) heap.free(t);
    },
  );
}

/**
 * A job running wasm `chunks` on the workers: records its `path` through `note` now, and
 * again as the calling thread's when the pool's workers could not start and that thread
 * ran the chunks; `after` then runs (copies back and frees what the job placed).
 */
export function wasmJob(
  chunks: Chunk[],
  memory: object,
  path: string,
  note: (path: string) => void,
  after?: (ok: boolean) => void,
): WasmJob {
  note(path);
  return {
    chunks,
    memory,
    after(ok, rescued) {
      if (rescued) note(onCallingThread(path));
      after?.(ok);
    },
  };
}

function note(typed: TypedKernel, reason: string): string {
  record(typed, `js on the workers: ${reason}`);
  return reason;
}

/** A `wasm on N worker(s), …` path as it reads when the calling thread ran the chunks. */
function onCallingThread(path: string): string {
  return path.replace(
    /^wasm on \d+ worker\(s\)/,
    "wasm on the calling thread (the pool's workers could not start)",
  );
}

/** The path, for the kernel's `inspect()` and `parallelStatus().lastCall.engine`. */
export function record(typed: TypedKernel, path: string): void {
  notePath(typed, path);
  noteEngine(path);
}

/** Whether a worker can build every import of the module (the same function resolves them there). */
export function importsResolvable(loop: WorkerModule): boolean {
  try {
    for (const n of loop.importNames ?? []) wasmImport(n, HELPERS);
    return true;
  } catch {
    return false;
  }
}

/**
 * The operands as heap arrays: their own data when it lives on the heap, a copy when it is
 * small (operands sharing one TypedArray, like a reduction's accumulator, share one copy),
 * or the reason the call cannot run on wasm.
 */
function placeOnHeap(
  heap: Heap,
  D: readonly TypedArray[],
  wp: WasmMapPlan,
  nin: number,
  nout: number,
): { data: readonly TypedArray[]; temps?: Map<TypedArray, TypedArray> } | string {
  let temps: Map<TypedArray, TypedArray> | undefined;
  let data = D;
  const fail = (why: string) => {
    if (temps) for (const t of temps.values()) heap.free(t);
    return why;
  };
  for (let o = 0; o < D.length; o++) {
    const src = D[o];
    if (heap.owns(src)) continue;
    if (src.byteLength > SMALL_COPY)
      return fail(`operand ${o} is a ${src.length}-element array outside the numbats heap`);
    // An .async call may run beside other calls and the caller's writes into the same plain
    // output, so only the elements it changes may be written back: the JS worker path's
    // merge does that.
    if (o >= nin && o < nin + nout && currentAsyncSink() !== null)
      return fail(`an .async call's output ${o - nin} is outside the numbats heap`);
    temps ??= new Map();
    let copy = temps.get(src);
    if (!copy) {
      copy = heap.alloc(wp.dtypes[o], src.length);
      copy.set(src as never);
      temps.set(src, copy);
    }
    if (data === D) data = D.slice();
    (data as TypedArray[])[o] = copy;
  }
  return { data, temps };
}

/** `run`'s arguments for a chunk: byte addresses, extents, byte strides ([op][dim]). */
function runArgs(D: readonly TypedArray[], wp: WasmMapPlan, c: PlannedChunk): number[] {
  const nops = D.length;
  const nd = c.N.length;
  const args: number[] = new Array(nops + nd + nops * nd);
  for (let o = 0; o < nops; o++) {
    const bpe = STORAGE[wp.dtypes[o]].BYTES_PER_ELEMENT;
    args[o] = D[o].byteOffset + c.P[o] * bpe;
    for (let l = 0; l < nd; l++) args[nops + nd + o * nd + l] = strideOf(c.plan.S, nd, o, l) * bpe;
  }
  for (let l = 0; l < nd; l++) args[nops + l] = c.N[l];
  return args;
}
