/**
 * Elementwise kernels on gpu.js: the pack step, the launch and the unpack step.
 *
 * The iteration shape is cut into launches of at most `maxCells` cells (2^22 by default)
 * along its leading axes, so that every flat index a kernel computes is an exact integer
 * in float32 and no output outgrows a texture. For each launch:
 *
 * 1. pack: each input's part of the launch is copied into a C-contiguous Float32Array of
 *    its own (not broadcast) shape: an axis the input broadcasts along (stride 0) packs to
 *    length 1. Any dtype, strides, offset or negative stride is handled here;
 * 2. the gpu.js kernel (one per output, cached per launch shape) gets the packed inputs,
 *    turns its 1-D thread index into n-d coordinates by float32 division with an exact
 *    correction step, reads each input at `Σ coord·stride` (stride 0 for broadcast axes;
 *    inputs of the launch's full shape read at the thread index) and runs the lowered kernel;
 * 3. unpack: the float32 results are stored into the output views (any strides, `where`
 *    mask), converted like a TypedArray store into the output dtype.
 */

import type { TypedKernel } from '../../compiler/ir.js';
import { dtypeOf, type NdArray } from '../../core/array.js';
import { broadcastStrides } from '../../core/broadcast.js';
import type { DType, TypedArray } from '../../core/dtypes.js';
import type { MapCallOperands } from '../../plan/map.js';
import { addNote, checkRanOnBackend, type GpuBackend, type GpuJs, gpuInstance } from './backend.js';
import { cachedKernel, KERNEL_SETTINGS } from './kernel-cache.js';
import { castTo, GPU_HELPERS, GpuEmitter } from './lower.js';

/** Tunables (tests lower `maxCells` to exercise multi-launch calls). */
export const GPU_LIMITS = { maxCells: 1 << 22 };

const F24 = 2 ** 24;

/** The operands of a whole call (the plan type kinds hand every target). */
export type GpuMapOperands = MapCallOperands;

/** Timings of the last gpu call (milliseconds), for benchmarks. */
export const lastGpuTimings = { pack: 0, kernel: 0, unpack: 0, launches: 0 };

export interface View {
  data: TypedArray;
  offset: number;
  shape: number[];
  stride: number[];
}

/** gpu.js kernels kept per typed kernel (one per launch shape and output). */
const KERNELS_PER_TYPED = 12;

/**
 * Statements computing the coordinates `c0…` of flat index `i` over `shape` (C order), by
 * float32 division with an exact correction step (indices stay below 2^24: see launches).
 */
export function coordsCode(shape: readonly number[]): string {
  const nd = shape.length;
  if (nd === 0) return '';
  if (nd === 1) return 'let c0 = i;';
  const lines = ['let r = i;'];
  for (let d = nd - 1; d >= 1; d--) {
    const n = shape[d];
    lines.push(
      `let q${d} = Math.floor(r / ${n});`,
      `let c${d} = r - q${d} * ${n};`,
      `if (c${d} < 0) { c${d} = c${d} + ${n}; q${d} = q${d} - 1; }`,
      `if (c${d} >= ${n}) { c${d} = c${d} - ${n}; q${d} = q${d} + 1; }`,
      `r = q${d};`,
    );
  }
  lines.push('let c0 = r;');
  return lines.join('\n');
}

/** Source of the gpu.js kernel function for output `out` over a launch of `shape`. */
export function kernelSource(
  k: TypedKernel,
  out: number,
  shape: readonly number[],
  inStrides: readonly (readonly number[])[],
  /** dtypes of the input arrays (read as the kernel's parameter types). */
  inDtypes: readonly DType[],
): string {
  const needCoords = inStrides.some((st) => !isFull(st, shape) && packedSize(st, shape) > 1);
  const lines = ['const i = this.thread.x + 0.5 - 0.5;'];
  if (needCoords) lines.push(coordsCode(shape));
  const reads = inStrides.map((st, j) => {
    if (packedSize(st, shape) === 1) return `a${j}[0]`;
    if (isFull(st, shape)) return `a${j}[i]`;
    const terms: string[] = [];
    st.forEach((s, d) => {
      if (s !== 0) terms.push(s === 1 ? `c${d}` : `c${d} * ${s}`);
    });
    return `a${j}[${terms.join(' + ')}]`;
  });
  const cast = reads.map((r, j) => castTo(inDtypes[j], k.paramTypes[j], r));
  const body = new GpuEmitter(k, out).body(cast);
  const params = inStrides.map((_, j) => `a${j}`).join(', ');
  return `function (${params}) {\n${lines.join('\n')}\n${body}\n}`;
}

export function packedSize(st: readonly number[], shape: readonly number[]): number {
  let n = 1;
  st.forEach((s, d) => {
    if (s !== 0) n *= shape[d];
  });
  return n;
}

function isFull(st: readonly number[], shape: readonly number[]): boolean {
  return packedSize(st, shape) === shape.reduce((a, b) => a * b, 1);
}

/** Contiguous strides of an input packed over `shape`, 0 where it broadcasts. */
export function packedStrides(broadcast: readonly boolean[], shape: readonly number[]): number[] {
  const st = new Array<number>(shape.length).fill(0);
  let acc = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    if (broadcast[d] || shape[d] === 1) continue;
    st[d] = acc;
    acc *= shape[d];
  }
  return st;
}

function getKernel(
  k: TypedKernel,
  out: number,
  shape: readonly number[],
  inStrides: readonly number[][],
  inDtypes: readonly DType[],
  gpu: GpuJs,
  backend: GpuBackend,
): GpuJs {
  const key = `${backend}|${out}|${inDtypes.join(',')}|${shape.join(',')}|${inStrides.map((s) => s.join(',')).join(';')}`;
  return cachedKernel(k, key, KERNELS_PER_TYPED, () =>
    gpu.createKernel(kernelSource(k, out, shape, inStrides, inDtypes), {
      output: [shape.reduce((a, b) => a * b, 1)],
      functions: GPU_HELPERS,
      ...KERNEL_SETTINGS,
      fixIntegerDivisionAccuracy: true,
    }),
  );
}

/**
 * Copies the view `v` into `dst`, C order. Broadcast (stride-0) axes pack to length 1,
 * unless `dense`, which copies every element of the view.
 */
export function pack(v: View, dst: Float32Array, checkInt: boolean, dense = false): void {
  const nd = v.shape.length;
  const shape: number[] = [];
  const stride: number[] = [];
  for (let d = 0; d < nd; d++) {
    if ((dense || v.stride[d] !== 0) && v.shape[d] !== 1) {
      shape.push(v.shape[d]);
      stride.push(v.stride[d]);
    }
  }
  const { data, offset } = v;
  const m = shape.length;
  if (m === 0) {
    dst[0] = data[offset];
  } else {
    const inner = shape[m - 1];
    const is = stride[m - 1];
    if (m === 1 && is === 1) {
      dst.set(data.subarray(offset, offset + inner));
    } else {
      const idx = new Array<number>(m - 1).fill(0);
      let p = offset;
      let o = 0;
      const total = dst.length;
      while (o < total) {
        if (is === 1) {
          dst.set(data.subarray(p, p + inner), o);
        } else {
          for (let i = 0, q = p; i < inner; i++, q += is) dst[o + i] = data[q];
        }
        o += inner;
        // Odometer over the outer axes.
        let d = m - 2;
        while (d >= 0) {
          idx[d]++;
          p += stride[d];
          if (idx[d] < shape[d]) break;
          p -= stride[d] * shape[d];
          idx[d] = 0;
          d--;
        }
        if (d < 0) break;
      }
    }
  }
  if (checkInt) {
    for (let i = 0; i < dst.length; i++) {
      const x = dst[i];
      if (x >= F24 || x <= -F24) {
        addNote(
          'gpu: integer inputs beyond ±2^24 are rounded to float32 on the device (exact integers stop at 2^24)',
        );
        break;
      }
    }
  }
}

/**
 * Stores `src` (C order over the view's shape) into the view, where the mask (if any) is
 * set: a TypedArray store converts each value into the output dtype (bool: 0/1). Rows
 * with unit stride and no mask are one `TypedArray.set`.
 */
export function unpack(src: Float32Array, v: View, dtype: DType, mask: View | null): void {
  const shape = v.shape;
  const nd = shape.length;
  const data = v.data;
  const isBool = dtype === 'bool';
  const n = src.length;
  if (dtype === 'int32' || dtype === 'uint32') {
    for (let i = 0; i < n; i++) {
      const x = src[i];
      if (x >= F24 || x <= -F24) {
        addNote(
          'gpu: an integer result reached ±2^24, beyond which float32 holds no exact integers; compute it on cpu for exact int32 arithmetic',
        );
        break;
      }
    }
  }
  const inner = nd === 0 ? 1 : shape[nd - 1];
  const is = nd === 0 ? 1 : v.stride[nd - 1];
  const ms = mask && nd > 0 ? mask.stride[nd - 1] : 0;
  const idx = new Array<number>(Math.max(0, nd - 1)).fill(0);
  let p = v.offset;
  let mp = mask ? mask.offset : 0;
  for (let o = 0; o < n; o += inner) {
    if (!mask && !isBool && is === 1) {
      data.set(src.subarray(o, o + inner), p);
    } else {
      for (let i = 0, q = p, mq = mp; i < inner; i++, q += is, mq += ms) {
        if (mask && mask.data[mq] === 0) continue;
        const x = src[o + i];
        data[q] = isBool ? (x !== 0 ? 1 : 0) : x;
      }
    }
    for (let d = nd - 2; d >= 0; d--) {
      idx[d]++;
      p += v.stride[d];
      if (mask) mp += mask.stride[d];
      if (idx[d] < shape[d]) break;
      p -= v.stride[d] * shape[d];
      if (mask) mp -= mask.stride[d] * shape[d];
      idx[d] = 0;
    }
  }
}

/** A launch: the leading (loop) shape it covers, and every operand's part of it. */
export interface Launch {
  /** The launch's part of the split shape (the leading axes of every view). */
  shape: number[];
  views: View[];
}

/**
 * Cuts `shape` (the leading axes of every view; views may have more, trailing axes) into
 * launches of at most `GPU_LIMITS.maxCells` cells, `cellsPerIndex` cells per index of
 * `shape`: the first axes are looped one index at a time, the next one is split in blocks.
 * A 0-d `shape` becomes one launch over a length-1 axis.
 */
export function* launches(
  shape: readonly number[],
  views: readonly View[],
  cellsPerIndex = 1,
): Generator<Launch> {
  const lifted = shape.length === 0;
  const full = lifted ? [1] : shape.slice();
  const vs = lifted
    ? views.map((v) => ({ ...v, shape: [1, ...v.shape], stride: [0, ...v.stride] }))
    : views;
  const nd = full.length;
  const max = Math.max(1, GPU_LIMITS.maxCells);
  // h: the axis that is split; axes before it are looped one index at a time.
  let h = 0;
  let inner = (full.reduce((a, b) => a * b, 1) / Math.max(1, full[0])) * cellsPerIndex;
  while (h < nd - 1 && inner > max) {
    h++;
    inner /= Math.max(1, full[h]);
  }
  const step = Math.max(1, Math.floor(max / Math.max(1, inner)));
  const outer = full.slice(0, h);
  const idx = new Array<number>(h).fill(0);
  const total = outer.reduce((a, b) => a * b, 1);
  for (let t = 0; t < total; t++) {
    for (let lo = 0; lo < full[h]; lo += step) {
      const len = Math.min(step, full[h] - lo);
      const sub = (v: View): View => {
        let offset = v.offset;
        for (let d = 0; d < h; d++) offset += idx[d] * v.stride[d];
        offset += lo * v.stride[h];
        const s = v.shape.slice(h);
        s[0] = len;
        return { data: v.data, offset, shape: s, stride: v.stride.slice(h) };
      };
      const s = full.slice(h);
      s[0] = len;
      yield { shape: s, views: vs.map(sub) };
    }
    for (let d = h - 1; d >= 0; d--) {
      idx[d]++;
      if (idx[d] < outer[d]) break;
      idx[d] = 0;
    }
  }
}

function viewOf(a: NdArray, shape: readonly number[]): View {
  return {
    data: a.data as TypedArray,
    offset: a.offset,
    shape: shape.slice(),
    stride: broadcastStrides(a.shape, a.stride, shape),
  };
}

/** Runs the typed kernel `k` elementwise on the gpu target. */
export function runGpuMap(k: TypedKernel, ops: GpuMapOperands): void {
  const { shape } = ops;
  if (shape.some((d) => d === 0)) return;
  const { gpu, backend } = gpuInstance();
  const ins = ops.inputs.map((a) => viewOf(a, shape));
  const outs = ops.outputs.map((a) => viewOf(a, shape));
  const mask = ops.mask ? viewOf(ops.mask, shape) : null;
  const intIn = ops.inputs.map((a) => {
    const t = dtypeOf(a);
    return t === 'int32' || t === 'uint32';
  });
  const outTypes = ops.outputs.map((a) => dtypeOf(a));
  const inDtypes = ops.inputs.map((a) => dtypeOf(a));
  const timings = { pack: 0, kernel: 0, unpack: 0, launches: 0 };
  const nin = ins.length;
  const nout = outs.length;
  for (const L of launches(shape, mask ? [...ins, ...outs, mask] : [...ins, ...outs])) {
    const inputs = L.views.slice(0, nin);
    const outputs = L.views.slice(nin, nin + nout);
    const lmask = mask ? L.views[nin + nout] : null;
    let t0 = performance.now();
    const strides = inputs.map((v) =>
      packedStrides(
        v.stride.map((s) => s === 0),
        L.shape,
      ),
    );
    const packed = inputs.map((v, j) => {
      const dst = new Float32Array(packedSize(strides[j], L.shape));
      pack(v, dst, intIn[j]);
      return dst;
    });
    let t1 = performance.now();
    timings.pack += t1 - t0;
    for (let o = 0; o < nout; o++) {
      t0 = performance.now();
      const kern = getKernel(k, o, L.shape, strides, inDtypes, gpu, backend);
      const res = kern(...packed) as Float32Array;
      checkRanOnBackend(kern);
      t1 = performance.now();
      timings.kernel += t1 - t0;
      unpack(res, outputs[o], outTypes[o], lmask);
      timings.unpack += performance.now() - t1;
    }
    timings.launches++;
  }
  Object.assign(lastGpuTimings, timings);
}
