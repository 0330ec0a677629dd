/**
 * gpu target workloads (issue 7): one Game of Life step on (4096,4096) uint8 ('wrap'), the
 * 5-point Laplacian on (4096,4096) float32 and a Mandelbrot set on 2048x2048 (100
 * iterations, a (1,2048) x (2048,1) broadcast), three contenders side by side in one run:
 * the `numbats` column is the gpu target, the `hand loop` column the cpu target, and the
 * `gpu.js` column a plain hand-written gpu.js kernel doing the same work on the same gpu.js
 * backend (bench/gpujs.bench.ts: inputs as TypedArrays, the result copied out of gpu.js's
 * rows into a preallocated TypedArray). Each numbats gpu call's time is split into numbats'
 * transfer (pack: inputs to contiguous float32; unpack: results into the output dtype and
 * view) and the gpu.js call (which includes gpu.js's own upload to the device — wasm memory
 * or GL textures — the kernel, and the readback).
 * `NUMBATS_GPU_BACKEND=webasm|headlessgl` picks the backend (default: headlessgl when a GL
 * context can be made, else webasm).
 */
import { lifeRule } from '../examples/game-of-life.js';
import { escapeTime } from '../examples/showcase/escape-time.js';
import { wrap } from '../src/core/array.js';
import { gpuStatus, type Rel, stencil, vectorize, zeros as zerosRaw } from '../src/index.js';
import { lastGpuTimings } from '../src/targets/gpu/map.js';
import {
  handGpuJs,
  laplacianGpuJs,
  lifeGpuJs,
  mandelbrotGpuJs,
  maxAbsDiff,
} from './gpujs.bench.js';
import { median, type Row, SuiteArrays, sideBySide } from './harness.js';

const N = 4096;
const M = 2048;

interface Split {
  transfer: number[];
  kernel: number[];
}

function timed(fn: () => unknown, split: Split): () => unknown {
  return () => {
    const r = fn();
    split.transfer.push(lastGpuTimings.pack + lastGpuTimings.unpack);
    split.kernel.push(lastGpuTimings.kernel);
    return r;
  };
}

const lapK = (u: Rel) => u(-1, 0) + u(1, 0) + u(0, -1) + u(0, 1) - 4 * u(0, 0);
const mandelK = escapeTime;

export function gpuBenchmarks(rounds: number): Row[] {
  const s = gpuStatus();
  const backend = s.backend ?? 'none';
  console.log(`gpu backend: ${backend} (${s.reason})`);
  if (!s.backend) return [];
  const h = handGpuJs();
  if ('reason' in h) console.log(`(no plain gpu.js contender: ${h.reason})`);
  const rows: Row[] = [];
  const arrays = new SuiteArrays();
  const zeros = (...a: Parameters<typeof zerosRaw>) => arrays.keep(zerosRaw(...a));
  /**
   * Times numbats gpu, numbats cpu and (when `gpujs` is given, i.e. its output was checked
   * against numbats' gpu output) the plain gpu.js kernel side by side.
   */
  const report = (
    key: string,
    workload: string,
    gpuFn: () => unknown,
    cpuFn: () => unknown,
    gpujsFn: (() => unknown) | null,
  ) => {
    const split: Split = { transfer: [], kernel: [] };
    const [g, c, j] = sideBySide(
      [
        { name: 'gpu', run: timed(gpuFn, split) },
        { name: 'cpu', run: cpuFn },
        ...(gpujsFn ? [{ name: 'gpu.js', run: gpujsFn }] : []),
      ],
      rounds,
      1,
    );
    const note = `transfer ${median(split.transfer).toFixed(1)} ms + gpu.js call ${median(split.kernel).toFixed(1)} ms`;
    console.log(
      `${workload}: gpu (${backend}) ${g.medianMs.toFixed(1)} ms [${note}], cpu ${c.medianMs.toFixed(1)} ms` +
        (j ? `, plain gpu.js ${j.medianMs.toFixed(1)} ms` : ''),
    );
    rows.push({
      key,
      workload: `${workload}, gpu (${backend}) vs cpu`,
      numbats: g.medianMs,
      hand: c.medianMs,
      gpujs: j?.medianMs,
      note,
    });
  };
  /** The plain gpu.js contender when its check passed, else null (and why, printed). */
  const checked = (workload: string, run: () => void, ok: boolean, what: string) => {
    console.log(`${workload}: plain gpu.js output vs numbats gpu: ${what}`);
    if (ok) return run;
    console.log(`${workload}: plain gpu.js contender left out (its output differs)`);
    return null;
  };

  // Game of Life: a random 4096² board, output preallocated.
  const board = zeros([N, N], 'uint8');
  const b = board.data as Uint8Array;
  let seed = 12345;
  for (let i = 0; i < b.length; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    b[i] = seed >>> 31;
  }
  const lifeOut = zeros([N, N], 'uint8');
  const lifeG = stencil(lifeRule, { boundary: 'wrap', target: 'gpu' });
  const lifeC = stencil(lifeRule, { boundary: 'wrap' });
  // The plain gpu.js step must give numbats' gpu board exactly (0/1 cells, counts ≤ 8 are
  // exact in float32): checked once here, before timing.
  let lifeJ: (() => void) | null = null;
  if (!('reason' in h)) {
    const lifeJsOut = new Uint8Array(N * N);
    const run = lifeGpuJs(h, b, N, lifeJsOut);
    lifeG(board, { out: lifeOut });
    run();
    const d = maxAbsDiff(lifeOut.data as Uint8Array, lifeJsOut);
    lifeJ = checked('Life', run, d === 0, d === 0 ? 'equal' : `max |diff| ${d}`);
  }
  report(
    'gpu_life',
    'Life step 4096² u8 (wrap)',
    () => lifeG(board, { out: lifeOut }),
    () => lifeC(board, { out: lifeOut }),
    lifeJ,
  );

  const u = zeros([N, N], 'float32');
  const ud = u.data as Float32Array;
  for (let i = 0; i < ud.length; i++) ud[i] = Math.sin(i * 0.001);
  const lapOut = zeros([N, N], 'float32');
  const lapG = stencil(lapK, { target: 'gpu' });
  const lapC = stencil(lapK);
  // The plain gpu.js Laplacian (0 on the border, as numbats' 'skip' leaves lapOut's border)
  // must equal numbats' gpu output within float32 rounding: inputs are within ±1, so the
  // five-term sum is within 8 and a few float32 ulps of 8 are below 1e-5. Checked once.
  let lapJ: (() => void) | null = null;
  if (!('reason' in h)) {
    const lapJsOut = new Float32Array(N * N);
    const run = laplacianGpuJs(h, ud, N, lapJsOut);
    lapG(u, { out: lapOut });
    run();
    const d = maxAbsDiff(lapOut.data as Float32Array, lapJsOut);
    lapJ = checked('Laplacian', run, d <= 1e-5, `max |diff| ${d.toExponential(2)} (≤ 1e-5)`);
  }
  report(
    'gpu_laplacian',
    'Laplacian 4096² f32',
    () => lapG(u, { out: lapOut }),
    () => lapC(u, { out: lapOut }),
    lapJ,
  );

  const reData = Float64Array.from({ length: M }, (_, j) => -2 + (2.5 * j) / M);
  const imData = Float64Array.from({ length: M }, (_, i) => -1.25 + (2.5 * i) / M);
  const re = wrap(reData, [1, M]);
  const im = wrap(imData, [M, 1]);
  // The kernel's counts are float64 (a computed integer, exact); they are at most 100, so
  // the unsafe cast into this int32 out loses nothing.
  const mOut = zeros([M, M], 'int32');
  const mandelG = vectorize(mandelK, { target: 'gpu' });
  const mandelC = vectorize(mandelK);
  // The plain gpu.js Mandelbrot must give numbats' gpu counts up to float32 rounding: both
  // iterate in float32 from the same float32 coordinates, but shader compilers may
  // contract or reorder x·x − y·y + cx, so a cell near the set's boundary can escape an
  // iteration earlier or later; at least 99.9% of the counts must be equal. Checked once.
  let mandelJ: (() => void) | null = null;
  if (!('reason' in h)) {
    const mJsOut = new Int32Array(M * M);
    const run = mandelbrotGpuJs(h, Float32Array.from(reData), Float32Array.from(imData), mJsOut);
    mandelG(re, im, { out: mOut, casting: 'unsafe' });
    run();
    const md = mOut.data as Int32Array;
    let same = 0;
    for (let i = 0; i < md.length; i++) if (md[i] === mJsOut[i]) same++;
    const frac = same / md.length;
    mandelJ = checked(
      'Mandelbrot',
      run,
      frac >= 0.999,
      `${(100 * frac).toFixed(3)}% of the counts equal (≥ 99.9%)`,
    );
  }
  report(
    'gpu_mandelbrot',
    'Mandelbrot 2048² (100 it)',
    () => mandelG(re, im, { out: mOut, casting: 'unsafe' }),
    () => mandelC(re, im, { out: mOut, casting: 'unsafe' }),
    mandelJ,
  );
  arrays.freeAll();
  return rows;
}
