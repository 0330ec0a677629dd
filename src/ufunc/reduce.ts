/**
 * `reduce`: folds the kernel along axes, NumPy's way. The accumulator is an array of the
 * output shape viewed with stride 0 along the reduced axes, so one elementwise loop over
 * the input does the whole reduction, in the input's memory order (rows are accumulated
 * into the output for axis 0; a register holds the running value for the innermost axis).
 */
import {
  allocData,
  castScalar,
  copyInto,
  dtypeOf,
  mayShareMemory,
  type NdArray,
  sizeOf,
  toNdarray,
  view,
  zeros,
} from '../core/array.js';
import { formatShape } from '../core/broadcast.js';
import { canCastSameKind, type DType, type TypedArray } from '../core/dtypes.js';
import { ValueError } from '../core/errors.js';
import { targetFor } from '../targets/registry.js';
import { normalizeAxes } from './axes.js';
import type { UfuncCore } from './dispatcher.js';
import { runMap } from './execute.js';
import type { CompiledKernel } from './kernel.js';
import { checkReduceOptions, checkWhere } from './options.js';

export function requireBinary(core: UfuncCore, method: string): void {
  if (core.nin !== 2 || core.nout !== 1) {
    throw new ValueError(`${method} only supported for binary functions`);
  }
}

/**
 * The kernel whose inputs and output share one type T (NumPy requires such a loop for
 * reductions). Dynamic typing starts from the element dtype and widens T until the kernel
 * maps (T, T) to T; `dtype` fixes T.
 */
export function reductionKernel(
  core: UfuncCore,
  elem: DType,
  dtype: DType | undefined,
): [CompiledKernel, DType] {
  if (core.signatures) {
    for (const s of core.signatures) {
      if (s.ins[0] !== s.outs[0]) continue;
      if (dtype !== undefined ? s.outs[0] !== dtype : !canCastSameKind(elem, s.ins[1])) continue;
      const k = core.resolve([
        { kind: 'array', a: zeros([0], s.ins[0]) },
        { kind: 'array', a: zeros([0], s.ins[1]) },
      ]);
      return [k, s.outs[0]];
    }
    throw new TypeError(
      `ufunc '${core.name}' has no loop of the form (T, T) -> T for reducing ${dtype ?? elem}`,
    );
  }
  let t = dtype ?? elem;
  for (let i = 0; i < 8; i++) {
    const k = dtype !== undefined ? core.kernelFor([t, t], [t]) : core.kernelFor([t, t]);
    const o = k.outTypes[0];
    if (o === t || dtype !== undefined) return [k, t];
    t = o;
  }
  throw new TypeError(`ufunc '${core.name}': could not find a stable accumulator type for ${elem}`);
}

/** Removes (or keeps as 1) the reduced axes of a shape. */
function reducedShape(
  shape: readonly number[],
  axes: readonly number[],
  keepdims: boolean,
): number[] {
  const res: number[] = [];
  shape.forEach((d, i) => {
    if (!axes.includes(i)) res.push(d);
    else if (keepdims) res.push(1);
  });
  return res;
}

export function reduceUfunc(core: UfuncCore, x: unknown, rawOpts: unknown): NdArray | number {
  requireBinary(core, 'reduce');
  const opts = checkReduceOptions(rawOpts, `${core.name}.reduce`);
  const a = toNdarray(x as never);
  const nd = a.shape.length;
  const axes = nd === 0 ? [] : normalizeAxes(opts.axis === undefined ? 0 : opts.axis, nd);
  if (nd === 0 && opts.axis !== undefined && opts.axis !== null) {
    const list = Array.isArray(opts.axis) ? opts.axis : [opts.axis];
    for (const ax of list) if (ax !== 0 && ax !== -1) normalizeAxes(ax, 0);
  }
  const keepdims = opts.keepdims ?? false;
  if (axes.length > 1 && core.identity === null) {
    throw new ValueError(
      `reduction operation '${core.name}' is not reorderable, so at most one axis may be specified`,
    );
  }
  const [kernel, t] = reductionKernel(core, dtypeOf(a), opts.dtype);
  const initial = opts.initial ?? (typeof core.identity === 'number' ? core.identity : undefined);
  const where =
    opts.where === undefined ? undefined : checkWhere(opts.where, `${core.name}.reduce`);
  if (where && initial === undefined) {
    throw new ValueError(
      `reduction operation '${core.name}' does not have an identity, so to use a where mask one has to specify 'initial'`,
    );
  }
  const outShape = reducedShape(a.shape, axes, keepdims);
  let reducedSize = 1;
  for (const ax of axes) reducedSize *= a.shape[ax];
  let outSize = 1;
  for (const d of outShape) outSize *= d;
  if (reducedSize === 0 && initial === undefined && outSize > 0) {
    throw new ValueError(
      `zero-size array to reduction operation ${core.name} which has no identity`,
    );
  }
  const out = opts.out ?? undefined;
  if (out) {
    if (out.shape.length !== outShape.length || out.shape.some((d, i) => d !== outShape[i])) {
      throw new ValueError(
        `output parameter for reduction operation ${core.name} has the wrong shape: expected ${formatShape(outShape)}, got ${formatShape(out.shape)}`,
      );
    }
    if (!canCastSameKind(t, dtypeOf(out))) {
      throw new TypeError(
        `Cannot cast ufunc '${core.name}' output from ${t} to ${dtypeOf(out)} with casting rule 'same_kind'`,
      );
    }
  }
  if (where) broadcastCheck(where.shape, a.shape);
  // The accumulator: `out` itself when it has type T and does not overlap the input.
  const direct =
    out &&
    dtypeOf(out) === t &&
    !kernel.mayThrow &&
    !mayShareMemory(out, a) &&
    !(where && mayShareMemory(out, where));
  const acc = direct ? out : zeros(outShape, t);
  const accKept = keptView(acc, a.shape, axes);
  if (outSize > 0) {
    if (initial !== undefined) {
      fill(accKept, castScalar(initial, t));
      // The same decision runMap makes, recorded for parallelStatus() and inspect().
      targetFor(core.target).workersFor?.(core, core.name, sizeOf(a.shape));
      runMap(kernel, {
        inputs: [accKept, a],
        outputs: [accKept],
        outStrides: [accStrides(accKept, axes)],
        mask: where,
        shape: a.shape,
        accumulate: true,
        target: targetFor(core.target),
        identity: typeof core.identity === 'number' ? core.identity : undefined,
        pairwise: pairwiseFor(core, t),
        reorderable: core.identity !== null,
      });
    } else {
      foldNoInitial(core, kernel, a, accKept, axes);
    }
  }
  if (out && !direct) copyInto(out, acc);
  if (out) return opts.userOut ?? out;
  return acc.shape.length === 0 ? (acc.data as TypedArray)[acc.offset] : acc;
}

/**
 * Float reductions of a reorderable ufunc (one with an identity) reduce each inner run
 * pairwise, as NumPy's add.reduce does: the order of a reorderable operation is free, and
 * this one keeps float32 sums accurate (1e6 x 0.1 gives 100000.01, not 100958.34).
 */
function pairwiseFor(core: UfuncCore, t: DType): boolean {
  return core.identity !== null && (t === 'float32' || t === 'float64');
}

function broadcastCheck(mask: readonly number[], shape: readonly number[]): void {
  const off = shape.length - mask.length;
  if (off < 0 || mask.some((d, i) => d !== 1 && d !== shape[off + i])) {
    throw new ValueError(
      `where mask of shape ${formatShape(mask)} cannot be broadcast to the input shape ${formatShape(shape)}`,
    );
  }
}

/** `acc` seen with the input's rank: reduced axes have extent 1 (keepdims form). */
function keptView(acc: NdArray, shape: readonly number[], axes: readonly number[]): NdArray {
  const ks: number[] = [];
  const kst: number[] = [];
  let j = 0;
  const keep = acc.shape.length === shape.length;
  for (let i = 0; i < shape.length; i++) {
    if (axes.includes(i)) {
      ks.push(1);
      kst.push(0);
      if (keep) j++;
    } else {
      ks.push(acc.shape[j]);
      kst.push(acc.stride[j]);
      j++;
    }
  }
  return view(acc.data as TypedArray, ks, kst, acc.offset);
}

function accStrides(kept: NdArray, axes: readonly number[]): number[] {
  return kept.stride.map((s, i) => (axes.includes(i) ? 0 : s));
}

/** Sets every element of the view `a` to `v` (a one-element source seen with stride 0). */
function fill(a: NdArray, v: number): void {
  const one = allocData(dtypeOf(a), 1);
  one[0] = v;
  copyInto(
    a,
    view(
      one,
      a.shape,
      a.shape.map(() => 0),
      0,
    ),
  );
}

/**
 * Reduction without a starting value: the first element along the axis seeds the
 * accumulator, the rest are folded in order. Several axes (only for reorderable ufuncs)
 * are folded one after another.
 */
function foldNoInitial(
  core: UfuncCore,
  kernel: CompiledKernel,
  a: NdArray,
  accKept: NdArray,
  axes: readonly number[],
): void {
  if (axes.length === 0) {
    copyInto(accKept, a);
    return;
  }
  let src = a;
  for (let n = 0; n < axes.length; n++) {
    const ax = axes[n];
    const last = n === axes.length - 1;
    // Intermediate results keep the reduced axis with extent 1; the last one writes accKept.
    const shape = src.shape.map((d, i) => (i === ax ? 1 : d));
    const dst = last ? accKept : zeros(shape, dtypeOf(accKept));
    const first = sliceAxis(src, ax, 0, 1);
    copyInto(dst, first);
    const rest = sliceAxis(src, ax, 1, src.shape[ax]);
    const dstStrides = dst.stride.map((s, i) => (i === ax ? 0 : s));
    targetFor(core.target).workersFor?.(core, core.name, sizeOf(rest.shape));
    runMap(kernel, {
      inputs: [dst, rest],
      outputs: [dst],
      outStrides: [dstStrides],
      shape: rest.shape,
      accumulate: true,
      target: targetFor(core.target),
      pairwise: pairwiseFor(core, dtypeOf(dst)),
      reorderable: core.identity !== null,
    });
    src = dst;
  }
}

/** `a[..., lo:hi, ...]` along `axis` (no copy). */
export function sliceAxis(a: NdArray, axis: number, lo: number, hi: number): NdArray {
  const shape = a.shape.slice();
  shape[axis] = Math.max(0, hi - lo);
  return view(a.data as TypedArray, shape, a.stride, a.offset + a.stride[axis] * lo);
}
