/**
 * How the `cpu` target runs a planned stencil call on the calling thread, choosing the
 * engine: when every operand lives on the numbats heap and the call is large enough, the
 * interior band runs as a WebAssembly loop (`targets/wasm/stencil.ts`) and the border bands
 * on the JS loop generated without the interior; otherwise the whole JS loop. The
 * `parallel` target runs calls it does not split here too.
 */
import type { StencilLoopCall, WasmStencilPlan } from '../../plan/stencil.js';
import { engineOffReason } from '../wasm/compile.js';
import { wasmConfig } from '../wasm/map.js';
import { noteJsStencil, recordStencilPath, runWasmStencil } from '../wasm/stencil.js';
import { wasmEngineOn } from './map.js';

/**
 * The wasm engine's plan of the call's interior, or undefined when the call stays on the JS
 * loop before any operand is looked at: a small call (silently: recording would cost it
 * time), or the engine or heap off (recorded for `inspect()`; `onWorkers`: as the workers'
 * path).
 */
export function wasmInterior(
  call: StencilLoopCall,
  onWorkers: boolean,
): WasmStencilPlan | undefined {
  if (call.elements < wasmConfig.minElements) return undefined;
  if (!wasmEngineOn()) {
    if (onWorkers) recordStencilPath(call.wasmTyped, `js on the workers: ${engineOffReason()}`);
    else noteJsStencil(call.wasmTyped, engineOffReason());
    return undefined;
  }
  return call.wasmPlan();
}

/** Runs a stencil call on the calling thread (see the module comment). */
export function runStencilInline(call: StencilLoopCall): void {
  const { D, P, N, S, R, A, C } = call;
  const plan = wasmInterior(call, false);
  if (plan !== undefined && runWasmStencil(plan)) {
    call.jsLoop(true)(D, P, N, S, R, A, C);
    return;
  }
  call.jsLoop(false)(D, P, N, S, R, A, C);
}
