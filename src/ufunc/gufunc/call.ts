/**
 * A gufunc call: coerces the inputs, resolves the kernel, checks dtypes and shapes (all
 * before anything is written), allocates missing outputs, then runs the generated loop
 * over the planned loop dims.
 */
import { kernelMayThrow } from '../../compiler/may-throw.js';
import {
  copy,
  copyInto,
  dtypeOf,
  mayShareMemory,
  type NdArray,
  sizeOf,
  toNdarray,
  zeros,
} from '../../core/array.js';
import {
  checkOuts,
  type Operand,
  readCallOptions,
  splitArgs,
  toOperand,
} from '../../core/call-args.js';
import { canCastSameKind, checkDType, type DType, type TypedArray } from '../../core/dtypes.js';
import { BroadcastError, ValueError } from '../../core/errors.js';
import type { ShapePlan } from '../../plan/gufunc.js';
import { targetFor } from '../../targets/registry.js';
import { operandArray } from '../dispatcher.js';
import type { GufuncCore } from './dispatcher.js';
import { runGufunc } from './run.js';
import { planShapes, shapeString } from './shapes.js';

/** Options of a gufunc call. */
export interface GufuncCallOptions {
  /** Output array, or one per output: written in place (inputs overlapping it are copied first). */
  out?: NdArray | readonly NdArray[];
  /** Type of every input and output of the loop (with dynamic typing), or of the outputs (with signatures). */
  dtype?: DType;
  /**
   * `parallel` target: milliseconds this call may run on the workers before it throws a
   * TimeoutError (its workers are then stopped and replaced). Overrides the pool's `timeout`.
   */
  timeout?: number;
}

/** What a gufunc call gives per output: an array, or a number for an all-scalar call with a 0-d result. */
export type GufuncResult = NdArray | number;

export function callGufunc(
  core: GufuncCore,
  args: readonly unknown[],
): GufuncResult | GufuncResult[] {
  const { nin, nout } = core.layout;
  const [inputs, raw] = splitArgs(args, nin, core.name);
  const opts = checkOptions(raw, core.name, nout);
  const ops = inputs.map((x) => toOperand(x, (v) => toNdarray(v as never)));
  const outs = executeGufunc(core, ops, opts.out, opts.dtype);
  const plain = !opts.out && ops.every((o) => o.kind === 'scalar');
  // With `out`, the caller gets its own objects back (the loops wrote through checked copies).
  const res = (opts.userOut ?? outs).map((a) =>
    plain && a.shape.length === 0 ? (a.data as TypedArray)[a.offset] : a,
  );
  return nout === 1 ? res[0] : res;
}

const GUFUNC_CALL_KEYS: ReadonlySet<string> = new Set(['out', 'dtype']);

function checkOptions(
  o: unknown,
  name: string,
  nout: number,
): { out?: NdArray[]; userOut?: NdArray[]; dtype?: DType } {
  const opts = readCallOptions<GufuncCallOptions>(o, name, GUFUNC_CALL_KEYS);
  if (!opts) return {};
  const outs = checkOuts(opts.out, name, nout);
  return {
    out: outs?.out,
    userOut: outs?.userOut,
    dtype: opts.dtype === undefined ? undefined : checkDType(opts.dtype),
  };
}

/** Runs a call; returns the output arrays. */
export function executeGufunc(
  core: GufuncCore,
  ops: readonly Operand[],
  out: readonly NdArray[] | undefined,
  dtype: DType | undefined,
): NdArray[] {
  const { layout, name } = core;
  const { nin } = layout;
  const kernel = core.resolve(ops, dtype);
  const { inTypes, outTypes } = kernel.t;
  out?.forEach((o, j) => {
    const to = dtypeOf(o);
    if (!canCastSameKind(outTypes[j], to)) {
      throw new TypeError(
        `Cannot cast ufunc '${name}' output from ${outTypes[j]} to ${to} with casting rule 'same_kind'`,
      );
    }
  });
  let inputs = ops.map((op, i) => operandArray(op, inTypes[i]));
  const outShapes = out ? out.map((o) => o.shape) : outTypes.map(() => null);
  const plan = out
    ? planWithOut(name, layout, inputs, outShapes as number[][])
    : planShapes(name, layout, [...inputs.map((a) => a.shape), ...outShapes]);
  const target = targetFor(core.target);
  const par = target.workersFor?.(core, name, sizeOf(plan.loopShape)) ?? false;
  const outs =
    out?.slice() ??
    outTypes.map((t, j) =>
      zeros(
        [...plan.loopShape, ...coreShape(plan, layout.operands[nin + j])],
        t,
        par ? { shared: true } : undefined,
      ),
    );
  // A kernel may read any element of its inputs after writing outputs, so an input that
  // shares memory with an output (even the very same view) is copied first.
  if (out) inputs = inputs.map((a) => (out.some((o) => mayShareMemory(o, a)) ? copy(a) : a));
  if (target.runGufuncCall) {
    target.runGufuncCall(kernel.t, layout, plan, [...inputs, ...outs], !!out);
    return outs;
  }
  // A kernel that can throw part-way (see kernelMayThrow; with `boundscheck`, any view
  // index) runs into scratch copies of `out`, copied back only once every loop iteration
  // succeeded.
  const mayThrow = core.boundscheck || kernelMayThrow(kernel.t.typed);
  const staged = out && mayThrow ? outs.map((o) => copy(o)) : null;
  runGufunc(kernel, layout, plan, [...inputs, ...(staged ?? outs)], target, par);
  if (staged) for (let j = 0; j < staged.length; j++) copyInto(outs[j], staged[j]);
  return outs;
}

/**
 * Plans a call with `out`. When NumPy's checks reject an out array, and the inputs alone
 * plan fine, the error says in a plain sentence which shape each output needs (NumPy's
 * own text, about remapped shapes, follows for reference).
 */
function planWithOut(
  name: string,
  layout: GufuncCore['layout'],
  inputs: readonly NdArray[],
  outShapes: readonly number[][],
): ShapePlan {
  const inShapes = inputs.map((a) => a.shape);
  try {
    return planShapes(name, layout, [...inShapes, ...outShapes]);
  } catch (e) {
    if (!(e instanceof ValueError)) throw e;
    let plan: ShapePlan;
    try {
      plan = planShapes(name, layout, [...inShapes, ...outShapes.map(() => null)]);
    } catch {
      throw e;
    }
    const { nin } = layout;
    const wants = outShapes.map((_, j) => [
      ...plan.loopShape,
      ...coreShape(plan, layout.operands[nin + j]),
    ]);
    const j = outShapes.findIndex(
      (s, k) => s.length !== wants[k].length || s.some((d, i) => d !== wants[k][i]),
    );
    if (j < 0) throw e;
    const what = outShapes.length > 1 ? `out[${j}]` : 'out';
    const core = coreShape(plan, layout.operands[nin + j]);
    const msg =
      `${name}: ${what} has shape ${shapeString(outShapes[j])}, but this call writes shape ${shapeString(wants[j])}: ` +
      `the inputs' loop dims ${shapeString(plan.loopShape)} followed by output ${j}'s core dims ${shapeString(core)} of layout '${layout.source}'. ` +
      `Pass an out of that shape, or leave out out to get a new array. (NumPy: ${e.message})`;
    // The error keeps its class (a BroadcastError stays one, with its shapes).
    throw e instanceof BroadcastError ? new BroadcastError(msg, e.shapes) : new ValueError(msg);
  }
}

/** The core shape of an output in this call (missing optional dims left out). */
function coreShape(plan: ShapePlan, labels: readonly number[]): number[] {
  return labels.filter((l) => !plan.missing[l]).map((l) => plan.sizes[l]);
}
