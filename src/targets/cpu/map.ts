/**
 * How the `cpu` target runs a planned elementwise call (a ufunc call, a reduction, a scan)
 * on the calling thread, choosing the engine: the WebAssembly loop module when every
 * operand lives on the numbats heap and the call is large enough (`targets/wasm/map.ts`),
 * otherwise the kernel's JS loop. Every target that runs map loops inline ends here (the
 * `parallel` target too, for calls it does not split).
 */
import { dtypeOfData } from '../../core/array.js';
import { existingHeap } from '../../core/heap.js';
import type { MapKernel, MapPlan } from '../../plan/map.js';
import { engineOffReason } from '../wasm/compile.js';
import { noteJsPath, runWasmMap, type WasmMapPlan, wasmConfig } from '../wasm/map.js';

/** Whether the wasm engine can run here at all (on, with a heap). */
export function wasmEngineOn(): boolean {
  return wasmConfig.enabled && existingHeap() !== undefined;
}

/**
 * Records why a large call cannot use the wasm engine at all (for `inspect()`); small calls
 * are not recorded (it would cost them time). True when the engine is on.
 */
export function checkWasmEngine(k: MapKernel, plan: MapPlan): boolean {
  const on = wasmEngineOn();
  if (!on && elements(plan.N) >= wasmConfig.minElements) noteJsPath(k.typed, engineOffReason());
  return on;
}

/** Runs `plan` on the calling thread: wasm when it can, else the JS loop. */
export function runMapInline(
  k: MapKernel,
  plan: MapPlan,
  engineOn = checkWasmEngine(k, plan),
): void {
  if (engineOn && elements(plan.N) >= wasmConfig.minElements) {
    if (k.callsFunction) noteJsPath(k.typed, 'the kernel calls the original function');
    else if (runWasmMap(wasmMapPlan(k, plan))) return;
  }
  k.loop(plan)(plan.D, plan.P, plan.N, plan.S);
}

/** The plan as the wasm engine takes it (dtypes and the loop nest). */
export function wasmMapPlan(k: MapKernel, p: MapPlan): WasmMapPlan {
  return {
    typed: k.typed,
    dtypes: p.D.map((d) => dtypeOfData(d)!),
    nin: p.nin,
    nout: p.nout,
    hasMask: p.hasMask,
    D: p.D,
    P: p.P,
    N: p.N,
    S: p.S,
    accumulate: p.call.accumulate,
    reorderable: p.call.reorderable,
    pairwise: p.call.pairwise,
    scan: p.call.scan,
    scanRegister: p.scan,
  };
}

function elements(N: readonly number[]): number {
  let n = 1;
  for (let i = 0; i < N.length; i++) n *= N[i];
  return n;
}
