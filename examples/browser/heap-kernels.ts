/**
 * The kernels of the heap page, shared by the page and its module worker: a compute-bound
 * float64 ufunc and Conway's Life, each on `cpu` and on `parallel`, with the inputs, the
 * bitwise comparison and the `inspect()` lines the tests read.
 */
import { type NdArray, type Rel, stencil, vectorize, zeros } from 'numbats';

/** An elementwise kernel whose bits depend on every operation's rounding. */
const wave = (x: number) => Math.sqrt(x) * Math.sin(x) + x / 3;
const signatures = ['float64(float64)'];
export const waveOn = {
  cpu: vectorize(wave, { signatures, name: 'wave' }),
  parallel: vectorize(wave, { signatures, name: 'wave', target: 'parallel' }),
};

/** Conway's Life on a torus (the README's kernel). */
const rule = (c: Rel) => {
  const n = c(-1, -1) + c(-1, 0) + c(-1, 1) + c(0, -1) + c(0, 1) + c(1, -1) + c(1, 0) + c(1, 1);
  return n === 3 || (n === 2 && c(0, 0) === 1) ? 1 : 0;
};
export const lifeOn = {
  cpu: stencil(rule, { boundary: 'wrap', name: 'life' }),
  parallel: stencil(rule, { boundary: 'wrap', name: 'life', target: 'parallel' }),
};

/** The bytes of an array's storage. */
const bytes = (a: NdArray) => {
  const t = a.data as unknown as ArrayBufferView;
  return new Uint8Array(t.buffer, t.byteOffset, t.byteLength);
};

/** FNV-1a over an array's bytes: equal fingerprints for equal bits. */
export function fingerprint(a: NdArray): number {
  const d = bytes(a);
  let h = 0x811c9dc5;
  for (let k = 0; k < d.length; k++) h = Math.imul(h ^ d[k], 0x01000193);
  return h >>> 0;
}

/** Bytes that differ between two arrays' storage (-1: not the same size). */
export function differing(a: NdArray, b: NdArray): number {
  const u = bytes(a);
  const v = bytes(b);
  if (u.length !== v.length) return -1;
  let n = 0;
  for (let k = 0; k < u.length; k++) if (u[k] !== v[k]) n++;
  return n;
}

/** Whether an array's storage is shared memory (the numbats heap's, where it is on). */
export const shared = (a: NdArray) =>
  typeof SharedArrayBuffer !== 'undefined' &&
  (a.data as unknown as ArrayBufferView).buffer instanceof SharedArrayBuffer;

/**
 * The lines of a kernel's `inspect()` that name the path of its last call (the `parallel`
 * target's: where the call ran, then which loop ran there).
 */
export function pathOf(k: { inspect(): string }): string {
  return k
    .inspect()
    .split('\n')
    .filter((l) => /last call/.test(l))
    .join('\n');
}

/** A seeded LCG in [0, 1). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 4294967296;
  };
}

/** `n` seeded float64 in [0, 100), written into `into` when given. */
export function input(n: number, into?: NdArray): NdArray {
  const x = into ?? zeros([n], 'float64');
  const d = x.data as Float64Array;
  const r = lcg(12345);
  for (let k = 0; k < n; k++) d[k] = r() * 100;
  return x;
}

/** A seeded 30%-alive uint8 board, `n`×`n`. */
export function board(n: number): NdArray {
  const b = zeros([n, n], 'uint8');
  const d = b.data as Uint8Array;
  const r = lcg(20240601);
  for (let k = 0; k < d.length; k++) d[k] = r() < 0.3 ? 1 : 0;
  return b;
}

/** `gens` Life generations from `start` with `step` (a fresh output each generation). */
export function evolve(step: (b: NdArray) => NdArray, start: NdArray, gens: number): NdArray {
  let cur = start;
  for (let g = 0; g < gens; g++) cur = step(cur);
  return cur;
}

/** What a test reads of one cpu-versus-parallel comparison. */
export interface Comparison {
  cpu: number;
  parallel: number;
  /** Bytes whose bits differ (0: equal bit for bit). */
  differing: number;
  /** Calls (or call steps) that ran on the workers. */
  jobs: number;
  /** Whether both results live in shared memory (the heap). */
  shared: boolean;
  cpuPath: string;
  parallelPath: string;
  cpuMs: number;
  parMs: number;
}

/** Compares a cpu result with a parallel one (`jobs`: the pool's job count before). */
export function comparison(
  cpu: NdArray,
  par: NdArray,
  jobs: number,
  kernels: { cpu: { inspect(): string }; parallel: { inspect(): string } },
  cpuMs: number,
  parMs: number,
): Comparison {
  return {
    cpu: fingerprint(cpu),
    parallel: fingerprint(par),
    differing: differing(cpu, par),
    jobs,
    shared: shared(cpu) && shared(par),
    cpuPath: pathOf(kernels.cpu),
    parallelPath: pathOf(kernels.parallel),
    cpuMs,
    parMs,
  };
}
