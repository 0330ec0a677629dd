/**
 * gpu target workloads (issue 7): one Game of Life step on (4096,4096) uint8 ('wrap'), the
 * 5-point Laplacian on (4096,4096) float32 and a Mandelbrot set on 2048x2048 (100
 * iterations, a (1,2048) x (2048,1) broadcast), `gpu` vs `cpu` in one run. The `numbats`
 * column is the gpu target, the `hand loop` column the cpu target. Each gpu call's time is
 * split into numbats' transfer (pack: inputs to contiguous float32; unpack: results into
 * the output dtype and view) and the gpu.js call (which includes gpu.js's own upload to the
 * device — wasm memory or GL textures — the kernel, and the readback).
 * `NUMBATS_GPU_BACKEND=webasm|headlessgl` picks the backend (default: headlessgl when a GL
 * context can be made, else webasm).
 */
import { escapeTime } from '../examples/showcase/escape-time.js';
import { wrap } from '../src/core/array.js';
import { gpuStatus, type Rel, stencil, vectorize, zeros } from '../src/index.js';
import { lastGpuTimings } from '../src/targets/gpu/map.js';
import { median, type Row, sideBySide } from './harness.js';

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

const lifeK = (c: Rel) => {
  const n = c(-1, -1) + c(-1, 0) + c(-1, 1) + c(0, -1) + c(0, 1) + c(1, -1) + c(1, 0) + c(1, 1);
  return n === 3 || (n === 2 && c(0, 0) === 1) ? 1 : 0;
};
const lapK = (u: Rel) => u(-1, 0) + u(1, 0) + u(0, -1) + u(0, 1) - 4 * u(0, 0);
const mandelK = escapeTime;

export function gpuBenchmarks(rounds: number): Row[] {
  const s = gpuStatus();
  const backend = s.backend ?? 'none';
  console.log(`gpu backend: ${backend} (${s.reason})`);
  if (!s.backend) return [];
  const rows: Row[] = [];
  const report = (key: string, workload: string, gpuFn: () => unknown, cpuFn: () => unknown) => {
    const split: Split = { transfer: [], kernel: [] };
    const [g, c] = sideBySide(
      [
        { name: 'gpu', run: timed(gpuFn, split) },
        { name: 'cpu', run: cpuFn },
      ],
      rounds,
      1,
    );
    const note = `transfer ${median(split.transfer).toFixed(1)} ms + gpu.js call ${median(split.kernel).toFixed(1)} ms`;
    console.log(
      `${workload}: gpu (${backend}) ${g.medianMs.toFixed(1)} ms [${note}], cpu ${c.medianMs.toFixed(1)} ms`,
    );
    rows.push({
      key,
      workload: `${workload}, gpu (${backend}) vs cpu`,
      numbats: g.medianMs,
      hand: c.medianMs,
      note,
    });
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
  const lifeG = stencil(lifeK, { boundary: 'wrap', target: 'gpu' });
  const lifeC = stencil(lifeK, { boundary: 'wrap' });
  report(
    'gpu_life',
    'Life step 4096² u8 (wrap)',
    () => lifeG(board, { out: lifeOut }),
    () => lifeC(board, { out: lifeOut }),
  );

  const u = zeros([N, N], 'float32');
  const ud = u.data as Float32Array;
  for (let i = 0; i < ud.length; i++) ud[i] = Math.sin(i * 0.001);
  const lapOut = zeros([N, N], 'float32');
  const lapG = stencil(lapK, { target: 'gpu' });
  const lapC = stencil(lapK);
  report(
    'gpu_laplacian',
    'Laplacian 4096² f32',
    () => lapG(u, { out: lapOut }),
    () => lapC(u, { out: lapOut }),
  );

  const re = wrap(
    Float64Array.from({ length: M }, (_, j) => -2 + (2.5 * j) / M),
    [1, M],
  );
  const im = wrap(
    Float64Array.from({ length: M }, (_, i) => -1.25 + (2.5 * i) / M),
    [M, 1],
  );
  const mOut = zeros([M, M], 'int32');
  const mandelG = vectorize(mandelK, { target: 'gpu' });
  const mandelC = vectorize(mandelK);
  report(
    'gpu_mandelbrot',
    'Mandelbrot 2048² (100 it)',
    () => mandelG(re, im, { out: mOut }),
    () => mandelC(re, im, { out: mOut }),
  );
  return rows;
}
