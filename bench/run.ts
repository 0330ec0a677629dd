/**
 * `npm run bench`: every workload side by side, numbats vs hand-written loops vs
 * ndarray-ops, plus Python peers (NumPy, Numba, SciPy) timed inside Python when python3
 * has them. Prints a markdown table of medians and ratios (the README's performance table
 * comes from it). `BENCH_ROUNDS` sets the rounds (default 7); `BENCH_ONLY=ufunc,stencil`
 * runs some suites only.
 */
import os from 'node:os';
import { gpuBenchmarks } from './gpu.bench.js';
import { gufuncBenchmarks } from './gufunc.bench.js';
import type { Row } from './harness.js';
import { jitclassBenchmarks } from './jitclass.bench.js';
import { parallelBenchmarks } from './parallel.bench.js';
import { stencilBenchmarks } from './stencil.bench.js';
import { ufuncBenchmarks } from './ufunc.bench.js';

const rounds = Number(process.env.BENCH_ROUNDS ?? 7);
const only = process.env.BENCH_ONLY?.split(',');

/** Each suite prints progress lines and returns its rows (Python peers included). */
const suites: Record<string, (rounds: number) => Row[]> = {
  ufunc: ufuncBenchmarks,
  gufunc: gufuncBenchmarks,
  jitclass: jitclassBenchmarks,
  stencil: stencilBenchmarks,
  parallel: parallelBenchmarks,
  gpu: gpuBenchmarks,
};

console.log(
  `numbats bench — ${os.cpus()[0]?.model ?? 'cpu'} ×${os.cpus().length}, node ${process.version}, ${rounds} rounds\n`,
);
const rows: Row[] = [];
for (const [name, suite] of Object.entries(suites)) {
  if (only && !only.includes(name)) continue;
  console.log(`## ${name}`);
  rows.push(...suite(rounds));
  console.log('');
}

const fmt = (v: number | undefined, unit: string) =>
  v === undefined ? '—' : unit === 'µs' ? `${(v * 1000).toFixed(2)} µs` : `${v.toFixed(2)} ms`;
const ratio = (a: number, b: number | undefined) =>
  b === undefined ? '—' : `${(a / b).toFixed(2)}x`;
// Python peers differ per workload (NumPy, einsum, Numba, SciPy…): one cell lists them all
// as "name time (numbats/name)".
const head = [
  'workload',
  'numbats',
  'hand loop',
  'numbats/hand',
  'ndarray-ops',
  'numbats/ndarray-ops',
  'Python peers (numbats/peer)',
];
console.log(`| ${head.join(' | ')} |`);
console.log(`|${head.map(() => '---').join('|')}|`);
for (const r of rows) {
  const u = r.unit ?? 'ms';
  const peers = Object.entries(r.python ?? {})
    .map(([name, v]) => `${name} ${fmt(v, u)} (${ratio(r.numbats, v)})`)
    .join('; ');
  const cells = [
    r.workload,
    fmt(r.numbats, u),
    fmt(r.hand, u),
    ratio(r.numbats, r.hand),
    fmt(r.ndarrayOps, u),
    ratio(r.numbats, r.ndarrayOps),
    peers || '—',
  ];
  console.log(`| ${cells.join(' | ')} |`);
}
