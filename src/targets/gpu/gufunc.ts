/**
 * guvectorize on gpu.js. A gpu.js kernel returns one number per thread, and a gufunc
 * kernel writes whole core slices, so each output is one launch (or several, see
 * `launches`) with one thread per output element — loop index × core index. A thread runs
 * the kernel for its loop index and keeps the last value it stores into its own element
 * (`o.set(i, j, v)` becomes `if (i === ci && j === cj) res = v`); elements the kernel does
 * not write keep their value (a given `out` is passed in). The work per thread is the
 * kernel's work per loop index: cheap for `(n),(n)->()` layouts, a factor of the output's
 * core size for matrix-valued outputs.
 *
 * Inputs are packed like vectorize's (float32, C order, broadcast loop dims packed to
 * length 1); `x.get(i, k)` reads `a[base + i*si + k*sk]`, `x.shape[k]` is a literal.
 * Reading an output view back (`o.get`) is not supported on this target.
 */
import { dtypeOf, type NdArray } from '../../core/array.js';
import { broadcastStrides } from '../../core/broadcast.js';
import type { DType, TypedArray } from '../../core/dtypes.js';
import { CompileError } from '../../core/errors.js';
import type { GufuncLayout, ShapePlan, TypedGufunc } from '../../plan/gufunc.js';
import { checkRanOnBackend, type GpuBackend, type GpuJs, gpuInstance } from './backend.js';
import { cachedKernel, KERNEL_SETTINGS } from './kernel-cache.js';
import { castTo, GPU_HELPERS, GpuEmitter, type GpuHooks } from './lower.js';
import {
  coordsCode,
  lastGpuTimings,
  launches,
  pack,
  packedSize,
  packedStrides,
  unpack,
  type View,
} from './map.js';

interface Geometry {
  /** Number of loop dims in this launch's views. */
  loopDims: number;
  /** Per operand: core extents (missing dims 1). */
  extents: readonly (readonly number[])[];
  /** Per input: packed strides over [loop dims, core dims]. */
  strides: readonly (readonly number[])[];
  /** Per input: the array's dtype, and the type the kernel reads it as. */
  arrTypes: readonly DType[];
  elemTypes: readonly DType[];
}

/** Source of an integer stride or extent: only safe integers are printed into a shader. */
function int(v: number): string {
  if (!Number.isSafeInteger(v))
    throw new TypeError(`internal: ${typeof v} ${String(v)} is not an integer stride`);
  return String(v);
}

function hooks(nin: number, out: number, g: Geometry | null): GpuHooks {
  const base = (p: number) => {
    if (!g) return '0';
    const terms: string[] = [];
    for (let d = 0; d < g.loopDims; d++) {
      const s = g.strides[p][d];
      if (s !== 0) terms.push(s === 1 ? `c${d}` : `c${d} * ${int(s)}`);
    }
    return terms.length ? terms.join(' + ') : '0';
  };
  return {
    result: 'res',
    expr(e, args) {
      switch (e.op) {
        case 'shape':
          return g ? int(g.extents[e.data.p][e.data.dim]) : '1';
        case 'get': {
          const { p } = e.data;
          if (p >= nin)
            throw new CompileError(
              'reading an output view (.get on an output) is not supported on the gpu target: each device thread computes one output element',
            );
          const terms = [base(p)];
          args.forEach((a, d) => {
            const s = g ? g.strides[p][g.loopDims + d] : 1;
            if (s !== 0) terms.push(s === 1 ? `(${a})` : `(${a}) * ${int(s)}`);
          });
          const read = `a${p}[${terms.join(' + ')}]`;
          return g ? castTo(g.arrTypes[p], g.elemTypes[p], read) : read;
        }
        default:
          throw new CompileError(
            `'.${e.op}(…)' used as a value is not supported on the gpu target`,
          );
      }
    },
    effect(e, args) {
      if (e.op !== 'set') return this.expr(e, args);
      const { p } = e.data;
      if (p - nin !== out) return 'res = res';
      const idx = args.slice(0, -1);
      const value = args[args.length - 1];
      if (idx.length === 0) return `res = ${value}`;
      const own = g ? g.loopDims : 0;
      const cond = idx.map((a, d) => `(${a}) === c${own + d}`).join(' && ');
      return `if (${cond}) { res = ${value}; }`;
    },
  };
}

/** Throws a CompileError when a typed gufunc cannot be lowered to gpu.js. */
export function checkGpuGufunc(t: TypedGufunc, layout: GufuncLayout, name: string): void {
  GpuEmitter.check(t.typed, name, (j) => hooks(layout.nin, j, null), layout.nout);
}

const PER_KERNEL = 12;

function source(
  t: TypedGufunc,
  nin: number,
  out: number,
  shape: readonly number[],
  g: Geometry,
  init: boolean,
): string {
  const lines = [
    'const i = this.thread.x + 0.5 - 0.5;',
    coordsCode(shape),
    `let res = ${init ? 'o[i]' : '0'};`,
  ];
  // `()` inputs are numbers read at the loop index; views get no local.
  const params = t.typed.paramTypes.map((_, p) => {
    if (p >= nin || t.views[p] !== null) return '';
    const terms: string[] = [];
    for (let d = 0; d < g.loopDims; d++) {
      const s = g.strides[p][d];
      if (s !== 0) terms.push(s === 1 ? `c${d}` : `c${d} * ${int(s)}`);
    }
    return castTo(
      g.arrTypes[p],
      g.elemTypes[p],
      `a${p}[${terms.length ? terms.join(' + ') : '0'}]`,
    );
  });
  const body = new GpuEmitter(t.typed, out, hooks(nin, out, g)).body(params);
  const args = [...Array.from({ length: nin }, (_, p) => `a${p}`), ...(init ? ['o'] : [])];
  return `function (${args.join(', ')}) {\n${lines.join('\n')}\n${body}\n}`;
}

function kernelFor(
  t: TypedGufunc,
  key: string,
  make: () => string,
  cells: number,
  gpu: GpuJs,
): GpuJs {
  return cachedKernel(t, key, PER_KERNEL, () =>
    gpu.createKernel(make(), { output: [cells], functions: GPU_HELPERS, ...KERNEL_SETTINGS }),
  );
}

/** Runs a typed gufunc on the gpu target over validated operands (inputs, then outputs). */
export function runGpuGufunc(
  t: TypedGufunc,
  layout: GufuncLayout,
  plan: ShapePlan,
  all: readonly NdArray[],
  outGiven: boolean,
): void {
  const { nin, nout } = layout;
  const loopShape = plan.loopShape;
  const extents = layout.operands.map((labels) => labels.map((l) => plan.sizes[l]));
  const outCells = extents.slice(nin).map((e) => e.reduce((a, b) => a * b, 1));
  if (loopShape.some((d) => d === 0) || outCells.every((c) => c === 0)) return;
  const views: View[] = all.map((a, o) => {
    const nl = a.shape.length - plan.coreNum[o];
    const ls = broadcastStrides(a.shape.slice(0, nl), a.stride.slice(0, nl), loopShape);
    const labels = layout.operands[o];
    const cs: number[] = [];
    let delta = 0;
    for (let d = 0; d < labels.length; d++) {
      if (plan.missing[labels[d]]) {
        delta++;
        cs.push(0);
      } else {
        const ax = nl + d - delta;
        cs.push(a.shape[ax] <= 1 ? 0 : a.stride[ax]);
      }
    }
    return {
      data: a.data as TypedArray,
      offset: a.offset,
      shape: [...loopShape, ...extents[o]],
      stride: [...ls, ...cs],
    };
  });
  const { gpu, backend } = gpuInstance();
  const per = Math.max(1, ...extents.map((e) => e.reduce((a, b) => a * b, 1)));
  const outTypes: DType[] = all.slice(nin).map((a) => dtypeOf(a));
  const arrTypes: DType[] = all.slice(0, nin).map((a) => dtypeOf(a));
  const timings = { pack: 0, kernel: 0, unpack: 0, launches: 0 };
  for (const L of launches(loopShape, views, per)) {
    const loopDims = L.shape.length;
    let t0 = performance.now();
    const strides = L.views.slice(0, nin).map((v) =>
      packedStrides(
        v.stride.map((s) => s === 0),
        v.shape,
      ),
    );
    const packed = L.views.slice(0, nin).map((v, p) => {
      const n = packedSize(strides[p], v.shape);
      const dst = new Float32Array(Math.max(1, n));
      if (n > 0) pack(v, dst, false);
      return dst;
    });
    timings.pack += performance.now() - t0;
    const g: Geometry = { loopDims, extents, strides, arrTypes, elemTypes: t.inTypes };
    for (let j = 0; j < nout; j++) {
      const ov = L.views[nin + j];
      const cells = ov.shape.reduce((a, b) => a * b, 1);
      if (cells === 0) continue;
      t0 = performance.now();
      const args = packed.slice();
      if (outGiven) {
        const cur = new Float32Array(cells);
        pack(ov, cur, false);
        args.push(cur);
      }
      const key = `${backend as GpuBackend}|${j}|${outGiven}|${arrTypes.join(',')}|${ov.shape.join(',')}|${strides.map((s) => s.join(',')).join(';')}|${L.views.map((v) => v.shape.join(',')).join(';')}`;
      const k = kernelFor(t, key, () => source(t, nin, j, ov.shape, g, outGiven), cells, gpu);
      const res = k(...args) as Float32Array;
      checkRanOnBackend(k);
      const t1 = performance.now();
      timings.kernel += t1 - t0;
      unpack(res, ov, outTypes[j], null);
      timings.unpack += performance.now() - t1;
    }
    timings.launches++;
  }
  Object.assign(lastGpuTimings, timings);
}
