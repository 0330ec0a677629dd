/**
 * guvectorize on the `parallel` target over heap arrays: the wasm gufunc module on the
 * workers against the JS worker loops and the `cpu` target (wasm and JS), timed side by side
 * in one run. Standalone: `npx tsx bench/wasm-parallel-gufunc-ab.ts [rounds] [workers]`.
 * Prints each kernel's medians (best in parentheses) and the engine the parallel wasm call
 * reported. The wasm contenders force the wasm loop (`mode: 'always'`); the JS ones turn the
 * wasm engine off.
 */
import {
  closePool,
  free,
  guvectorize,
  parallelStatus,
  setParallelOptions,
  type View,
  zeros,
} from '../src/index.js';
import { wasmGufuncConfig } from '../src/targets/wasm/gufunc.js';
import { wasmConfig } from '../src/targets/wasm/map.js';
import { median } from './harness.js';
import { filled } from './heap-contenders.js';

function matmulOf(target: 'cpu' | 'parallel') {
  return guvectorize(
    (a: View, b: View, c: View) => {
      for (let i = 0; i < a.shape[0]; i++)
        for (let j = 0; j < b.shape[1]; j++) {
          let s = 0;
          for (let k = 0; k < a.shape[1]; k++) s += a.get(i, k) * b.get(k, j);
          c.set(i, j, s);
        }
    },
    '(m,n),(n,p)->(m,p)',
    { target },
  );
}
function rowDotOf(target: 'cpu' | 'parallel') {
  return guvectorize(
    (a: View, b: View) => {
      let s = 0;
      for (let i = 0; i < a.shape[0]; i++) s += a.get(i) * b.get(i);
      return s;
    },
    '(n),(n)->()',
    { target },
  );
}

/** The call with the wasm engine off (`js`) or the wasm gufunc loop forced (`wasm`). */
function on(path: 'js' | 'wasm', run: () => unknown): () => unknown {
  return () => {
    wasmConfig.enabled = path === 'wasm';
    wasmGufuncConfig.mode = 'always';
    try {
      return run();
    } finally {
      wasmConfig.enabled = true;
      wasmGufuncConfig.mode = 'auto';
    }
  };
}

/** Interleaved rounds after 2 warmup calls each: median and best ms. */
function timeAll(runs: (() => unknown)[], rounds: number): { med: number; min: number }[] {
  for (const r of runs) for (let w = 0; w < 2; w++) r();
  const samples = runs.map(() => [] as number[]);
  for (let k = 0; k < rounds; k++)
    runs.forEach((r, i) => {
      const t0 = performance.now();
      r();
      samples[i].push(performance.now() - t0);
    });
  return samples.map((s) => ({ med: median(s), min: Math.min(...s) }));
}

const rounds = Number(process.argv[2] ?? 15);
const workers = process.argv[3] === undefined ? undefined : Number(process.argv[3]);
setParallelOptions({ threshold: 0, ...(workers === undefined ? {} : { workers }) });

const mm = { cpu: matmulOf('cpu'), par: matmulOf('parallel') };
const rd = { cpu: rowDotOf('cpu'), par: rowDotOf('parallel') };
const a4 = filled([100_000, 4, 4]);
const b4 = filled([100_000, 4, 4]);
const c4 = zeros([100_000, 4, 4]);
const x = filled([100_000, 64]);
const y = filled([100_000, 64]);
const d = zeros([100_000]);
const cases: { name: string; k: typeof mm | typeof rd; call: (g: any) => unknown }[] = [
  { name: 'matmul 4x4 x1e5', k: mm, call: (g) => g(a4, b4, { out: c4 }) },
  { name: 'row dot (1e5,64)', k: rd, call: (g) => g(x, y, { out: d }) },
];
console.log(`workers: ${parallelStatus().workers}, rounds: ${rounds}; ms median (best)`);
console.log('kernel              par wasm        par JS          cpu wasm        cpu JS');
for (const c of cases) {
  const runs = [
    on('wasm', () => c.call(c.k.par)),
    on('js', () => c.call(c.k.par)),
    on('wasm', () => c.call(c.k.cpu)),
    on('js', () => c.call(c.k.cpu)),
  ];
  runs[0]();
  const engine = parallelStatus().lastCall?.engine;
  const t = timeAll(runs, rounds);
  const f = (r: { med: number; min: number }) =>
    `${r.med.toFixed(2)} (${r.min.toFixed(2)})`.padEnd(16);
  console.log(`${c.name.padEnd(20)}${t.map(f).join('')}`);
  console.log(`  engine: ${engine}`);
}
for (const a of [a4, b4, c4, x, y, d]) free(a);
closePool();
