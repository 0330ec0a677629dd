/**
 * Stencils on gpu.js, every boundary mode. The output is cut into launches of whole
 * axis-0 slabs (rows `[lo, hi)`, at most `GPU_LIMITS.maxCells` cells), one thread per cell.
 *
 * Pack step, per launch and array input: rows `lo + l0 … hi - 1 + h0` (the axis-0
 * neighborhood `[l0, h0]` around the slab) are copied into a contiguous float32 block, each
 * row taken from the source row axis 0's boundary mode maps it to; rows outside the array
 * under `'constant'` hold `cval` (in the input's dtype), under `'skip'` zeros nobody reads.
 * So axis 0 needs no remapping in the kernel. The other axes remap in the kernel with the
 * mode's index formula (`nbReflect(j, n)`, …, exact in float32), `'constant'` selects `cval`
 * for reads outside the axis, and `'skip'` axes return the fill value (or the given `out`'s
 * element) for cells whose neighborhood leaves the array. Computed offsets (with a declared
 * `neighborhood`) are clamped into it on the device: an offset outside it is not an error
 * there as it is on `cpu`.
 */

import type { TypedKernel } from '../../compiler/ir.js';
import { castScalar, dtypeOf, type NdArray } from '../../core/array.js';
import type { TypedArray } from '../../core/dtypes.js';
import { CompileError } from '../../core/errors.js';
import { type Boundary, remapIndex } from '../../plan/boundary.js';
import type { Extent, StencilCallPlan } from '../../plan/stencil.js';
import { checkRanOnBackend, type GpuBackend, type GpuJs, gpuInstance } from './backend.js';
import { cachedKernel, KERNEL_SETTINGS } from './kernel-cache.js';
import { GPU_HELPERS, GpuEmitter, type GpuHooks, literal } from './lower.js';
import { coordsCode, GPU_LIMITS, lastGpuTimings, pack, unpack, type View } from './map.js';

/** Boundary index formulas for the device (float32, exact for integers below 2^24). */
export const STENCIL_HELPERS: readonly string[] = [
  'function nbMod(j, n) { let m = j - Math.floor(j / n) * n; if (m < 0) { m = m + n; } if (m >= n) { m = m - n; } return m; }',
  'function nbWrapIdx(j, n) { if (j >= 0 && j < n) { return j; } return nbMod(j, n); }',
  'function nbReflect(j, n) { if (j >= 0 && j < n) { return j; } const m = nbMod(j, 2 * n); if (m < n) { return m; } return 2 * n - 1 - m; }',
  'function nbMirror(j, n) { if (j >= 0 && j < n) { return j; } if (n === 1) { return 0; } const m = nbMod(j, 2 * n - 2); if (m < n) { return m; } return 2 * n - 2 - m; }',
  'function nbNearest(j, n) { return Math.min(Math.max(j, 0), n - 1); }',
];

const REMAP: Record<string, string> = {
  wrap: 'nbWrapIdx',
  reflect: 'nbReflect',
  mirror: 'nbMirror',
  nearest: 'nbNearest',
  // constant reads are selected away when out of range; the index only has to be valid
  constant: 'nbNearest',
  skip: 'nbNearest',
};

/** What a kernel source depends on besides the typed kernel. */
interface StencilGeometry {
  /** The launch's shape: [rows, n1, …]. */
  shape: readonly number[];
  /** The array's full shape. */
  full: readonly number[];
  modes: readonly Boundary[];
  extents: readonly Extent[];
  /** Array input index of each kernel parameter (-1: a number). */
  operandOf: readonly number[];
  /** Scalar slot of each number parameter (in the `sc` argument). */
  scalarOf: readonly number[];
  /** cval as each array input holds it. */
  cvals: readonly number[];
  /** What a skipped cell gets: a literal, or the given out's element ('o[i]'). */
  fill: string;
}

/**
 * Accessor reads. `interior`: the cell's neighborhood is inside the array on every axis
 * but 0 (which the padded block covers), so reads need no remapping and no cval select.
 */
function relHooks(g: StencilGeometry | null, interior = false): GpuHooks {
  return {
    result: '0',
    expr(e, args) {
      if (e.op !== 'rel')
        throw new CompileError(`the construct '${e.op}' is not supported on the gpu target`);
      if (!g) return '0';
      const { param, offsets } = e.data;
      const j = g.operandOf[param];
      const nd = g.shape.length;
      const rowLen = g.shape.slice(1).reduce((a, b) => a * b, 1);
      let k = 0;
      const off = offsets.map((o, a) => {
        if (o !== null) return literal(o);
        const [lo, hi] = g.extents[a];
        return `Math.min(Math.max(${args[k++]}, ${lo}), ${hi})`;
      });
      // Axis 0: rows of the padded block.
      const terms = [`(c0 + ${off[0]} - (${g.extents[0][0]})) * ${rowLen}`];
      const inRange: string[] = [];
      let stride = rowLen;
      for (let a = 1; a < nd; a++) {
        const n = g.full[a];
        stride /= n;
        const pos = `c${a} + ${off[a]}`;
        const idx = interior ? `(${pos})` : `${REMAP[g.modes[a]]}(${pos}, ${n})`;
        terms.push(stride === 1 ? idx : `${idx} * ${stride}`);
        if (g.modes[a] === 'constant' && !interior)
          inRange.push(`(${pos}) >= 0 && (${pos}) < ${n}`);
      }
      const read = `s${j}[${terms.join(' + ')}]`;
      if (inRange.length === 0) return read;
      return `(${inRange.join(' && ')} ? ${read} : ${literal(g.cvals[j])})`;
    },
  };
}

/** Throws a CompileError when a stencil kernel cannot be lowered to gpu.js. */
export function checkGpuStencil(typed: TypedKernel, name: string): void {
  GpuEmitter.check(typed, name, () => relHooks(null));
}

function source(typed: TypedKernel, g: StencilGeometry): string {
  const nd = g.shape.length;
  const lines = ['const i = this.thread.x + 0.5 - 0.5;', coordsCode(g.shape)];
  const inside: string[] = [];
  for (let a = 0; a < nd; a++) {
    if (g.modes[a] !== 'skip') continue;
    const n = g.full[a];
    const [lo, hi] = g.extents[a];
    const b = Math.min(n, Math.max(0, -lo));
    const e = Math.max(b, n - Math.max(0, hi));
    const pos = a === 0 ? 'c0 + sc[0]' : `c${a}`;
    inside.push(`(${pos}) >= ${b} && (${pos}) < ${e}`);
  }
  if (inside.length) lines.push(`if (!(${inside.join(' && ')})) { return ${g.fill}; }`);
  const params = typed.paramTypes.map((_, p) =>
    g.operandOf[p] >= 0 ? '' : `sc[${g.scalarOf[p] + 1}]`,
  );
  // Cells whose neighborhood stays inside axes 1… run a copy of the kernel without
  // boundary logic (most cells); the others remap every read.
  const interior: string[] = [];
  for (let a = 1; a < nd; a++) {
    const n = g.full[a];
    const [lo, hi] = g.extents[a];
    const b = Math.min(n, Math.max(0, -lo));
    const e = Math.max(b, n - Math.max(0, hi));
    if (b > 0) interior.push(`c${a} >= ${b}`);
    if (e < n) interior.push(`c${a} < ${e}`);
  }
  const border = new GpuEmitter(typed, 0, relHooks(g)).body(params);
  const fast = new GpuEmitter(typed, 0, relHooks(g, true), 'w').body(params);
  const body =
    nd === 1 || interior.length === 0
      ? fast
      : `if (${interior.join(' && ')}) {\n${fast}\n}\n${border}`;
  const nin = g.cvals.length;
  const args = [...Array.from({ length: nin }, (_, j) => `s${j}`), 'sc', 'o'];
  return `function (${args.join(', ')}) {\n${lines.join('\n')}\n${body}\n}`;
}

const PER_KERNEL = 12;

function kernelFor(typed: TypedKernel, key: string, g: StencilGeometry, gpu: GpuJs): GpuJs {
  return cachedKernel(typed, key, PER_KERNEL, () =>
    gpu.createKernel(source(typed, g), {
      output: [g.shape.reduce((a, b) => a * b, 1)],
      functions: [...GPU_HELPERS, ...STENCIL_HELPERS],
      ...KERNEL_SETTINGS,
    }),
  );
}

/** A validated stencil call, as the gpu target needs it. */
export function runGpuStencil(r: StencilCallPlan): void {
  const { result, arrays, modes, extents } = r;
  const full = result.shape.slice();
  const nd = full.length;
  const n0 = full[0];
  const rowLen = full.slice(1).reduce((a, b) => a * b, 1);
  if (rowLen === 0 || n0 === 0) return;
  const [l0, h0] = extents[0];
  const pad = h0 - l0;
  if (rowLen * (1 + pad) > 2 ** 24) {
    throw new RangeError(
      `stencil on the gpu target: one axis-0 slab of shape (${full.slice(1).join(',')}) has more than 2^24 cells; float32 indices cannot address it`,
    );
  }
  const { gpu, backend } = gpuInstance();
  const outType = dtypeOf(result);
  const cvals = arrays.map((a) => castScalar(r.cval, dtypeOf(a)));
  const anySkip = modes.includes('skip');
  const fill = r.fill ? literal(castScalar(r.cval, outType)) : 'o[i]';
  const operandOf = r.scalars.map(() => -1);
  r.arrayParams.forEach((p, j) => {
    operandOf[p] = j;
  });
  const scalarOf: number[] = [];
  const scalarValues: number[] = [];
  r.scalars.forEach((v, p) => {
    scalarOf.push(operandOf[p] >= 0 ? -1 : scalarValues.length);
    if (operandOf[p] < 0) scalarValues.push(v ?? 0);
  });
  const rowsPer = Math.max(1, Math.floor(GPU_LIMITS.maxCells / rowLen) - pad);
  const timings = { pack: 0, kernel: 0, unpack: 0, launches: 0 };
  const rowView = (a: NdArray, row: number, rows: number): View => ({
    data: a.data as TypedArray,
    offset: a.offset + row * a.stride[0],
    shape: [rows, ...a.shape.slice(1)],
    stride: a.stride.slice(),
  });
  for (let lo = 0; lo < n0; lo += rowsPer) {
    const len = Math.min(rowsPer, n0 - lo);
    let t0 = performance.now();
    const first = lo + l0;
    const last = lo + len - 1 + h0;
    const packed = arrays.map((a, j) => {
      const dst = new Float32Array((last - first + 1) * rowLen);
      // The rows inside the array, in one block; the padding rows one by one.
      const inLo = Math.max(first, 0);
      const inHi = Math.min(last, n0 - 1);
      if (inHi >= inLo)
        pack(
          rowView(a, inLo, inHi - inLo + 1),
          dst.subarray((inLo - first) * rowLen, (inHi - first + 1) * rowLen),
          false,
          true,
        );
      for (let row = first; row <= last; row++) {
        if (row >= 0 && row < n0) continue;
        const at = dst.subarray((row - first) * rowLen, (row - first + 1) * rowLen);
        const src = remapIndex(modes[0], row, n0);
        if (modes[0] === 'constant') at.fill(cvals[j]);
        else if (src >= 0) pack(rowView(a, src, 1), at, false, true);
      }
      return dst;
    });
    const sc = new Float32Array([lo, ...scalarValues]);
    const res = new Float32Array(len * rowLen);
    const ov: View = {
      data: result.data as TypedArray,
      offset: result.offset + lo * result.stride[0],
      shape: [len, ...full.slice(1)],
      stride: result.stride.slice(),
    };
    const o = anySkip && !r.fill ? res : new Float32Array(1);
    if (anySkip && !r.fill) pack(ov, o, false, true);
    timings.pack += performance.now() - t0;
    t0 = performance.now();
    const g: StencilGeometry = {
      shape: [len, ...full.slice(1)],
      full,
      modes,
      extents,
      operandOf,
      scalarOf,
      cvals,
      fill,
    };
    const key = `${backend as GpuBackend}|${len}|${full.join(',')}|${modes.join(',')}|${fill}|${nd}|${cvals.join(',')}`;
    const k = kernelFor(r.typed, key, g, gpu);
    const out = k(...packed, sc, o) as Float32Array;
    checkRanOnBackend(k);
    const t1 = performance.now();
    timings.kernel += t1 - t0;
    unpack(out, ov, outType, null);
    timings.unpack += performance.now() - t1;
    timings.launches++;
  }
  Object.assign(lastGpuTimings, timings);
}
