/**
 * Plans a typed gufunc kernel's call over validated operands: the loop nest over the loop
 * dims and the JS loop for this layout, handed to the target (`GufuncLoopCall`), which
 * chooses the engine and the split. Runs once per call,
 * so the loop key is built in one pass without intermediate arrays or joins.
 */
import { dtypeOf, type NdArray } from '../../core/array.js';
import { broadcastStrides } from '../../core/broadcast.js';
import { DTYPES, type DType, type TypedArray } from '../../core/dtypes.js';
import { planLayout } from '../../core/layout.js';
import type { GufuncLayout, GufuncLoopCall, ShapePlan } from '../../plan/gufunc.js';
import { CPU, type Target } from '../../targets/registry.js';
import type { CompiledGufunc } from './dispatcher.js';
import { gufuncLoopSource, type LoopStrideClass, type StrideClass } from './loops.js';

/** Largest core dim size that gets loops with literal sizes and strides. */
const SMALL_CORE = 16;

const CODE = Object.fromEntries(DTYPES.map((d, i) => [d, String.fromCharCode(65 + i)])) as Record<
  DType,
  string
>;

/** Runs `kernel` over `all` (inputs, then outputs), whose shapes `plan` has validated. */
export function runGufunc(
  kernel: CompiledGufunc,
  layout: GufuncLayout,
  plan: ShapePlan,
  all: readonly NdArray[],
  /** The target running the call (it chooses the engine, and splits it over workers). */
  target: Target,
  /** The call goes to the target's workers (outputs were allocated shared for them). */
  workers: boolean,
): void {
  const nop = all.length;
  const loopStrides = all.map((a, o) => {
    const nl = a.shape.length - plan.coreNum[o];
    return broadcastStrides(a.shape.slice(0, nl), a.stride.slice(0, nl), plan.loopShape);
  });
  const lay = planLayout(plan.loopShape, loopStrides);
  if (lay.size === 0) return;
  const nd = lay.shape.length;
  const arrTypes: DType[] = new Array(nop);
  const coreStrides: number[][] = new Array(nop);
  const classes: StrideClass[][] = new Array(nop);
  const zeroOffsets: boolean[] = new Array(nop);
  const alias: number[] = new Array(nop);
  const loopClasses: LoopStrideClass[][] = new Array(nop);
  let small = true;
  for (const s of plan.sizes) if (s > SMALL_CORE) small = false;
  let key = `${nd}`;
  let lit = '';
  for (let o = 0; o < nop; o++) {
    const a = all[o];
    arrTypes[o] = dtypeOf(a);
    // Parallel chunks move the offsets, so they need the loop form that reads them.
    zeroOffsets[o] = !workers && a.offset === 0;
    // Operands with the same start and loop strides share one base offset in the loop.
    let k = 0;
    while (k < o && !(all[k].offset === a.offset && sameList(lay.strides[k], lay.strides[o]))) k++;
    alias[o] = k;
    key += `|${CODE[arrTypes[o]]}${zeroOffsets[o] ? 'z' : ''}${k}:`;
    const labels = layout.operands[o];
    const st: number[] = new Array(labels.length);
    const cl: StrideClass[] = new Array(labels.length);
    const start = a.shape.length - plan.coreNum[o];
    let delta = 0;
    for (let d = 0; d < labels.length; d++) {
      if (plan.missing[labels[d]]) {
        delta++;
        st[d] = 0;
      } else {
        const ax = start + d - delta;
        st[d] = a.shape[ax] <= 1 ? 0 : a.stride[ax];
      }
      cl[d] = st[d] === 0 ? '0' : st[d] === 1 ? '1' : 'n';
      key += cl[d];
      if (small) lit += `${st[d]},`;
    }
    if (small) for (let l = 0; l < nd; l++) lit += `${lay.strides[o][l]};`;
    let block = 1;
    let present = 0;
    for (const label of labels) {
      block *= plan.sizes[label];
      if (!plan.missing[label]) present++;
    }
    loopClasses[o] = lay.strides[o].map((s) =>
      s === 0 ? '0' : s === 1 ? '1' : present > 0 && s === block ? 'b' : 'n',
    );
    for (const c of loopClasses[o]) key += c;
    coreStrides[o] = st;
    classes[o] = cl;
  }
  for (const m of plan.missing) key += m ? 'm' : '.';
  // Small cores (a 3-vector, a 4×4 matrix) run their kernel's loops only a few times per
  // element: literal sizes and strides are worth a loop of their own there (bounded).
  let literal: { sizes: number[]; strides: number[][]; loopStrides: number[][] } | undefined;
  if (small) {
    const lkey = `${key}#${plan.sizes}#${lit}`;
    if (kernel.literalOk(lkey)) {
      key = lkey;
      literal = { sizes: plan.sizes, strides: coreStrides, loopStrides: lay.strides };
    }
  }
  const spec = () => ({
    layout,
    arrTypes,
    ndim: nd,
    strides: classes,
    missing: plan.missing,
    literal,
    zeroOffsets,
    alias,
    loopStrides: loopClasses,
  });
  const loop = kernel.loop(key, spec);
  const C = plan.sizes.slice();
  for (const st of coreStrides) for (const v of st) C.push(v);
  const S: number[] = [];
  for (const st of lay.strides) for (const v of st) S.push(v);
  const D = all.map((a) => a.data as TypedArray);
  const P = all.map((a) => a.offset);
  const N = lay.shape;
  const call: GufuncLoopCall = {
    kernel: kernel.t,
    layout,
    arrTypes,
    missing: plan.missing,
    D,
    P,
    N,
    S,
    C,
    runJs: () => loop(D, P, N, S, C),
    owner: kernel,
    key,
    source: () => gufuncLoopSource(kernel.t, spec()),
    all,
    split: workers,
    wasmAllowed: !kernel.boundscheck,
  };
  (target.runGufunc ?? CPU.runGufunc!)(call);
}

function sameList(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
