/**
 * The source of a `parallel` pool worker: one body for both hosts, run from a string (Node:
 * `new Worker(src, { eval: true })`; browser: a Blob URL) so a bundled package has no
 * second file to locate. A worker compiles each loop source it is sent once (with the
 * same helpers `H` as the `cpu` target), or instantiates each wasm loop module it is sent
 * once on the heap's shared memory (posted to it once), then takes chunks of the job from its shared
 * counter. It records the outcome in the job's shared control block (an exception as
 * text), marks its part done and wakes the caller, who is blocked in `Atomics.wait` (or
 * waiting with `Atomics.waitAsync`).
 */
import { HELPERS } from '../../compiler/emit-js.js';
import { BORDER_HELPERS } from '../../plan/boundary.js';
import { wasmImport } from './wasm-imports.js';

/** Helper functions as an object literal (method shorthand and function forms both work). */
function helpersLiteral(helpers: Record<string, unknown>): string {
  const parts = Object.entries(helpers).map(([name, f]) => {
    const src = (f as Function).toString();
    return /^(async\s+)?function\b|^\(|=>/.test(src.slice(0, 200).split('{')[0])
      ? `${JSON.stringify(name)}:${src}`
      : src;
  });
  return `{${parts.join(',')}}`;
}

/** How the worker meets its host: Node `worker_threads` or a browser Web Worker. */
const PROLOGUE = {
  node: `const { parentPort, workerData } = require('node:worker_threads');
const { state } = workerData;
Atomics.store(state, 0, 1);
// The caller cannot see an 'exit' event while it blocks: the state slot tells it instead.
process.on('exit', () => { Atomics.store(state, 0, 2); Atomics.notify(state, 0); });
const exitNow = () => process.exit(70);
parentPort.on('message', (m) => runJob(m));
`,
  web: `let state;
// A Web Worker has no exit hook: it marks itself dead before closing.
const exitNow = () => { Atomics.store(state, 0, 2); Atomics.notify(state, 0); close(); throw new Error('exit'); };
self.onmessage = (e) => { if (e.data.init) { state = e.data.init; Atomics.store(state, 0, 1); } else runJob(e.data); };
`,
};

const cached: Partial<Record<keyof typeof PROLOGUE, string>> = {};

export function workerSource(host: keyof typeof PROLOGUE): string {
  cached[host] ??= `'use strict';
const H = ${helpersLiteral(HELPERS)};
// The helpers throw NumPy's ValueError by this name; the caller rebuilds it as numbats' class.
Object.defineProperty(H, 'ValueError', { value: class ValueError extends Error {
  constructor(m) { super(m); this.name = 'ValueError'; } } });
const B = ${helpersLiteral(BORDER_HELPERS)};
const CTORS = { Float64Array, Float32Array, Int8Array, Int16Array, Int32Array, Uint8Array,
  Uint16Array, Uint32Array, Uint8ClampedArray };
const loops = new Map();
// The numbats heap's shared WebAssembly.Memory (sent with the first job that needs it).
let memory = null;
${wasmImport.toString()}
// A wasm loop module on the shared memory: a loop taking (D, P, ...args) like the JS
// ones, whose args are run's own (byte addresses, extents, byte strides).
function wasmLoop(w) {
  if (memory === null) throw new Error('numbats parallel: no heap memory was sent to this worker');
  const js = {};
  for (const name of w.imports) js[name] = wasmImport(name, H);
  const run = new WebAssembly.Instance(w.module, { env: { memory }, js }).exports.run;
  return (D, P, ...args) => run(...args);
}
// The first exception of a job goes into its control block as text (the caller may be
// blocked and unable to read messages); the other workers stop taking chunks.
function reportError(m, e) {
  Atomics.store(m.ctl, m.next, 1 << 30);
  if (Atomics.compareExchange(m.ctl, m.err, 0, 1) !== 0) return;
  const name = (e && e.name) || 'Error';
  const text = (name + '\\n' + String(e && e.message !== undefined ? e.message : e)).slice(0, m.errChars);
  for (let i = 0; i < text.length; i++) m.ctl[m.err + 2 + i] = text.charCodeAt(i);
  Atomics.store(m.ctl, m.err + 1, text.length);
}
function runJob(m) {
  try {
    // The caller bounds how many loops a worker keeps (MAX_WORKER_LOOPS).
    for (const id of m.evict) loops.delete(id);
    if (m.memory) memory = m.memory;
    // The heap may have grown since this thread last looked: reading memory.buffer makes
    // the engine refresh this thread's view of the memory's size before any wasm runs
    // (the wasm loops need no JS views of it, so nothing else here can go stale).
    if (m.wasm && memory !== null) void memory.buffer.byteLength;
    for (const [id, src] of m.newLoops) {
      loops.set(id, typeof src === 'string' ? new Function('H', 'B', 'F', src)(H, B, undefined) : wasmLoop(src));
    }
    if (m.die) exitNow();
    if (m.fail) throw new RangeError(m.fail);
    const D = m.D.map(([b, c, off, n]) => new CTORS[c](b, off, n));
    for (;;) {
      const i = Atomics.add(m.ctl, m.next, 1);
      if (i >= m.tasks.length) break;
      const t = m.tasks[i];
      loops.get(t.loop)(D, t.P, ...t.args);
    }
  } catch (e) {
    if (m.die) throw e;
    reportError(m, e);
  }
  Atomics.store(m.ctl, 1 + m.slot, 1);
  Atomics.add(m.ctl, 0, 1);
  Atomics.notify(m.ctl, 0);
}
${PROLOGUE[host]}`;
  return cached[host]!;
}
