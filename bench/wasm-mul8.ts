/**
 * 1e7 uint8 `a * b` (NumPy wrap) on heap arrays, out given: the wasm loop (i8x16 through
 * 16-bit products since the 8-bit SIMD multiply; a scalar wasm loop before it) against
 * numbats' own JS loop on the same arrays, interleaved. Run:
 * `npx tsx bench/wasm-mul8.ts [rounds]`.
 */
import { vectorize, zeros } from '../src/index.js';
import { sideBySide } from './harness.js';
import { jsLoops } from './heap-contenders.js';

const rounds = Number(process.argv[2] ?? 15);
const N = 1e7;
const A = zeros([N], 'uint8');
const B = zeros([N], 'uint8');
const C = zeros([N], 'uint8');
for (let i = 0; i < N; i++) {
  A.data[i] = (i * 37) & 255;
  B.data[i] = (i * 101 + 7) & 255;
}
const mul = vectorize((a: number, b: number) => a * b, { name: 'mul' });
const run = () => mul(A, B, { out: C });
const t = sideBySide(
  [
    { name: 'wasm', run },
    { name: 'JS loop', run: jsLoops(run) },
  ],
  rounds,
);
run();
console.log('uint8 a*b, 1e7');
for (const x of t) console.log(`  ${x.name.padEnd(8)} ${x.medianMs.toFixed(2)} ms`);
console.log(`  ${mul.inspect().match(/last call[^\n]*/)?.[0]}`);
