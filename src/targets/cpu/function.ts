/**
 * How the `cpu` target runs a call of a compiled `jit` function: a call whose array
 * arguments all live on the numbats heap runs the version's WebAssembly function
 * (`targets/wasm/function.ts`), built on its second eligible call; anything the lowering
 * refuses (helper `functions`, parallel `prange`, `fastmath`, uint8_clamped), arrays off
 * the heap, or an environment that refuses WebAssembly run the JS path instead, and the
 * reason is kept for `inspect()`. The `jit` kind makes one engine per version through the
 * registry (`functionEngine`) and hands it a `plan/function.ts` plan.
 */
import type { NdArray } from '../../core/array.js';
import { existingHeap, onHeap } from '../../core/heap.js';
import {
  type FunctionEngine,
  type HeapArrayArg,
  ON_JS,
  type WholeFunctionPlan,
} from '../../plan/function.js';
import { wasmRefused } from '../wasm/compile.js';
import {
  builtWasmFunction,
  callWasmFunction,
  heapArg,
  viewInside,
  wasmFunction,
} from '../wasm/function-module.js';
import { wasmConfig } from '../wasm/map.js';

let lastAny = '';

/** The path of the latest jit call of any function (tests use it). */
export function lastJitPath(): string {
  return lastAny;
}

/** One compiled version's wasm side: its plan, and which path its last call took. */
export class WasmFunctionEngine implements FunctionEngine {
  readonly plan: WholeFunctionPlan;
  private path = '';
  /** Calls that could run on wasm so far. */
  private eligibleCalls = 0;

  /** `wasm` or `js: <reason>`, for the last call (empty before the first). */
  get lastPath(): string {
    return this.path;
  }

  private set lastPath(p: string) {
    this.path = p;
    lastAny = p;
  }

  constructor(plan: WholeFunctionPlan) {
    this.plan = plan;
  }

  /** Runs the call on wasm (its result), or returns `ON_JS` with the reason noted. */
  run(vals: readonly unknown[]): unknown {
    if (!wasmConfig.enabled) {
      this.lastPath = 'js: the wasm engine is off';
      return ON_JS;
    }
    if (existingHeap() === undefined) {
      this.lastPath = 'js: the numbats heap is off';
      return ON_JS;
    }
    const refused = wasmRefused();
    if (refused !== undefined) {
      this.lastPath = `js: ${refused}`;
      return ON_JS;
    }
    const params = this.plan.params;
    const args: (number | HeapArrayArg)[] = new Array(vals.length);
    for (let i = 0; i < vals.length; i++) {
      const t = params[i];
      if (typeof t !== 'object') {
        args[i] = vals[i] as number;
        continue;
      }
      const a = vals[i] as NdArray;
      const data = a.data as unknown as Parameters<typeof onHeap>[0];
      if (!ArrayBuffer.isView(data) || !onHeap(data)) {
        this.lastPath = `js: argument ${i + 1} is not on the numbats heap`;
        return ON_JS;
      }
      const arg = heapArg(data, t.dtype, a.offset, a.shape, a.stride, t.layout === 'C');
      // A view reaching outside its TypedArray reads undefined on the JS path; on wasm it
      // would reach a neighbouring block through the unchecked indices.
      if (!viewInside(arg)) {
        this.lastPath = `js: argument ${i + 1}'s view reaches outside its buffer`;
        return ON_JS;
      }
      args[i] = arg;
    }
    // Like V8's own tiers: the first call runs the JS code already compiled, and the wasm
    // module is built from the second on, so a function called once pays for one compiler
    // only (under NUMBATS_HEAP=all, or with the engine's thresholds at 0, at once).
    if (this.eligibleCalls++ === 0 && wasmConfig.minElements > 0) {
      this.lastPath = 'js: the first call runs the JS path; the wasm module is built on the next';
      return ON_JS;
    }
    const w = wasmFunction(this.plan);
    if (!w.run) {
      this.lastPath = `js: ${w.reason}`;
      return ON_JS;
    }
    this.lastPath = 'wasm';
    return callWasmFunction(w, this.plan, args);
  }

  /** Comment lines for `inspect()`: the last path, and the wasm module as text once built. */
  describe(): string {
    const w = builtWasmFunction(this.plan);
    const lines = [`// path of the latest call: ${this.lastPath || 'none yet'}`];
    if (w?.run) {
      lines.push(
        `// WebAssembly (${w.bytes} bytes, emitted in ${w.emitMs.toFixed(3)} ms, compiled in ${w.compileMs.toFixed(3)} ms):`,
        w.text,
      );
    } else if (w) lines.push(`// WebAssembly: not built (${w.reason})`);
    return lines.join('\n');
  }
}
