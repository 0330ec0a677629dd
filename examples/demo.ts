/**
 * `npm run demo`: a short tour of numbats. Each step prints a progress line, its result,
 * and how long it took next to the same work as a hand-written loop.
 */
import { asarray, type NdArray, toArray, vectorize, zeros } from '../src/index.js';

const timings: { step: string; numbats: number; hand: number }[] = [];

function time<T>(f: () => T): [T, number] {
  const t0 = performance.now();
  const r = f();
  return [r, performance.now() - t0];
}

/** Best of a few runs, so the table shows steady-state speed (the first run includes compiling). */
function best(f: () => unknown, runs = 3): number {
  let b = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) b = Math.min(b, time(f)[1]);
  return b;
}

// ---- 1. Mandelbrot: one scalar escape-time kernel, broadcast over a grid -------------------
console.log('[1/2] Mandelbrot set with vectorize (escape time, 100 iterations)…');
const escapeTime = vectorize(
  (cx: number, cy: number) => {
    let x = 0;
    let y = 0;
    let i = 0;
    while (i < 100 && x * x + y * y <= 4) {
      const t = x * x - y * y + cx;
      y = 2 * x * y + cy;
      x = t;
      i++;
    }
    return i;
  },
  { name: 'escape' },
);
const W = 1024;
const H = 768;
const xs = zeros([1, W]);
const ys = zeros([H, 1]);
for (let j = 0; j < W; j++) xs.set(0, j, -2.2 + (3.2 * j) / (W - 1));
for (let i = 0; i < H; i++) ys.set(i, 0, -1.2 + (2.4 * i) / (H - 1));
const [iters, firstMs] = time(() => escapeTime(xs, ys) as NdArray); // (1,W) with (H,1) broadcasts to (H,W)
const mandelMs = best(() => escapeTime(xs, ys));
function handMandel(out: Int32Array, w: number, h: number) {
  for (let i = 0; i < h; i++) {
    const cy = -1.2 + (2.4 * i) / (h - 1);
    for (let j = 0; j < w; j++) {
      const cx = -2.2 + (3.2 * j) / (w - 1);
      let x = 0;
      let y = 0;
      let k = 0;
      while (k < 100 && x * x + y * y <= 4) {
        const t = x * x - y * y + cx;
        y = 2 * x * y + cy;
        x = t;
        k++;
      }
      out[i * w + j] = k;
    }
  }
}
const handOut = new Int32Array(W * H);
const mandelHand = best(() => handMandel(handOut, W, H));
timings.push({ step: `Mandelbrot ${W}×${H}`, numbats: mandelMs, hand: mandelHand });
const same = toArray(iters).every((v, k) => v === handOut[k]);
console.log(
  `      result dtype int32, shape (${iters.shape}), first call ${firstMs.toFixed(1)} ms incl. compile; matches the hand loop: ${same}`,
);
// A coarse ASCII rendering, sampled from the computed grid.
const shades = ' .:-=+*#%@';
for (let i = 0; i < H; i += 48) {
  let line = '      ';
  for (let j = 0; j < W; j += 16) {
    const k = iters.get(i, j) as number;
    line += k >= 100 ? '@' : shades[Math.min(shades.length - 2, Math.floor(Math.sqrt(k)))];
  }
  console.log(line);
}

// ---- 2. A data pipeline: normalise, clip, smooth, per-day summary ----------------------------
console.log('[2/2] A data pipeline: a week of minute readings through composed ufuncs…');
const DAYS = 7;
const PER_DAY = 24 * 60;
const n = DAYS * PER_DAY;
const raw = new Float64Array(n);
let seed = 42;
const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
for (let t = 0; t < n; t++) {
  const daily = 10 * Math.sin((2 * Math.PI * t) / PER_DAY);
  const spike = rand() < 0.002 ? 80 * (rand() - 0.5) : 0; // sensor glitches
  raw[t] = 20 + daily + 2 * (rand() - 0.5) + spike;
}
const series = asarray(raw);

const add = vectorize((a: number, b: number) => a + b, { identity: 0, name: 'add' });
const max = vectorize((a: number, b: number) => Math.max(a, b), { name: 'max' });
const min = vectorize((a: number, b: number) => Math.min(a, b), { name: 'min' });
const sq = vectorize((x: number, m: number) => (x - m) * (x - m), { name: 'sq' });
const zscore = vectorize((x: number, m: number, s: number) => (x - m) / s, { name: 'zscore' });
const clip = vectorize((x: number, lo: number, hi: number) => Math.min(Math.max(x, lo), hi), {
  name: 'clip',
});
const sub = vectorize((a: number, b: number) => a - b, { name: 'sub' });
const div = vectorize((a: number, b: number) => a / b, { name: 'div' });

const W_SMOOTH = 15;
function pipeline() {
  const mean = (add.reduce(series) as number) / n;
  const std = Math.sqrt((add.reduce(sq(series, mean) as NdArray) as number) / n);
  const z = zscore(series, mean, std) as NdArray;
  const clipped = clip(z, -3, 3) as NdArray;
  // Moving average from a running sum: (c[i] - c[i-w]) / w.
  const c = add.accumulate(clipped);
  const hi = c.hi(n).lo(W_SMOOTH) as unknown as NdArray;
  const lo = c.hi(n - W_SMOOTH) as unknown as NdArray;
  const smooth = div(sub(hi, lo) as NdArray, W_SMOOTH) as NdArray;
  const starts = Array.from({ length: DAYS }, (_, d) => d * PER_DAY);
  const dayMax = max.reduceat(z, starts);
  const dayMin = min.reduceat(z, starts);
  const daySum = add.reduceat(z, starts);
  return { mean, std, smooth, dayMax, dayMin, daySum };
}
const res = pipeline();
function handPipeline() {
  let s = 0;
  for (let t = 0; t < n; t++) s += raw[t];
  const mean = s / n;
  let v = 0;
  for (let t = 0; t < n; t++) v += (raw[t] - mean) * (raw[t] - mean);
  const std = Math.sqrt(v / n);
  const z = new Float64Array(n);
  const c = new Float64Array(n);
  let acc = 0;
  for (let t = 0; t < n; t++) {
    z[t] = (raw[t] - mean) / std;
    acc += Math.min(Math.max(z[t], -3), 3);
    c[t] = acc;
  }
  const smooth = new Float64Array(n - W_SMOOTH);
  for (let t = 0; t < n - W_SMOOTH; t++) smooth[t] = (c[t + W_SMOOTH] - c[t]) / W_SMOOTH;
  const dayMax = new Float64Array(DAYS).fill(Number.NEGATIVE_INFINITY);
  for (let t = 0; t < n; t++)
    dayMax[Math.floor(t / PER_DAY)] = Math.max(dayMax[Math.floor(t / PER_DAY)], z[t]);
  return smooth;
}
const pipeMs = best(pipeline);
const pipeHand = best(handPipeline);
timings.push({ step: `pipeline, ${n} samples`, numbats: pipeMs, hand: pipeHand });
console.log(
  `      mean ${res.mean.toFixed(3)}, std ${res.std.toFixed(3)}; smoothed ${res.smooth.shape[0]} points`,
);
console.log('      day │   min z │   max z │ mean z');
for (let d = 0; d < DAYS; d++) {
  const mn = res.dayMin.get(d) as number;
  const mx = res.dayMax.get(d) as number;
  const me = (res.daySum.get(d) as number) / PER_DAY;
  console.log(
    `      ${String(d + 1).padStart(3)} │ ${mn.toFixed(2).padStart(7)} │ ${mx.toFixed(2).padStart(7)} │ ${me.toFixed(3).padStart(6)}`,
  );
}
const handSmooth = handPipeline();
const maxDiff = toArray(res.smooth).reduce(
  (m, v, k) => Math.max(m, Math.abs(v - handSmooth[k])),
  0,
);
console.log(`      smoothed series matches the hand loop within ${maxDiff.toExponential(1)}`);

// ---- closing table -----------------------------------------------------------------------------
console.log('\nstep                        numbats     hand loop   ratio');
for (const t of timings) {
  console.log(
    `${t.step.padEnd(26)} ${t.numbats.toFixed(2).padStart(8)} ms ${t.hand.toFixed(2).padStart(8)} ms ${(t.numbats / t.hand).toFixed(2).padStart(6)}x`,
  );
}
