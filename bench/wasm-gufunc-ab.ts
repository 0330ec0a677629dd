/**
 * guvectorize on the heap: the JS loop against the scalar wasm loop (targets/wasm/gufunc.ts),
 * both over the same heap arrays, timed side by side in one run. Standalone:
 * `npx tsx bench/wasm-gufunc-ab.ts [rounds]`. Prints each kernel's medians and wasm/JS.
 *
 * The wasm contender forces the wasm loop on (whatever `wasmGufuncConfig` says); the JS
 * contender turns the wasm engine off. A third column, `default`, is what a plain call does
 * with the shipped settings (it names the path it took).
 */
import { free, guvectorize, type NdArray, type View, zeros } from '../src/index.js';
import { wasmGufuncConfig } from '../src/targets/wasm/gufunc.js';
import { lastPathOfAnyCall, wasmConfig } from '../src/targets/wasm/map.js';
import { sideBySide } from './harness.js';
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

function forced(on: boolean, run: () => unknown): () => unknown {
  return () => {
    const saved = wasmGufuncConfig.enabled;
    wasmConfig.enabled = on;
    wasmGufuncConfig.enabled = on || saved;
    try {
      return run();
    } finally {
      wasmConfig.enabled = true;
      wasmGufuncConfig.enabled = saved;
    }
  };
}

const rounds = Number(process.argv[2] ?? 15);
console.log('kernel                        JS loop ms   wasm ms   wasm/JS   default path');
for (const c of cases()) {
  const [js, wasm] = sideBySide(
    [
      { name: 'js', run: forced(false, c.call) },
      { name: 'wasm', run: forced(true, c.call) },
    ],
    rounds,
  );
  forced(true, c.call)();
  const forcedPath = lastPathOfAnyCall();
  c.call();
  const path = lastPathOfAnyCall();
  console.log(
    `${c.name.padEnd(30)}${js.medianMs.toFixed(3).padStart(10)}${wasm.medianMs.toFixed(3).padStart(10)}${(wasm.medianMs / js.medianMs).toFixed(2).padStart(10)}   ${path}${forcedPath.startsWith('wasm') ? '' : ` (forced: ${forcedPath})`}`,
  );
  for (const a of c.arrays) free(a);
}
