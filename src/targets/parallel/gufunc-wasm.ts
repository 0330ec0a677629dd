/**
 * guvectorize calls of the `parallel` target on WebAssembly: when every operand lives on
 * the numbats heap (one shared `WebAssembly.Memory`), each chunk runs the very loop module
 * the `cpu` target runs for the call (`targets/wasm/gufunc.ts`), instantiated in every
 * worker on the same memory. A chunk is the JS worker loop's chunk (the same cut along the
 * split loop dim, offsets moved, one extent shortened) and every kernel call inside it is
 * whole, so every output element is computed by the same operations as on `cpu`: the same
 * bits for any number of workers.
 *
 * Only modules that check no view index at run time run here: on the calling thread an
 * index leaving its view stops the module and the JS loop reruns the whole call, which
 * workers sharing the call cannot do. Such calls, and any the module does not take (an
 * operand off the heap, a view reaching outside its buffer, a kernel it does not lower, an
 * `auto` choice of the JS loop), run the JS worker loops, and the reason is recorded for
 * `inspect()` and `parallelStatus().lastCall.engine`.
 */
import { existingHeap } from '../../core/heap.js';
import type { GufuncCall } from '../../plan/gufunc.js';
import { gufuncRunArgs, wasmGufuncForWorkers } from '../wasm/gufunc.js';
import { wasmConfig } from '../wasm/map.js';
import type { Chunk } from './map.js';
import { importsResolvable, record, refOf, type WasmJob, wasmJob } from './wasm.js';

/** A chunk of the call's loop nest: operand offsets and loop extents (elements). */
export interface GufuncChunk {
  P: number[];
  N: number[];
}

/**
 * The chunks of gufunc call `c` as a wasm job, or why the workers run their JS loops (also
 * recorded). Returns undefined, recording nothing, when the wasm engine is off or there is
 * no heap (no operand can be on it): the calls the `cpu` target also runs on JS silently.
 */
export function gufuncWasmJob(
  c: GufuncCall & { readonly wasmAllowed: boolean },
  chunks: readonly GufuncChunk[],
  workers: number,
): WasmJob | string | undefined {
  const heap = existingHeap();
  if (!heap || !wasmConfig.enabled) return undefined;
  const typed = c.kernel.typed;
  const js = (why: string) => {
    record(typed, `js on the workers: ${why}`);
    return why;
  };
  // `boundscheck` (whose checks only the JS loop has) is refused on `parallel` today; a
  // call planned without wasm keeps its JS loops all the same.
  if (!c.wasmAllowed) return js('boundscheck is on (only the JS loop has its checks)');
  if (!(heap.memory.buffer instanceof SharedArrayBuffer))
    return js('the heap memory is not shared');
  const loop = wasmGufuncForWorkers(c);
  if (typeof loop === 'string') return js(loop);
  if (!loop.module) return js('no wasm module');
  if (!importsResolvable(loop)) return js('a wasm import no worker provides');
  const ref = refOf(loop);
  const out: Chunk[] = chunks.map((k) => ({ ref, P: [], args: gufuncRunArgs(c, k.P, k.N) }));
  const path = `wasm on ${Math.min(workers, chunks.length)} worker(s), ${chunks.length} chunk(s): scalar gufunc loop ${loop.key}`;
  return wasmJob(out, heap.memory, path, (p) => record(typed, p));
}
