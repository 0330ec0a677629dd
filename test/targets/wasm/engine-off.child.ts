/**
 * Run by engine-off.test.ts in a Node without the wasm engine (`--jitless`: no WebAssembly;
 * or NUMBATS_HEAP=off): prints what heapStatus() and each kernel's inspect() say, and
 * whether large calls still equal a plain JS loop.
 */
import { heapStatus, type Rel, stencil, vectorize, zeros } from '../../../src/index.js';

const n = 5000;
const x = zeros([n]);
for (let i = 0; i < n; i++) x.data[i] = i * 0.25;
const f = (v: number) => Math.sqrt(v) * Math.sin(v) + v / 3;
const wave = vectorize(f, { signatures: ['float64(float64)'] });
const y = wave(x) as { data: Float64Array };
let waveOk = true;
for (let i = 0; i < n; i++) if (!Object.is(y.data[i], f(i * 0.25))) waveOk = false;

const blur = stencil((u: Rel) => (u(-1, 0) + u(1, 0) + u(0, -1) + u(0, 1)) / 4, {
  boundary: 'wrap',
});
const g = zeros([64, 64]);
for (let i = 0; i < g.data.length; i++) g.data[i] = (i * 7) % 13;
const b = blur(g) as { data: Float64Array };
let blurOk = true;
for (let i = 0; i < 64; i++)
  for (let j = 0; j < 64; j++) {
    const at = (r: number, c: number) => g.data[((r + 64) % 64) * 64 + ((c + 64) % 64)];
    const want = (at(i - 1, j) + at(i + 1, j) + at(i, j - 1) + at(i, j + 1)) / 4;
    if (!Object.is(b.data[i * 64 + j], want)) blurOk = false;
  }

const lastLine = (text: string) => text.split('\n').find((l) => /last call on/.test(l)) ?? '';
console.log(
  JSON.stringify({
    webAssembly: typeof WebAssembly !== 'undefined',
    heap: heapStatus(),
    wave: lastLine(wave.inspect()),
    blur: lastLine(blur.inspect()),
    waveOk,
    blurOk,
  }),
);
