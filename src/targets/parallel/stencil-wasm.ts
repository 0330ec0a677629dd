/**
 * Stencils of the `parallel` target on WebAssembly: when every operand lives on the numbats
 * heap (one shared `WebAssembly.Memory`), each row band's interior runs the very module the
 * `cpu` target runs for the call (`targets/wasm/stencil.ts`), instantiated in every worker
 * on the same memory, and its border rows run the `cpu` JS loop generated without its
 * interior. A band's interior is the call's interior clipped to the band's rows, so every
 * cell is computed by the same operations as on `cpu` (bit for bit, for any number of
 * workers); interior and border cells are disjoint, so the tasks may run in any order.
 *
 * Anything the module does not take (an operand off the heap, a heap that is not shared, a
 * kernel it does not lower, a view reaching outside its buffer) leaves the whole call to the
 * JS worker loops, and the reason is recorded for `inspect()`.
 */
import { HELPERS } from '../../compiler/emit-js.js';
import { existingHeap } from '../../core/heap.js';
import type { StencilOnWasm, WasmStencilPlan } from '../../plan/stencil.js';
import { recordStencilPath, type WasmStencilLoop, wasmStencilCall } from '../wasm/stencil.js';
import { noteEngine } from './last-call.js';
import type { Chunk, LoopRef } from './map.js';
import { newLoopId } from './pool.js';
import { type WasmJob, wasmJob } from './wasm.js';
import { wasmImport } from './wasm-imports.js';

/** Worker-side ids of stencil modules, one per compiled module. */
const refs = new WeakMap<WasmStencilLoop, LoopRef>();

function refOf(loop: WasmStencilLoop, module: WebAssembly.Module): LoopRef {
  let r = refs.get(loop);
  if (!r) {
    // The module's own import list names what each worker builds with `wasmImport`.
    const imports = WebAssembly.Module.imports(module)
      .filter((i) => i.kind === 'function')
      .map((i) => i.name);
    r = { id: newLoopId(), src: { module, imports } };
    refs.set(loop, r);
  }
  return r;
}

/** The plan of the interior of rows `[lo, hi)` of the outermost level. */
function bandPlan(p: WasmStencilPlan, lo: number, hi: number): WasmStencilPlan {
  const nd = p.N.length;
  const N = p.N.slice();
  N[0] = hi - lo;
  const R = p.R.slice();
  const b = Math.min(Math.max(p.R[0] - lo, 0), hi - lo);
  R[0] = b;
  R[1] = Math.max(b, Math.min(p.R[1] - lo, hi - lo));
  return { ...p, P: p.P.map((x, o) => x + lo * p.S[o * nd]), N, R };
}

/**
 * The tasks of a stencil call cut into row `bands` as a wasm job (interior modules and
 * border-row JS loops), or why the workers run their JS loops (also recorded for
 * `inspect()`). `jsLoop` gives the JS loop compiled under a key; `P`, `N`, `S`, `R`, `A`,
 * `C` are its arguments for the whole call.
 */
export function stencilWasmJob(
  jsLoop: (key: string) => LoopRef,
  on: StencilOnWasm,
  bands: readonly [number, number][],
  workers: number,
  js: { P: number[]; N: number[]; S: number[]; R: number[]; A: number[]; C: number[] },
): WasmJob | string {
  const { plan } = on;
  const heap = existingHeap();
  if (!heap) return note(plan, 'no heap');
  if (!(heap.memory.buffer instanceof SharedArrayBuffer))
    return note(plan, 'the heap memory is not shared');
  const whole = wasmStencilCall(plan);
  if (typeof whole === 'string') return note(plan, whole);
  const { loop } = whole;
  if (!loop.module) return note(plan, 'no wasm module');
  const ref = refOf(loop, loop.module);
  const src = ref.src as { imports: readonly string[] };
  try {
    for (const n of src.imports) wasmImport(n, HELPERS);
  } catch {
    return note(plan, 'a wasm import no worker provides');
  }
  const nd = plan.N.length;
  const border = jsLoop(on.borderKey);
  const chunks: Chunk[] = [];
  for (const [lo, hi] of bands) {
    // A band has the whole call's module key (levels, stride classes, dtypes, inner axis),
    // so `ref` is its module too.
    const band = wasmStencilCall(bandPlan(plan, lo, hi));
    if (typeof band === 'string') return note(plan, band);
    if (band.args) chunks.push({ ref, P: [], args: band.args });
    chunks.push({
      ref: border,
      P: js.P,
      args: [js.N, js.S, [...js.R.slice(0, 2 * nd), lo, hi], js.A, js.C],
    });
  }
  const path = `wasm on ${Math.min(workers, bands.length)} worker(s), ${bands.length} band(s): ${loop.simd ? `SIMD ${loop.simd}` : 'scalar'} interior loop ${loop.key}; border rows on the JS worker loops`;
  return wasmJob(chunks, heap.memory, path, (p) => record(plan, p));
}

function note(plan: WasmStencilPlan, reason: string): string {
  record(plan, `js on the workers: ${reason}`);
  return reason;
}

/** The path, for the kernel's `inspect()` and `parallelStatus().lastCall.engine`. */
function record(plan: WasmStencilPlan, path: string): void {
  recordStencilPath(plan.typed, path);
  noteEngine(path);
}
