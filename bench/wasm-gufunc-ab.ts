/**
 * guvectorize on the heap: the JS loop against the scalar wasm loop (targets/wasm/gufunc.ts),
 * both over the same heap arrays, timed side by side in one run. Standalone:
 * `npx tsx bench/wasm-gufunc-ab.ts [rounds]`. Prints each kernel's medians and wasm/JS.
 *
 * The `wasm` contender forces the wasm loop (`mode: 'always'`); the `JS` contender turns the
 * wasm engine off; `auto` is a plain call with the shipped settings, which times both paths
 * on its first calls and keeps the faster (its last path is printed). Medians over the
 * rounds, and in parentheses the ratio of the best times (steadier on a loaded machine).
 */
import { free, guvectorize, type NdArray, type View, zeros } from '../src/index.js';
import { wasmGufuncConfig } from '../src/targets/wasm/gufunc.js';
import { lastPathOfAnyCall, wasmConfig } from '../src/targets/wasm/map.js';
import { median } from './harness.js';
import { filled } from './heap-contenders.js';

const matmul = guvectorize((a: View, b: View, c: View) => {
  const m = a.shape[0];
  const n = a.shape[1];
  const p = b.shape[1];
  for (let i = 0; i < m; i++)
    for (let j = 0; j < p; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += a.get(i, k) * b.get(k, j);
      c.set(i, j, s);
    }
}, '(m,n),(n,p)->(m,p)');

const rowDot = guvectorize((a: View, b: View) => {
  let s = 0;
  for (let i = 0; i < a.shape[0]; i++) s += a.get(i) * b.get(i);
  return s;
}, '(n),(n)->()');

// A trailing mean over 10 elements (fewer at the row's start).
const movingAverage = guvectorize((x: View, o: View) => {
  const n = x.shape[0];
  let s = 0;
  for (let i = 0; i < n; i++) {
    s += x.get(i);
    if (i >= 10) s -= x.get(i - 10);
    o.set(i, s / Math.min(i + 1, 10));
  }
}, '(n)->(n)');

const normalise = guvectorize((x: View, o: View) => {
  const n = x.shape[0];
  let s = 0;
  for (let i = 0; i < n; i++) s += x.get(i) * x.get(i);
  const r = 1 / Math.sqrt(s);
  for (let i = 0; i < n; i++) o.set(i, x.get(i) * r);
}, '(n)->(n)');

interface Case {
  name: string;
  call: () => unknown;
  arrays: NdArray[];
}

function cases(): Case[] {
  const a4 = filled([2000, 4, 4]);
  const b4 = filled([2000, 4, 4]);
  const c4 = zeros([2000, 4, 4]);
  const a32 = filled([200, 32, 32]);
  const b32 = filled([200, 32, 32]);
  const c32 = zeros([200, 32, 32]);
  const x = filled([100_000, 64]);
  const y = filled([100_000, 64]);
  const d = zeros([100_000]);
  const ma = filled([2000, 500]);
  const mo = zeros([2000, 500]);
  const nx = filled([20_000, 32]);
  const no = zeros([20_000, 32]);
  return [
    { name: 'matmul 4x4 x2000', call: () => matmul(a4, b4, { out: c4 }), arrays: [a4, b4, c4] },
    {
      name: 'matmul 32x32 x200',
      call: () => matmul(a32, b32, { out: c32 }),
      arrays: [a32, b32, c32],
    },
    { name: 'row dot (1e5,64)', call: () => rowDot(x, y, { out: d }), arrays: [x, y, d] },
    {
      name: 'moving avg (2000,500) w=10',
      call: () => movingAverage(ma, { out: mo }),
      arrays: [ma, mo],
    },
    { name: 'row normalise (2e4,32)', call: () => normalise(nx, { out: no }), arrays: [nx, no] },
  ];
}

/** The call with the wasm engine off (`js`), the wasm loop forced (`wasm`), or as shipped. */
function on(path: 'js' | 'wasm' | 'auto', run: () => unknown): () => unknown {
  return () => {
    wasmConfig.enabled = path !== 'js';
    wasmGufuncConfig.mode = path === 'wasm' ? 'always' : 'auto';
    try {
      return run();
    } finally {
      wasmConfig.enabled = true;
      wasmGufuncConfig.mode = 'auto';
    }
  };
}

/** Interleaved rounds (every contender once per round, after 2 warmup calls each): median and best ms. */
function timeAll(runs: (() => unknown)[], rounds: number): { medianMs: number; minMs: number }[] {
  for (const r of runs) for (let w = 0; w < 2; w++) r();
  const samples = runs.map(() => [] as number[]);
  for (let k = 0; k < rounds; k++)
    runs.forEach((r, i) => {
      const t0 = performance.now();
      r();
      samples[i].push(performance.now() - t0);
    });
  return samples.map((s) => ({ medianMs: median(s), minMs: Math.min(...s) }));
}

const rounds = Number(process.argv[2] ?? 15);
console.log(
  'kernel                         JS ms   wasm ms  wasm/JS (best)  auto ms  auto/JS  auto path',
);
for (const c of cases()) {
  // auto's trials first (2 × (trials + 1) calls), so its column is the path it settled on.
  for (let k = 0; k < 2 * (wasmGufuncConfig.trials + 1); k++) on('auto', c.call)();
  const [js, wasm, auto] = timeAll(
    [on('js', c.call), on('wasm', c.call), on('auto', c.call)],
    rounds,
  );
  const path = lastPathOfAnyCall();
  const f = (x: number) => x.toFixed(3).padStart(9);
  console.log(
    `${c.name.padEnd(28)}${f(js.medianMs)}${f(wasm.medianMs)}${(wasm.medianMs / js.medianMs).toFixed(2).padStart(9)} (${(wasm.minMs / js.minMs).toFixed(2)})${f(auto.medianMs)}${(auto.medianMs / js.medianMs).toFixed(2).padStart(9)}  ${path.replace(/ \(best of.*|: scalar gufunc loop \S+/g, '')}`,
  );
  for (const a of c.arrays) free(a);
}
