/**
 * Plain gpu.js contenders: the kernels a user would write with gpu.js directly
 * (`gpu.createKernel(function (…) { … this.thread.x … }, { output })`), for the `gpu.js`
 * column of the gpu suite (Life, Laplacian, Mandelbrot) and of the ufunc suite (W1 add,
 * W2 sin·cos). They run on the gpu.js instance and backend numbats' `gpu` target uses
 * (`gpuInstance()`: headlessgl under a display, e.g. `xvfb-run -a`, else webasm;
 * `NUMBATS_GPU_BACKEND` picks one), built with `precision: 'single'` (numbats' setting, and
 * what gpu.js picks by itself where float textures exist) and gpu.js's defaults otherwise.
 *
 * Each contender is one call that takes the inputs as TypedArrays (2-D inputs through
 * gpu.js's `input(data, [width, height])`, so the kernel indexes `a[y][x]`), runs the
 * kernel (gpu.js uploads the inputs, computes, reads the result back as one Float32Array
 * per output row) and copies the rows into a preallocated TypedArray of the result's dtype,
 * which is how a user gets one flat array out of a 2-D gpu.js output. gpu.js computes in
 * float32, so its float inputs are Float32Arrays (half the bytes of numbats' float64 rows).
 */
import { createRequire } from 'node:module';
import { gpuStatus } from '../src/index.js';
import { gpuInstance } from '../src/targets/gpu/backend.js';

/** What gpu.js gives a kernel function as `this`. */
interface GpuThis {
  thread: { x: number; y: number };
  constants: Record<string, number>;
}

type GpuJs = any;

/** gpu.js and numbats' instance of it, or why there is none (gpu.js is optional). */
export function handGpuJs():
  | { gpu: GpuJs; backend: string; input: (data: ArrayLike<number>, size: number[]) => unknown }
  | { reason: string } {
  const s = gpuStatus();
  if (!s.backend) return { reason: s.reason };
  const { gpu, backend } = gpuInstance();
  const { input } = createRequire(import.meta.url)('gpu.js');
  return { gpu, backend, input };
}

type Handle = Exclude<ReturnType<typeof handGpuJs>, { reason: string }>;

/** Copies a 2-D gpu.js result (rows of Float32Array) into `out`, row after row, up to its length. */
function rowsInto(rows: Float32Array[], out: Float32Array | Uint8Array | Int32Array): void {
  const w = rows[0].length;
  for (let y = 0, o = 0; y < rows.length && o < out.length; y++, o += w) {
    const r = rows[y];
    out.set(o + w <= out.length ? r : r.subarray(0, out.length - o), o);
  }
}

/** One Game of Life step on an n×n uint8 torus into `out`. */
export function lifeGpuJs(h: Handle, board: Uint8Array, n: number, out: Uint8Array): () => void {
  const k = h.gpu.createKernel(
    function (this: GpuThis, a: number[][]) {
      const m = this.constants.n;
      const x = this.thread.x;
      const y = this.thread.y;
      const xm = (x + m - 1) % m;
      const xp = (x + 1) % m;
      const ym = (y + m - 1) % m;
      const yp = (y + 1) % m;
      const s =
        a[ym][xm] + a[ym][x] + a[ym][xp] + a[y][xm] + a[y][xp] + a[yp][xm] + a[yp][x] + a[yp][xp];
      if (s === 3 || (s === 2 && a[y][x] === 1)) return 1;
      return 0;
    },
    { output: [n, n], constants: { n }, precision: 'single' },
  );
  return () => rowsInto(k(h.input(board, [n, n])), out);
}

/** The 5-point Laplacian of an n×n float32 array into `out`; border cells get 0. */
export function laplacianGpuJs(
  h: Handle,
  u: Float32Array,
  n: number,
  out: Float32Array,
): () => void {
  const k = h.gpu.createKernel(
    function (this: GpuThis, a: number[][]) {
      const m = this.constants.n;
      const x = this.thread.x;
      const y = this.thread.y;
      if (x === 0 || y === 0 || x === m - 1 || y === m - 1) return 0;
      return a[y - 1][x] + a[y + 1][x] + a[y][x - 1] + a[y][x + 1] - 4 * a[y][x];
    },
    { output: [n, n], constants: { n }, precision: 'single' },
  );
  return () => rowsInto(k(h.input(u, [n, n])), out);
}

/** Escape-time counts (100 iterations) for re[x] + i·im[y] into an int32 `out` (im.length × re.length). */
export function mandelbrotGpuJs(
  h: Handle,
  re: Float32Array,
  im: Float32Array,
  out: Int32Array,
): () => void {
  const k = h.gpu.createKernel(
    function (this: GpuThis, cre: number[], cim: number[]) {
      const cx = cre[this.thread.x];
      const cy = cim[this.thread.y];
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
    { output: [re.length, im.length], precision: 'single' },
  );
  return () => rowsInto(k(re, im), out);
}

/**
 * The 1-D workloads: a kernel over `a.length` elements as a 2-D output `[4096, rows]` (a 1-D
 * output of 1e7 cells is beyond gpu.js's texture sizes on GL backends); each thread reads
 * `a[y·4096 + x]`, the cells past the end compute garbage that `rowsInto` drops.
 */
const WIDTH = 4096;

/** `a + b` elementwise into `out` (float32). */
export function addGpuJs(
  h: Handle,
  a: Float32Array,
  b: Float32Array,
  out: Float32Array,
): () => void {
  const k = h.gpu.createKernel(
    function (this: GpuThis, x: number[], y: number[]) {
      const i = this.thread.y * this.constants.w + this.thread.x;
      return x[i] + y[i];
    },
    { output: [WIDTH, Math.ceil(a.length / WIDTH)], constants: { w: WIDTH }, precision: 'single' },
  );
  return () => rowsInto(k(a, b), out);
}

/** `sin(a)·cos(b)` elementwise into `out` (float32). */
export function sinCosGpuJs(
  h: Handle,
  a: Float32Array,
  b: Float32Array,
  out: Float32Array,
): () => void {
  const k = h.gpu.createKernel(
    function (this: GpuThis, x: number[], y: number[]) {
      const i = this.thread.y * this.constants.w + this.thread.x;
      return Math.sin(x[i]) * Math.cos(y[i]);
    },
    { output: [WIDTH, Math.ceil(a.length / WIDTH)], constants: { w: WIDTH }, precision: 'single' },
  );
  return () => rowsInto(k(a, b), out);
}

/** The largest |x − y| over two arrays (a check before timing). */
export function maxAbsDiff(x: ArrayLike<number>, y: ArrayLike<number>): number {
  if (x.length !== y.length) return Number.POSITIVE_INFINITY;
  let m = 0;
  for (let i = 0; i < x.length; i++) {
    const d = Math.abs(x[i] - y[i]);
    if (Number.isNaN(d)) return Number.NaN;
    if (d > m) m = d;
  }
  return m;
}
