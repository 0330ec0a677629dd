/**
 * The source of a `parallel` pool worker, run with `new Worker(src, { eval: true })` so a
 * bundled package has no second file to locate. A worker compiles each loop source it is
 * sent once (with the same helpers `H` as the `cpu` target), then runs the slices it is
 * given. It reports through its port, then bumps the job's shared counter and wakes the
 * caller, who is blocked in `Atomics.wait` (or waiting with `Atomics.waitAsync`).
 */
import { HELPERS } from '../../compiler/emit-js.js';
import { BORDER_HELPERS } from '../../stencil/modes.js';

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

let cached: string | undefined;

export function workerSource(): string {
  cached ??= `'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const { port, state } = workerData;
const H = ${helpersLiteral(HELPERS)};
const B = ${helpersLiteral(BORDER_HELPERS)};
const CTORS = { Float64Array, Float32Array, Int8Array, Int16Array, Int32Array, Uint8Array,
  Uint16Array, Uint32Array, Uint8ClampedArray };
// The caller cannot see an 'exit' event while it blocks: the state slot tells it instead.
process.on('exit', () => { Atomics.store(state, 0, 2); Atomics.notify(state, 0); });
const loops = new Map();
parentPort.on('message', (m) => {
  let err = null;
  try {
    for (const [id, src] of m.newLoops) {
      loops.set(id, new Function('H', 'B', 'F', src)(H, B, undefined));
    }
    if (m.die) process.exit(70);
    if (m.fail) throw new RangeError(m.fail);
    const D = m.D.map(([b, c, off, n]) => new CTORS[c](b, off, n));
    for (;;) {
      const i = Atomics.add(m.ctl, m.next, 1);
      if (i >= m.tasks.length) break;
      const t = m.tasks[i];
      loops.get(t.loop)(D, t.P, ...t.args);
    }
  } catch (e) {
    // The other workers stop taking chunks.
    Atomics.store(m.ctl, m.next, 1 << 30);
    err = { name: (e && e.name) || 'Error', message: String(e && e.message !== undefined ? e.message : e) };
  }
  port.postMessage({ job: m.job, err });
  Atomics.store(m.ctl, 1 + m.slot, 1);
  Atomics.add(m.ctl, 0, 1);
  Atomics.notify(m.ctl, 0);
});
`;
  return cached;
}
