/**
 * `npm run bench`: every workload side by side, numbats vs hand-written loops vs
 * ndarray-ops, plus NumPy (timed inside Python) when python3 with numpy is present.
 * Prints a markdown table of medians and ratios. `BENCH_ROUNDS` sets the rounds (default 7).
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { type Row, ufuncBenchmarks } from './ufunc.bench.js';

const rounds = Number(process.env.BENCH_ROUNDS ?? 7);
console.log(
  `numbats bench — ${os.cpus()[0]?.model ?? 'cpu'} ×${os.cpus().length}, node ${process.version}, ${rounds} rounds\n`,
);

function numpy(): Record<string, number> | null {
  const script = fileURLToPath(new URL('./numpy_bench.py', import.meta.url));
  const r = spawnSync('python3', [script, String(rounds)], { encoding: 'utf8', timeout: 600_000 });
  if (r.status !== 0) {
    console.log(`(NumPy not measured: ${r.error?.message ?? r.stderr.trim().split('\n').pop()})`);
    return null;
  }
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

const rows: Row[] = ufuncBenchmarks(rounds);
console.log('\nrunning NumPy side…');
const np = numpy();

const fmt = (v: number | undefined, unit = 'ms') =>
  v === undefined ? '—' : unit === 'µs' ? `${(v * 1000).toFixed(2)} µs` : `${v.toFixed(2)} ms`;
const ratio = (a: number, b: number | undefined) =>
  b === undefined ? '—' : `${(a / b).toFixed(2)}x`;
console.log(
  '\n| workload | numbats | hand loop | numbats/hand | ndarray-ops | numbats/ndarray-ops | NumPy | numbats/NumPy |',
);
console.log('|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  const unit = r.key === 'small' ? 'µs' : 'ms';
  const npv = np?.[r.key === 'addAlloc' ? '' : r.key];
  console.log(
    `| ${r.workload} | ${fmt(r.numbats, unit)} | ${fmt(r.hand, unit)} | ${ratio(r.numbats, r.hand)} | ${fmt(r.ndarrayOps, unit)} | ${ratio(r.numbats, r.ndarrayOps)} | ${fmt(npv, unit === 'µs' ? 'ms' : unit)} | ${ratio(r.numbats, npv)} |`,
  );
}
