/**
 * Compiling and instantiating the wasm loop modules, and what happens where that is
 * refused. An environment that forbids WebAssembly code generation makes
 * `new WebAssembly.Module`, `WebAssembly.compile` and `instantiate` throw (a CompileError in
 * Chromium, an EvalError in Safari and Firefox). numbats then runs every call on the JS
 * loops: the first refusal turns the wasm engine off for the rest of the session (no module
 * is tried again) and records the reason, which `inspect()` shows beside each kernel's last
 * path. Nothing is thrown at the caller.
 *
 * In a web page this fallback is not what a Content-Security-Policy leads to: 'unsafe-eval',
 * which numbats' generated JS loops and arrays need (core/codegen.ts), allows WebAssembly
 * too, so a policy that refuses WebAssembly has refused `new Function` first, and numbats
 * throws an EvalError naming the directive. It serves embedders that refuse WebAssembly
 * alone. An engine with no WebAssembly at all (V8 with --jitless) has no heap either, and
 * `engineOffReason` says so.
 *
 * A module that fails to compile for a reason of its own (an emitter bug) must not turn wasm
 * off for every kernel: a failure is taken as a refusal only when a minimal valid module
 * fails too (the probe below).
 */

import { existingHeap, heapStatus, NO_WEBASSEMBLY } from '../../core/heap.js';

/** The compiler calls the engine makes; tests replace them to play a refusing page. */
export interface WasmCompiler {
  module(bytes: Uint8Array): WebAssembly.Module;
  instance(mod: WebAssembly.Module, imports: WebAssembly.Imports): WebAssembly.Instance;
  instantiate(
    bytes: Uint8Array,
    imports: WebAssembly.Imports,
  ): Promise<WebAssembly.WebAssemblyInstantiatedSource>;
}

const native: WasmCompiler = {
  module: (bytes) => new WebAssembly.Module(bytes as BufferSource),
  instance: (mod, imports) => new WebAssembly.Instance(mod, imports),
  instantiate: (bytes, imports) => WebAssembly.instantiate(bytes as BufferSource, imports),
};

/** The calls in use (a test seam: {@link setWasmCompiler}). */
let compiler: WasmCompiler = native;
/** Why wasm cannot run here, once a refusal was seen. */
let refused: string | undefined;

/** The smallest valid module: the magic number and version 1. */
const EMPTY_MODULE = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);

/**
 * Replaces the compiler calls (tests: a compiler that throws as a CSP-restricted page does)
 * and forgets an earlier refusal; with no argument, restores the engine's own.
 */
export function setWasmCompiler(c?: WasmCompiler): void {
  compiler = c ?? native;
  refused = undefined;
}

/** Why WebAssembly is refused here (the engine then runs only JS loops), or undefined. */
export function wasmRefused(): string | undefined {
  return refused;
}

/**
 * Why a large call runs the JS loops although no loop refused it: there is no WebAssembly,
 * it was refused, the heap is off (wasm loops run only on heap arrays), or no array lives on
 * the heap yet. `inspect()` shows it as the last call's path.
 */
export function engineOffReason(): string {
  if (typeof WebAssembly === 'undefined') return `${NO_WEBASSEMBLY}; every call runs the JS loops`;
  if (refused !== undefined) return refused;
  const h = heapStatus();
  if (!h.enabled && existingHeap() === undefined)
    return `the numbats heap is off (${h.reason}); wasm loops run only on heap arrays`;
  if (existingHeap() === undefined)
    return 'no operand is on the numbats heap (arrays over your own buffers, or under configureHeap minBytes)';
  return 'the wasm engine is turned off';
}

/** Whether compiling the empty module fails too: then the environment refuses wasm. */
function environmentRefuses(): boolean {
  try {
    compiler.module(EMPTY_MODULE);
    return false;
  } catch {
    return true;
  }
}

/** Records a failure; returns the reason to show for the loop. */
function failed(e: unknown): string {
  const msg = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  if (refused === undefined && environmentRefuses()) {
    refused = `WebAssembly is not allowed here (${msg}); every call runs the JS loops (a page allows it with 'wasm-unsafe-eval' or 'unsafe-eval' in its Content-Security-Policy script-src)`;
  }
  return refused ?? `WebAssembly compile failed: ${msg}`;
}

/** A compiled module (the `parallel` workers instantiate it too) and its instance's exports. */
export interface Compiled {
  module: WebAssembly.Module;
  exports: WebAssembly.Exports;
}

/** Compiles and instantiates now: the module's exports, or the reason it did not work. */
export function instantiateSync(
  bytes: Uint8Array,
  imports: WebAssembly.Imports,
): Compiled | { reason: string } {
  if (refused !== undefined) return { reason: refused };
  try {
    const module = compiler.module(bytes);
    return { module, exports: compiler.instance(module, imports).exports };
  } catch (e) {
    return { reason: failed(e) };
  }
}

/** Compiles and instantiates in the background (a browser's main thread, large modules). */
export function instantiateAsync(
  bytes: Uint8Array,
  imports: WebAssembly.Imports,
  done: (r: Compiled | { reason: string }) => void,
): void {
  if (refused !== undefined) {
    done({ reason: refused });
    return;
  }
  let pending: Promise<WebAssembly.WebAssemblyInstantiatedSource>;
  try {
    pending = compiler.instantiate(bytes, imports);
  } catch (e) {
    done({ reason: failed(e) });
    return;
  }
  pending.then(
    ({ module, instance }) => done({ module, exports: instance.exports }),
    (e: unknown) => done({ reason: failed(e) }),
  );
}
