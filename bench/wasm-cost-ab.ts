/**
 * A/B of the wasm cost rule (src/targets/wasm/cost.ts), in one process: a 1e7 float64
 * `exp(x)·sin(x)` on heap arrays with the rule on (the JS loop runs: after) and off (the
 * scalar wasm loop calling JS Math per element: before), and a kernel with enough
 * arithmetic that stays on wasm either way. Run: `npx tsx bench/wasm-cost-ab.ts [rounds]`.
 */
import { vectorize, zeros } from '../src/index.js';
import { wasmConfig } from '../src/targets/wasm/map.js';
import { sideBySide } from './harness.js';
import { filled } from './heap-contenders.js';

const rounds = Number(process.argv[2] ?? 11);
const N = 1e7;
const A = filled([N]);
const C = zeros([N]);
const withRule = (on: boolean, f: () => unknown) => () => {
  wasmConfig.costRule = on;
  try {
    return f();
  } finally {
    wasmConfig.costRule = true;
  }
};
for (const [name, fn] of [
  ['exp(x)·sin(x)', (x: number) => Math.exp(x) * Math.sin(x)],
  ['exp(0.5x+1)·x−3', (x: number) => Math.exp(x * 0.5 + 1) * x - 3],
] as const) {
  const f = vectorize(fn);
  const run = () => f(A, { out: C });
  const t = sideBySide(
    [
      { name: 'rule on (after)', run: withRule(true, run) },
      { name: 'rule off (before)', run: withRule(false, run) },
    ],
    rounds,
  );
  f(A, { out: C });
  console.log(`${name}, 1e7 float64`);
  for (const x of t) console.log(`  ${x.name.padEnd(18)} ${x.medianMs.toFixed(1)} ms`);
  console.log(`  ${f.inspect().match(/last call[^\n]*/)?.[0]}`);
}
