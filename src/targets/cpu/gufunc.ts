/**
 * How the `cpu` target runs a planned gufunc call on the calling thread, choosing the
 * engine: the WebAssembly loop (`targets/wasm/gufunc.ts`, which in `auto` mode times it
 * against the JS loop on a loop's first calls) when every operand lives on the numbats heap
 * and the call allows it, otherwise the JS loop.
 */
import type { GufuncLoopCall } from '../../plan/gufunc.js';
import { runWasmGufunc } from '../wasm/gufunc.js';

/** Runs a gufunc call on the calling thread (see the module comment). */
export function runGufuncInline(call: GufuncLoopCall): void {
  if (call.wasmAllowed && runWasmGufunc(call)) return;
  call.runJs();
}
