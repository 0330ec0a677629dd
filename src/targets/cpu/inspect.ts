/**
 * The engine lines of the kinds' `inspect()`: which path a kernel's last large call took on
 * the `cpu` target's engines (the wasm module or the JS loop, and why), and the wasm loops
 * built so far, as text. The kinds reach them through the registry (`CPU`), so no kind
 * reads the wasm engine's records itself.
 */
import type { TypedKernel } from '../../compiler/ir.js';
import { describeWasmGufunc } from '../wasm/gufunc.js';
import { lastWasmPath, wasmConfig, wasmLoops } from '../wasm/map.js';
import { lastWasmStencilPath, wasmStencilLoops } from '../wasm/stencil.js';

/** One built (or refused) wasm loop, as `inspect()` lists it. */
interface LoopNote {
  readonly key: string;
  readonly run?: unknown;
  readonly reason?: string;
  readonly simd?: string | null;
  readonly bytes: number;
  readonly emitMs: number;
  readonly compileMs: number;
  readonly text: string;
}

function loopLines(l: LoopNote, what: string): string[] {
  if (!l.run) return [`// ${what} ${l.key}: not built (${l.reason})`];
  return [
    `// ${what} ${l.key}: ${l.simd ? `SIMD ${l.simd} inner loop` : 'scalar'}, ${l.bytes} bytes, emitted in ${l.emitMs.toFixed(3)} ms, compiled in ${l.compileMs.toFixed(3)} ms`,
    l.text,
  ];
}

/** An elementwise kernel: the path of its last large call, and its wasm loops. */
export function describeMapEngine(typed: TypedKernel): string {
  const lines = [
    `// last call on ${wasmConfig.minElements}+ elements: ${lastWasmPath(typed) ?? 'none yet'}`,
  ];
  for (const l of wasmLoops(typed)) lines.push(...loopLines(l, 'wasm loop'));
  return `\n${lines.join('\n')}`;
}

/** A stencil's typings: the path of each one's last large call, and its wasm interior loops. */
export function describeStencilEngine(
  name: string,
  typings: readonly { readonly typed: TypedKernel; readonly wrapped: TypedKernel }[],
): string {
  const lines: string[] = [];
  for (const t of typings) {
    const path = lastWasmStencilPath(t.wrapped);
    const loops = wasmStencilLoops(t.wrapped);
    if (!path && loops.length === 0) continue;
    lines.push(
      `// ${name}(${t.typed.paramTypes.join(', ')}): last call on ${wasmConfig.minElements}+ elements: ${path ?? 'none yet'}`,
    );
    for (const l of loops) lines.push(...loopLines(l, 'wasm interior loop'));
  }
  return lines.length ? `\n\n${lines.join('\n')}` : '';
}

/** A gufunc kernel: the path of its last call on heap arrays, and its wasm loops. */
export function describeGufuncEngine(typed: TypedKernel): string {
  return describeWasmGufunc(typed);
}

/** Runs `f` with the wasm engine off (to show a kind's whole JS loop). */
export function withJsLoopsOnly<T>(f: () => T): T {
  const on = wasmConfig.enabled;
  wasmConfig.enabled = false;
  try {
    return f();
  } finally {
    wasmConfig.enabled = on;
  }
}
