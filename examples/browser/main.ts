/**
 * The Life page: Conway's Game of Life on a 256×256 torus, one `stencil` compiled for two
 * targets — `cpu` (generated loops: on the numbats heap of a cross-origin isolated page, the
 * interior as a WebAssembly SIMD loop) and `gpu` (gpu.js, WebGL2 in a browser) — switchable
 * while it runs. Each animation frame steps as many generations as fit in ~12 ms, then
 * draws the board; the readout is generations per second. The board starts from a seeded
 * PRNG, so every run (and both targets) see the same history.
 * `window.numbatsLife` is the hook the browser test (test/browser/life.test.ts) drives.
 */
import { type GpuStatus, gpuStatus, type NdArray, type Rel, stencil, zeros } from 'numbats';

const N = 256;
const SEED = 20240601;
const FRAME_BUDGET_MS = 12;
type Target = 'cpu' | 'gpu';

/** One generation: a live cell with 2 or 3 live neighbours survives, a dead one with 3 is born. */
const rule = (c: Rel) => {
  const n = c(-1, -1) + c(-1, 0) + c(-1, 1) + c(0, -1) + c(0, 1) + c(1, -1) + c(1, 0) + c(1, 1);
  return n === 3 || (n === 2 && c(0, 0) === 1) ? 1 : 0;
};
const life = {
  cpu: stencil(rule, { boundary: 'wrap', name: 'life' }),
  gpu: stencil(rule, { boundary: 'wrap', name: 'life', target: 'gpu' }),
};

/** mulberry32: a small seeded PRNG, so the soup is the same on every load. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The starting board: a random soup (30% alive) from `SEED`. */
function seedBoard(): NdArray {
  const b = zeros([N, N], 'uint8');
  const r = prng(SEED);
  const d = b.data as Uint8Array;
  for (let k = 0; k < d.length; k++) d[k] = r() < 0.3 ? 1 : 0;
  return b;
}

/** Runs `n` generations from `board` on `target`, ping-ponging two buffers; returns the last. */
function evolve(target: Target, board: NdArray, spare: NdArray, n: number): [NdArray, NdArray] {
  let [cur, next] = [board, spare];
  for (let g = 0; g < n; g++) {
    life[target](cur, { out: next });
    [cur, next] = [next, cur];
  }
  return [cur, next];
}

// --- the live view -------------------------------------------------------------------
const $ = <T extends HTMLElement>(sel: string) => document.querySelector<T>(sel)!;
const canvas = $<HTMLCanvasElement>('#board');
const ctx = canvas.getContext('2d')!;
const image = ctx.createImageData(N, N);
const pixels = new Uint32Array(image.data.buffer);
const ui = {
  target: $<HTMLSelectElement>('#target'),
  toggle: $<HTMLButtonElement>('#toggle'),
  reset: $<HTMLButtonElement>('#reset'),
  gen: $<HTMLOutputElement>('#gen'),
  gps: $<HTMLOutputElement>('#gps'),
  backend: $<HTMLParagraphElement>('#backend'),
};

const status = gpuStatus();
ui.backend.textContent = `gpu target: ${status.backend ?? 'unavailable'} (${status.reason})`;
const gpuOption = ui.target.querySelector<HTMLOptionElement>('option[value=gpu]')!;
gpuOption.disabled = status.backend === null;

const params = new URLSearchParams(location.search);
let target: Target = params.get('target') === 'cpu' || !status.backend ? 'cpu' : 'gpu';
let board = seedBoard();
let spare = zeros([N, N], 'uint8');
let generation = 0;
let running = false;
let gensPerSec = 0;
let rateFrom = { t: performance.now(), gen: 0 };

function draw(): void {
  const d = board.data as Uint8Array;
  // ABGR little-endian: live cells dark teal, dead cells off-white.
  for (let k = 0; k < d.length; k++) pixels[k] = d[k] ? 0xff6a5a1f : 0xfff4f1ee;
  ctx.putImageData(image, 0, 0);
  ui.gen.value = String(generation);
}

function frame(): void {
  if (!running) return;
  const t0 = performance.now();
  do {
    [board, spare] = evolve(target, board, spare, 1);
    generation++;
  } while (performance.now() - t0 < FRAME_BUDGET_MS);
  draw();
  const now = performance.now();
  if (now - rateFrom.t >= 500) {
    gensPerSec = ((generation - rateFrom.gen) * 1000) / (now - rateFrom.t);
    ui.gps.value = gensPerSec.toFixed(gensPerSec < 10 ? 1 : 0);
    rateFrom = { t: now, gen: generation };
  }
  requestAnimationFrame(frame);
}

function start(): void {
  if (running) return;
  running = true;
  ui.toggle.textContent = 'Stop';
  rateFrom = { t: performance.now(), gen: generation };
  requestAnimationFrame(frame);
}

function stop(): void {
  running = false;
  ui.toggle.textContent = 'Start';
}

function setTarget(t: Target): void {
  if (t === 'gpu' && !status.backend) throw new Error(`gpu target unavailable: ${status.reason}`);
  target = t;
  ui.target.value = t;
  rateFrom = { t: performance.now(), gen: generation };
}

function reset(): void {
  board = seedBoard();
  generation = 0;
  draw();
}

ui.target.value = target;
ui.target.addEventListener('change', () => setTarget(ui.target.value as Target));
ui.toggle.addEventListener('click', () => (running ? stop() : start()));
ui.reset.addEventListener('click', reset);
draw();
if (!params.has('paused')) start();

// --- the test hook -------------------------------------------------------------------
/** FNV-1a over the cells: a short fingerprint of a board. */
function hash(d: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let k = 0; k < d.length; k++) h = Math.imul(h ^ d[k], 0x01000193);
  return h >>> 0;
}

interface LifeRun {
  target: Target;
  generations: number;
  /** Milliseconds for the generations (no drawing). */
  ms: number;
  hash: number;
  population: number;
  /** The final board, row-major, 0/1. */
  cells: number[];
}

const api = {
  /** Runs `n` generations from the seed on `target`, off-screen; the live view is untouched. */
  async run(t: Target, n: number): Promise<LifeRun> {
    const t0 = performance.now();
    const [last] = evolve(t, seedBoard(), zeros([N, N], 'uint8'), n);
    const ms = performance.now() - t0;
    const d = last.data as Uint8Array;
    const population = d.reduce((a, b) => a + b, 0);
    return { target: t, generations: n, ms, hash: hash(d), population, cells: Array.from(d) };
  },
  gpuStatus: (): GpuStatus => gpuStatus(),
  /**
   * Which path the `cpu` stencil's last call took, as its `inspect()` says: on the numbats
   * heap (a cross-origin isolated page) the interior runs as a WebAssembly SIMD loop.
   */
  cpuPath: (): string =>
    life.cpu
      .inspect()
      .split('\n')
      .find((l) => l.includes('last call on')) ?? 'none yet',
  state: () => ({ running, target, generation, gensPerSec }),
  start,
  stop,
  reset,
  setTarget,
};
(window as unknown as { numbatsLife: typeof api }).numbatsLife = api;
