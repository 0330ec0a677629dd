/**
 * `npm run demo`: a short tour of numbats. Each step prints a progress line and what it
 * made; pictures go to `out/`; a closing table puts each step's time next to the same
 * work done with a hand-written loop.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { asarray, type NdArray, toArray, vectorize, zeros } from '../src/index.js';
import { diffuse, hotSquare } from './heat-diffusion.js';
import { movingAverage } from './moving-average.js';
import { writeBoardsGif, writeHeatmapPng } from './showcase/images.js';
import { gunBoard, runLife, runLifeByHand } from './showcase/life.js';
import { grid, mandelbrot, mandelbrotByHand, mandelTarget } from './showcase/mandelbrot.js';
import { density, fountain } from './showcase/particles.js';

const OUT = join(process.cwd(), 'out');
mkdirSync(OUT, { recursive: true });
const STEPS = 6;
const table: { step: string; numbats: number; hand: number }[] = [];
let stepNo = 0;

function progress(title: string): void {
  stepNo++;
  console.log(`[${stepNo}/${STEPS}] ${title}`);
}

/** Best wall time of a few runs, after one untimed warm-up run (compiling, JIT). */
function best(f: () => unknown, runs = 3): number {
  f();
  let b = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    f();
    b = Math.min(b, performance.now() - t0);
  }
  return b;
}

// ---- 1. Game of Life --------------------------------------------------------------------------
progress("Game of Life: Gosper's glider gun on a 96×160 torus (stencil, boundary 'wrap')…");
{
  const H = 96;
  const W = 160;
  const start = gunBoard(H, W);
  const { frames, final } = runLife(start, 240, 3);
  writeBoardsGif(join(OUT, 'life.gif'), frames, 3, 50);
  const alive = toArray(final).reduce((a, b) => a + b, 0);
  const byHand = runLifeByHand(start.data as Uint8Array, H, W, 240);
  const same = toArray(final).every((v, k) => v === byHand[k]);
  console.log(
    `      ${frames.length} frames → out/life.gif; ${alive} live cells after 240 generations; hand loop agrees: ${same}`,
  );
  table.push({
    step: 'Life, 240 generations',
    numbats: best(() => runLife(start, 240, 1000)),
    hand: best(() => runLifeByHand(start.data as Uint8Array, H, W, 240)),
  });
}

// ---- 2. Heat diffusion ------------------------------------------------------------------------
progress('Heat diffusion: 5-point Laplacian stencil, 400 explicit steps on 256×256…');
{
  const u0 = hotSquare(256, 48);
  const u = diffuse(u0, 400, 0.24, 'cold');
  writeHeatmapPng(join(OUT, 'heat.png'), u, 0, Math.max(...toArray(u)));
  console.log(
    `      out/heat.png; the 100° square has spread: peak ${Math.max(...toArray(u)).toFixed(1)}°`,
  );
  const n = 256;
  const handHeat = (src: Float64Array) => {
    let cur = src.slice();
    let next = new Float64Array(n * n);
    for (let s = 0; s < 400; s++) {
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          const c = cur[i * n + j];
          const up = i > 0 ? cur[(i - 1) * n + j] : 0;
          const down = i < n - 1 ? cur[(i + 1) * n + j] : 0;
          const left = j > 0 ? cur[i * n + j - 1] : 0;
          const right = j < n - 1 ? cur[i * n + j + 1] : 0;
          next[i * n + j] = c + 0.24 * (up + down + left + right - 4 * c);
        }
      }
      [cur, next] = [next, cur];
    }
    return cur;
  };
  const byHand = handHeat(u0.data as Float64Array);
  const diff = toArray(u).reduce((m, v, k) => Math.max(m, Math.abs(v - byHand[k])), 0);
  console.log(`      matches a hand-written loop within ${diff.toExponential(1)}`);
  table.push({
    step: 'heat, 400 steps 256²',
    numbats: best(() => diffuse(u0, 400, 0.24, 'cold'), 2),
    hand: best(() => handHeat(u0.data as Float64Array), 2),
  });
}

// ---- 3. Mandelbrot ------------------------------------------------------------------------------
progress(`Mandelbrot set: vectorize over a 1024×768 grid (target '${mandelTarget}')…`);
{
  const [xs, ys] = grid(768, 1024);
  const iters = mandelbrot(xs, ys) as NdArray; // (1,1024) with (768,1) broadcasts to (768,1024)
  const logIters = vectorize((k: number) => Math.log1p(k), { name: 'log1p' })(iters) as NdArray;
  writeHeatmapPng(join(OUT, 'mandelbrot.png'), logIters, 0, Math.log1p(100));
  const byHand = new Int32Array(768 * 1024);
  mandelbrotByHand(byHand, 768, 1024);
  const same = toArray(iters).every((v, k) => v === byHand[k]);
  console.log(`      out/mandelbrot.png; iteration counts; hand loop agrees: ${same}`);
  table.push({
    step: `Mandelbrot (${mandelTarget})`,
    numbats: best(() => mandelbrot(xs, ys)),
    hand: best(() => mandelbrotByHand(byHand, 768, 1024)),
  });
}

// ---- 4. A data pipeline -------------------------------------------------------------------------
progress('A data pipeline: a week of minute readings, normalised, clipped, smoothed, summarised…');
{
  const DAYS = 7;
  const PER_DAY = 24 * 60;
  const n = DAYS * PER_DAY;
  const raw = new Float64Array(n);
  let seed = 42;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  for (let t = 0; t < n; t++) {
    const glitch = rand() < 0.002 ? 80 * (rand() - 0.5) : 0; // sensor glitches
    raw[t] = 20 + 10 * Math.sin((2 * Math.PI * t) / PER_DAY) + 2 * (rand() - 0.5) + glitch;
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
  const pipeline = () => {
    const mean = (add.reduce(series) as number) / n;
    const std = Math.sqrt((add.reduce(sq(series, mean) as NdArray) as number) / n);
    const z = zscore(series, mean, std) as NdArray;
    const smooth = movingAverage(clip(z, -3, 3) as NdArray, 30) as NdArray; // guvectorize (n),()->(n)
    const starts = Array.from({ length: DAYS }, (_, d) => d * PER_DAY);
    return {
      mean,
      std,
      smooth,
      lo: min.reduceat(z, starts),
      hi: max.reduceat(z, starts),
      sum: add.reduceat(smooth, starts),
    };
  };
  const handPipeline = () => {
    let s = 0;
    for (let t = 0; t < n; t++) s += raw[t];
    const mean = s / n;
    let v = 0;
    for (let t = 0; t < n; t++) v += (raw[t] - mean) ** 2;
    const std = Math.sqrt(v / n);
    const z = new Float64Array(n);
    const smooth = new Float64Array(n);
    let win = 0;
    for (let t = 0; t < n; t++) {
      z[t] = (raw[t] - mean) / std;
      win += Math.min(Math.max(z[t], -3), 3);
      if (t >= 30) win -= Math.min(Math.max(z[t - 30], -3), 3);
      smooth[t] = win / Math.min(t + 1, 30);
    }
    const lo = new Float64Array(DAYS).fill(Number.POSITIVE_INFINITY);
    const hi = new Float64Array(DAYS).fill(Number.NEGATIVE_INFINITY);
    const sum = new Float64Array(DAYS);
    for (let t = 0; t < n; t++) {
      const d = Math.floor(t / PER_DAY);
      lo[d] = Math.min(lo[d], z[t]);
      hi[d] = Math.max(hi[d], z[t]);
      sum[d] += smooth[t];
    }
    return { smooth, sum };
  };
  const r = pipeline();
  const h = handPipeline();
  const diff = toArray(r.smooth).reduce((m, v, k) => Math.max(m, Math.abs(v - h.smooth[k])), 0);
  console.log(
    `      mean ${r.mean.toFixed(3)}, std ${r.std.toFixed(3)}; smoothed series matches the hand loop within ${diff.toExponential(1)}`,
  );
  console.log('       day │  min z │  max z │ mean smoothed');
  for (let d = 0; d < DAYS; d++) {
    const cells = [r.lo.get(d), r.hi.get(d), (r.sum.get(d) as number) / PER_DAY] as number[];
    console.log(
      `      ${String(d + 1).padStart(4)} │ ${cells[0].toFixed(2).padStart(6)} │ ${cells[1].toFixed(2).padStart(6)} │ ${cells[2].toFixed(4).padStart(8)}`,
    );
  }
  table.push({ step: `pipeline, ${n} samples`, numbats: best(pipeline), hand: best(handPipeline) });
}

// ---- 5. Particles -------------------------------------------------------------------------------
progress('A fountain: 200 000 jitclass particles, 300 compiled steps, binned with ufunc.at…');
{
  const N = 200_000;
  const drops = fountain(N);
  const hist = zeros([240, 400]);
  let ms = 0;
  for (let snap = 0; snap < 30; snap++) {
    const t0 = performance.now();
    for (let s = 0; s < 10; s++) drops.call('step', 0.004); // one compiled loop over all records
    ms += performance.now() - t0;
    density(drops, hist); // long exposure: every snapshot adds its drops to the image
  }
  const shade = vectorize((c: number) => Math.log1p(c), { name: 'log1p' });
  writeHeatmapPng(join(OUT, 'fountain.png'), shade(hist) as NdArray, 0, Math.log1p(2000));
  console.log(`      out/fountain.png (30 exposures); 300 steps took ${ms.toFixed(1)} ms`);
  const steps = () => {
    for (let s = 0; s < 300; s++) drops.call('step', 0.004);
  };
  // The same steps over plain Float64Arrays, written by hand.
  const cols = (['x', 'y', 'vx', 'vy'] as const).map((f) =>
    (fountain(N).field(f).data as Float64Array).slice(),
  );
  const handSteps = () => {
    const [x, y, vx, vy] = cols;
    for (let s = 0; s < 300; s++) {
      for (let i = 0; i < N; i++) {
        vy[i] -= 9.81 * 0.004;
        x[i] += vx[i] * 0.004;
        y[i] += vy[i] * 0.004;
        if (y[i] < 0) {
          y[i] = -y[i] * 0.6;
          vy[i] = -vy[i] * 0.6;
        }
      }
    }
  };
  table.push({ step: 'particles, 300 steps', numbats: best(steps, 2), hand: best(handSteps, 2) });
}

// ---- 6. Summary -------------------------------------------------------------------------------
progress('Summary: numbats vs hand-written loops (best of a few runs)');
console.log('      step                        numbats    hand loop   ratio');
for (const t of table) {
  console.log(
    `      ${t.step.padEnd(26)} ${t.numbats.toFixed(1).padStart(8)} ms ${t.hand.toFixed(1).padStart(8)} ms ${(t.numbats / t.hand).toFixed(2).padStart(6)}x`,
  );
}
console.log(
  `      pictures: ${['life.gif', 'heat.png', 'mandelbrot.png', 'fountain.png'].map((f) => `out/${f}`).join(', ')}`,
);
