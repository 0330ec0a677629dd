/**
 * A/B of the SIMD stencil interior loops, in one process: the 4096² float64 5-point
 * Laplacian ('skip') and the 4096² uint8 Life step ('wrap'), each with the loops of the
 * default tuning (chunked row reads, alignment peel, unrolled 4×) against the previous
 * ones (one load per read, no peel, unrolled 2×), interleaved round by round; the plain
 * Numba @njit loops (wasm_laplacian_peer.py) before and after. Run:
 * `npx tsx bench/wasm-laplacian-ab.ts [rounds]`.
 */
import { lifeRule } from '../examples/game-of-life.js';
import { type Rel, stencil, zeros } from '../src/index.js';
import { stencilTuning } from '../src/targets/wasm/stencil-rows.js';
import { runPython, sideBySide } from './harness.js';
import { filled } from './heap-contenders.js';

const rounds = Number(process.argv[2] ?? 21);
const G = 4096;
const peer = () => runPython(new URL('./wasm_laplacian_peer.py', import.meta.url), ['15']);
const before = peer();

const grid = filled([G, G]);
const lapOut = zeros([G, G]);
const laplacian = stencil((u: Rel) => u(-1, 0) + u(1, 0) + u(0, -1) + u(0, 1) - 4 * u(0, 0));
const board = zeros([G, G], 'uint8');
const bd = board.data as Uint8Array;
for (let i = 0; i < bd.length; i++) bd[i] = Math.random() < 0.3 ? 1 : 0;
const next = zeros([G, G], 'uint8');
const life = stencil(lifeRule, { boundary: 'wrap' });

const defaults = { ...stencilTuning };
const previous: typeof defaults = { unroll: 2, rowChunks: false, peel: false, strip: 0 };
/** Runs `f` under a tuning (each tuning has its own cached loop module). */
const under = (t: typeof defaults, f: () => unknown) => () => {
  Object.assign(stencilTuning, t);
  try {
    return f();
  } finally {
    Object.assign(stencilTuning, defaults);
  }
};
const variants: [string, typeof defaults][] = [
  ['new (default)', defaults],
  ['previous', previous],
  ['no chunks', { ...defaults, rowChunks: false }],
  ['no peel', { ...defaults, peel: false }],
  ['unrolled 2×', { ...defaults, unroll: 2 }],
  ['strips of 2 KiB', { ...defaults, strip: 2048 }],
];
for (const [name, run] of [
  ['Laplacian 4096² f64', () => laplacian(grid, { out: lapOut })],
  ['Life 4096² u8', () => life(board, { out: next })],
] as const) {
  const t = sideBySide(
    variants.map(([n, tuning]) => ({ name: n, run: under(tuning, run) })),
    rounds,
  );
  console.log(name);
  for (const x of t) console.log(`  ${x.name.padEnd(22)} ${x.medianMs.toFixed(2)} ms`);
}
const after = peer();
console.log('Numba @njit loops (before / after):', JSON.stringify(before), JSON.stringify(after));
