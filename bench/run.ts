/**
 * `npm run bench`: every workload side by side, numbats vs hand-written loops vs
 * ndarray-ops vs plain hand-written gpu.js kernels (W1, W2 and the gpu suite's workloads,
 * on the backend the `gpu` target uses: run under `xvfb-run -a` for headlessgl, else they
 * run on webasm), plus Python peers (NumPy, Numba, SciPy) timed inside Python when python3
 * has them. Prints a markdown table of medians and ratios (the README's performance table
 * comes from it) and, for a full run, writes bench/results.md and bench/results.svg.
 * `BENCH_ROUNDS` sets the rounds (default 7); `BENCH_ONLY=ufunc,stencil,jit`
 * (or `BENCH_ONLY=wasm,jitwasm` for the WebAssembly rows)
 * runs some suites only.
 */
import os from 'node:os';
import { gpuBenchmarks } from './gpu.bench.js';
import { gufuncBenchmarks } from './gufunc.bench.js';
import type { Row } from './harness.js';
import { jitBenchmarks } from './jit.bench.js';
import { jitWasmBenchmarks } from './jit-wasm.bench.js';
import { jitclassBenchmarks } from './jitclass.bench.js';
import { parallelBenchmarks } from './parallel.bench.js';
import { markdownTable, writeReport } from './report.js';
import { stencilBenchmarks } from './stencil.bench.js';
import { ufuncBenchmarks } from './ufunc.bench.js';
import { wasmBenchmarks } from './wasm.bench.js';

const rounds = Number(process.env.BENCH_ROUNDS ?? 7);
const only = process.env.BENCH_ONLY?.split(',');

/** Each suite prints progress lines and returns its rows (Python peers included). */
const suites: Record<string, (rounds: number) => Row[]> = {
  ufunc: ufuncBenchmarks,
  gufunc: gufuncBenchmarks,
  jit: jitBenchmarks,
  jitclass: jitclassBenchmarks,
  stencil: stencilBenchmarks,
  parallel: parallelBenchmarks,
  gpu: gpuBenchmarks,
  wasm: wasmBenchmarks,
  jitwasm: jitWasmBenchmarks,
};

const machine = `${os.cpus()[0]?.model ?? 'cpu'} ×${os.cpus().length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}, ${rounds} rounds`;
console.log(`numbats bench — ${machine}\n`);
const rows: Row[] = [];
for (const [name, suite] of Object.entries(suites)) {
  if (only && !only.includes(name)) continue;
  console.log(`## ${name}`);
  rows.push(...suite(rounds));
  console.log('');
}

console.log(markdownTable(rows));
if (!only) {
  writeReport(rows, machine);
  console.log('\nwrote bench/results.md and bench/results.svg');
}
