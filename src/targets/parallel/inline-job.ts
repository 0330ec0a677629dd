/**
 * Runs what is left of a posted job on the calling thread, the way a pool worker runs it
 * (worker-source.ts): the same loop sources with the same helpers, or the same wasm loop
 * modules on the heap's memory, taking the remaining chunks from the job's shared counter.
 * Used when the pool's workers could not start at all (a browser page whose
 * Content-Security-Policy refuses Blob-URL workers): the call that found out still returns
 * the right result, and later calls run on `cpu` without posting.
 */

import { HELPERS } from '../../compiler/emit-js.js';
import { compileGenerated } from '../../core/codegen.js';
import { BORDER_HELPERS } from '../../plan/boundary.js';
import type { JobData } from './pool.js';
import { wasmImport } from './wasm-imports.js';

type Loop = (D: unknown[], P: number[], ...args: unknown[]) => void;

/** A worker's loop, built here: a JS loop factory's body or a wasm loop module. */
function buildLoop(src: JobData['tasks'][number]['src'], memory: object | undefined): Loop {
  if (typeof src === 'string')
    return compileGenerated('H', 'B', 'F', src)(HELPERS, BORDER_HELPERS) as Loop;
  if (memory === undefined) throw new Error('internal: a wasm job without the heap memory');
  const js: Record<string, unknown> = {};
  for (const name of src.imports) js[name] = wasmImport(name, HELPERS);
  const inst = new WebAssembly.Instance(src.module as WebAssembly.Module, {
    env: { memory: memory as WebAssembly.Memory },
    js: js as WebAssembly.ModuleImports,
  });
  const run = inst.exports.run as (...a: unknown[]) => void;
  return (_D, _P, ...args) => run(...args);
}

/**
 * Takes the job's remaining chunks from its counter (`ctl[next]`) and runs them here. A
 * kernel exception stops the other takers (as a worker's does) and is thrown to the caller.
 */
export function runRemainingInline(data: JobData, ctl: Int32Array, next: number): void {
  const loops = new Map<number, Loop>();
  const D = data.D.map(([b, c, off, n]) => {
    const Ctor = (globalThis as unknown as Record<string, new (...a: unknown[]) => unknown>)[c];
    return new Ctor(b, off, n);
  });
  try {
    for (;;) {
      const i = Atomics.add(ctl, next, 1);
      if (i >= data.tasks.length) break;
      const t = data.tasks[i];
      let loop = loops.get(t.loop);
      if (!loop) {
        loop = buildLoop(t.src, data.memory);
        loops.set(t.loop, loop);
      }
      loop(D, t.P, ...t.args);
    }
  } catch (e) {
    Atomics.store(ctl, next, 1 << 30);
    throw e;
  }
}
